"""Writes of the related app: after one story changed, and a full rebuild.

Both run in the background worker (or ``masthead related rebuild``), never in a page
view, and change the index only while holding the index lease (see :mod:`.lease`), so
several workers keep one consistent journal (see :mod:`.keeper`).
"""

from __future__ import annotations

import logging
import time
from datetime import timedelta

from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import F, Max, Q
from django.utils import timezone

from masthead.newsroom.models import Article
from masthead.related import keeper, lease, lists
from masthead.related.engine.index import Progress
from masthead.related.lease import STATE, IndexBusy, index_lease
from masthead.related.models import IndexChange, IndexState, RelatedLink, RelatedPin
from masthead.related.strategies import get_strategy

logger = logging.getLogger("masthead.related")

JOURNAL_DAYS = 7
STORE_BATCH = 1000


def related_update(*, article_id: int, reindex: bool = True) -> dict:
    """Bring the index and the stored lists up to date after a change to one story.

    ``reindex``: the story itself changed (published, edited, withdrawn, deleted), so it
    is re-read into the index, its list and the lists it enters or leaves are recomputed,
    and pages that show it are purged (its headline or address may have changed). Without
    it, only the story's own list is recomputed (its editor's pins or exclusions changed).
    """
    started = time.perf_counter()
    strategy = get_strategy()
    held = keeper.held_index(strategy)
    with index_lease():
        try:
            replayed = keeper.catch_up(held, strategy)
        except keeper.Stale as err:
            keeper.forget()
            raise IndexBusy(f"{err} Rebuilding it first.") from err
        affected = {article_id}
        showing: set[int] = set()
        if reindex:
            keeper.sync(held, strategy, [article_id])
            affected.update(held.index.affected_by(article_id, held.index.stored_k))
            gaps = Q(target_id=article_id) | Q(target__isnull=True)
            showing = set(RelatedLink.objects.filter(gaps).values_list("article_id", flat=True))
            affected |= showing
            affected.update(
                RelatedPin.objects.filter(target_id=article_id).values_list("article_id", flat=True)
            )
        with transaction.atomic():
            composed = lists.compose(held.index, strategy, affected)
            written = lists.store(held.index, composed, affected, purge_always=showing)
            seq = IndexChange.objects.create(article_id=article_id).pk if reindex else None
        if seq is not None:
            held.seq = seq
    keeper.save_if_due(held)
    report = {
        "article": article_id,
        "replayed": replayed,
        "recomputed": len(affected),
        "written": written,
        "ms": round((time.perf_counter() - started) * 1000, 1),
    }
    logger.debug("Related lists after story %s: %s", article_id, report)
    return report


def related_rebuild(*, progress: Progress | None = None) -> dict:
    """Re-index every live story and recompute every stored list (a new generation)."""
    report = progress or (lambda phase, done, total: None)
    started = time.perf_counter()
    strategy = get_strategy()
    keeper.forget()  # one index in memory at a time
    held = keeper.build(strategy, progress)
    built = time.perf_counter() - started
    with index_lease(wait=600) as lease:
        keeper.catch_up(held, strategy)
        ids = list(Article.objects.live().order_by("pk").values_list("pk", flat=True))
        written = 0
        stale: set[int] = set()
        report("storing", 0, len(ids))
        try:
            for start in range(0, len(ids), STORE_BATCH):
                batch = ids[start : start + STORE_BATCH]
                # Composing reads and computes: outside the write transaction, so that
                # comment posts and the task worker never queue behind it.
                composed = lists.compose(held.index, strategy, batch)
                with transaction.atomic():
                    written += lists.store(held.index, composed, batch, stale_pages=stale)
                lease.renew()
                report("storing", start + len(batch), len(ids))
        finally:  # also the pages of the batches stored before a failure
            lists.purge_pages(stale)  # once, at the end: page by page only if they are few
        RelatedLink.objects.exclude(article_id__in=Article.objects.live().values("pk")).delete()
        held.generation = _next_generation(held.seq)
        keeper.install(held)
    keeper.save_snapshot(held)
    return {
        "stories": len(ids),
        "written": written,
        "index_seconds": round(built, 1),
        "seconds": round(time.perf_counter() - started, 1),
    }


def _next_generation(seq: int) -> int:
    """Count a rebuild, and prune the journal of entries no live index needs any more."""
    old = IndexChange.objects.filter(
        id__lte=seq, created_at__lt=timezone.now() - timedelta(days=JOURNAL_DAYS)
    )
    pruned = old.aggregate(last=Max("id"))["last"]
    with transaction.atomic():
        updates = {"generation": F("generation") + 1}
        if pruned is not None:
            old.delete()
            updates["pruned_through"] = pruned
        IndexState.objects.filter(name=STATE).update(**updates)
    return IndexState.objects.get(name=STATE).generation


def related_journal_mark() -> tuple[int, int]:
    """The last journal entry and the generation any index may hold now: read before the
    database is replaced by a backup's, for :func:`related_restored`."""
    state = IndexState.objects.filter(name=STATE).values_list("pruned_through", "generation")
    pruned, generation = state.first() or (0, 0)
    return max(keeper.last_seq(), pruned), generation


def related_restored(*, mark: tuple[int, int]) -> None:
    """The database was replaced: make every index built before unusable.

    An index in a worker's memory or a snapshot on disk reflects the stories as of its
    journal entry, which the restored journal may have reused for other changes. The journal
    is restarted past every entry ``mark`` knew of, and marked pruned up to there, so
    :func:`keeper.held_index` rebuilds from the restored stories instead of using them.
    """
    keeper.snapshot_path().unlink(missing_ok=True)
    keeper.forget()
    floor = max(mark[0], keeper.last_seq()) + 1
    with transaction.atomic():
        IndexChange.objects.all().delete()
        IndexChange.objects.create(id=floor, article_id=0)  # no story has id 0
        for sql in connection.ops.sequence_reset_sql(no_style(), [IndexChange]):
            with connection.cursor() as cursor:
                cursor.execute(sql)
        restored = lease.state().generation
        IndexState.objects.filter(name=STATE).update(
            pruned_through=floor, generation=max(mark[1], restored) + 1, holder="", lease_until=None
        )
