"""Background work of the related app (run by ``masthead worker``)."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from masthead.related import services
from masthead.related.conf import app_settings
from masthead.related.lease import IndexBusy

logger = logging.getLogger("masthead.related")

RETRY_AFTER = timedelta(seconds=10)


@task()
def update_related(article_id: int, reindex: bool = True) -> dict:
    """Recompute the lists a change to one story touches (see ``services.related_update``)."""
    try:
        return services.related_update(article_id=article_id, reindex=reindex)
    except IndexBusy as err:
        if not update_related.get_backend().supports_defer:
            raise
        logger.info("%s Trying story %s again in %s.", err, article_id, RETRY_AFTER)
        update_related.using(run_after=timezone.now() + RETRY_AFTER).enqueue(
            article_id=article_id, reindex=reindex
        )
        return {"article": article_id, "deferred": True}


@task()
def rebuild_related() -> dict:
    """Recompute every list from scratch: fresh term statistics and story map."""
    if not app_settings.REBUILD_DAYS:
        return {"skipped": "MASTHEAD_RELATED_REBUILD_DAYS is 0"}
    return services.related_rebuild()
