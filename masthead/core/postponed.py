"""Cache deletes that survive a cache outage.

Readers never wait for Redis (:class:`~masthead.core.cache.ResilientRedisCache` treats an
outage as a miss), but a delete that does not reach it is lost, and the stale entry is
served again when Redis comes back. :func:`delete_keys` records such keys in the database
(:class:`~masthead.core.models.PostponedCacheDelete`) when the resilient cache's
``delete_many`` answers ``False`` (it did not reach Redis); :func:`retry` — the worker calls
it every tick — deletes them once the cache answers.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.core.cache import cache
from django.db import DatabaseError, transaction

logger = logging.getLogger("masthead.cache")

BATCH = 1000


def postpone(keys: Iterable[str]) -> None:
    """Remember ``keys`` for :func:`retry`; if the database cannot take them either, say so."""
    from masthead.core.models import PostponedCacheDelete

    rows = [PostponedCacheDelete(key=key) for key in sorted(set(keys))]
    if not rows:
        return
    try:
        with transaction.atomic():  # a savepoint: a failure here leaves the caller's intact
            PostponedCacheDelete.objects.bulk_create(rows)
    except DatabaseError:
        logger.exception("Could not record cache keys to delete later: %s", ", ".join(keys))


def delete_keys(*keys: str) -> None:
    """Delete ``keys`` from the cache now, or, if it is unreachable, as soon as it is back."""
    if cache.delete_many(keys) is False:  # the cache could not be reached
        postpone(keys)


def retry() -> bool:
    """Delete the postponed keys the cache can take now; True when none is left."""
    from masthead.core.models import PostponedCacheDelete

    try:
        rows = list(PostponedCacheDelete.objects.order_by("pk").values_list("pk", "key")[:BATCH])
    except DatabaseError:
        return False  # not migrated yet, or the database is away: next tick
    if not rows:
        return True
    if cache.delete_many(sorted({key for _, key in rows})) is False:
        return False
    PostponedCacheDelete.objects.filter(pk__in=[pk for pk, _ in rows]).delete()
    logger.info("Deleted %d cache keys an outage had held back", len(rows))
    return len(rows) < BATCH or retry()
