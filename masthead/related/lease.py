"""One process at a time changes the related-stories index: a lease on a database row.

The lease is claimed with a conditional UPDATE (free, or expired), like the periodic-task
claims in ``masthead.core.periodic``, so it works the same on SQLite and PostgreSQL and
holds no transaction open while the work is done. A holder that dies loses it when it
expires; long work renews it.
"""

from __future__ import annotations

import os
import secrets
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from masthead.related.models import IndexState

STATE = "related"
HOLD = timedelta(minutes=5)
WAIT = 30.0  # seconds a task waits for the lease before it is put back in the queue


class IndexBusy(Exception):
    """Another process holds the index lease; try again a little later."""


def state() -> IndexState:
    found = IndexState.objects.filter(name=STATE).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return IndexState.objects.create(name=STATE)
    except IntegrityError:  # created by another process a moment ago
        return IndexState.objects.get(name=STATE)


class Lease:
    def __init__(self, holder: str, hold: timedelta) -> None:
        self.holder = holder
        self.hold = hold

    def renew(self) -> None:
        """Push the expiry back; call it during long work."""
        IndexState.objects.filter(name=STATE, holder=self.holder).update(
            lease_until=timezone.now() + self.hold
        )


def _claim(holder: str, hold: timedelta) -> bool:
    now = timezone.now()
    free = Q(lease_until__isnull=True) | Q(lease_until__lt=now)
    return bool(
        IndexState.objects.filter(free, name=STATE).update(holder=holder, lease_until=now + hold)
    )


@contextmanager
def index_lease(*, wait: float | None = None, hold: timedelta = HOLD) -> Iterator[Lease]:
    """Hold the index lease for the ``with`` block; :class:`IndexBusy` after ``wait`` s."""
    wait = WAIT if wait is None else wait
    state()
    holder = f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"
    deadline = time.monotonic() + wait
    delay = 0.02
    while not _claim(holder, hold):
        if time.monotonic() >= deadline:
            raise IndexBusy(f"The related-stories index is busy (held by {state().holder}).")
        time.sleep(delay)
        delay = min(delay * 2, 0.5)
    try:
        yield Lease(holder, hold)
    finally:
        IndexState.objects.filter(name=STATE, holder=holder).update(holder="", lease_until=None)
