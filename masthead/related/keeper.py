"""The related-stories index of this process: found, caught up, saved.

Only processes that change stored lists hold an index — the background worker, and
``masthead related rebuild`` while it runs; web servers read the stored lists from the
database and never need one. The index a process holds is always *the database's stories
as of journal entry* ``seq``:

* it starts from a snapshot under ``VAR_DIR/related/`` (written after every rebuild and
  every so often by the worker), or, when there is none or it can't be used, it is
  built from the live stories in the database;
* before each change, the holder replays the journal entries written since ``seq`` by
  other processes (re-reading those stories), so several workers agree;
* a snapshot is a cache, never the truth: deleting it costs one rebuild from the database.
"""

from __future__ import annotations

import logging
import os
import pickle
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from masthead.related import lease
from masthead.related.engine import RelatedIndex
from masthead.related.engine.index import Progress
from masthead.related.models import IndexChange
from masthead.related.strategies import RelatedStrategy

logger = logging.getLogger("masthead.related")

SNAPSHOT_FORMAT = 1
SAVE_EVERY_CHANGES = 500
SAVE_EVERY_SECONDS = 3600.0


@dataclass
class Held:
    index: RelatedIndex
    fingerprint: str
    seq: int  # the last journal entry reflected in the index
    generation: int  # the full rebuild it descends from
    unsaved: int = 0
    saved_at: float = field(default_factory=time.monotonic)


_held: Held | None = None


def snapshot_path() -> Path:
    return Path(settings.VAR_DIR) / "related" / "index.pickle"


def forget() -> None:
    """Drop this process's index (tests; before a rebuild, to bound memory)."""
    global _held
    _held = None


def install(held: Held) -> None:
    global _held
    _held = held


def last_seq() -> int:
    return IndexChange.objects.order_by("-id").values_list("id", flat=True).first() or 0


def build(strategy: RelatedStrategy, progress: Progress | None = None) -> Held:
    """Index every live story in the database (no lease needed: nothing is written)."""
    seq = last_seq()  # before reading: later changes are replayed by catch_up
    generation = lease.state().generation
    stories = strategy.documents()
    if progress is not None:
        stories = _counted(stories, progress)
    index = strategy.make_index().build(stories, progress=progress)
    return Held(index, strategy.fingerprint(), seq, generation)


def _counted(stories: Iterable, progress: Progress):
    from masthead.newsroom.models import Article

    total = Article.objects.live().count()
    for done, story in enumerate(stories, start=1):
        if done % 500 == 0 or done == total:
            progress("reading", done, total)
        yield story


def held_index(strategy: RelatedStrategy) -> Held:
    """This process's index: the one in memory, a newer snapshot, or one built now."""
    global _held
    fingerprint = strategy.fingerprint()
    current = lease.state()
    floor = current.pruned_through  # an index older than this can't be caught up

    if _held is not None and _held.fingerprint == fingerprint and _held.seq >= floor:
        if _held.generation < current.generation:
            # A rebuild ran elsewhere; take its snapshot if it is on this machine. If not,
            # the index in memory stays correct (it follows the journal), only less fresh.
            _held = load_snapshot(fingerprint, current.generation, floor) or _held
        return _held
    _held = load_snapshot(fingerprint, 0, floor) or _built_and_saved(strategy)
    return _held


def _built_and_saved(strategy: RelatedStrategy) -> Held:
    logger.info("No usable related-stories snapshot: indexing the live stories")
    held = build(strategy)
    save_snapshot(held)
    return held


def load_snapshot(fingerprint: str, min_generation: int = 0, min_seq: int = 0) -> Held | None:
    """The snapshot on disk, if it fits this strategy and is recent enough."""
    path = snapshot_path()
    try:
        with path.open("rb") as fh:
            header = pickle.load(fh)  # noqa: S301 (written by this site into VAR_DIR)
            if (
                header.get("format") != SNAPSHOT_FORMAT
                or header.get("fingerprint") != fingerprint
                or header.get("generation", -1) < min_generation
                or header.get("seq", -1) < min_seq
            ):
                return None
            index = pickle.load(fh)  # noqa: S301
    except FileNotFoundError:
        return None
    except Exception:
        logger.warning("Ignoring the unreadable related-stories snapshot %s", path, exc_info=True)
        return None
    return Held(index, fingerprint, header["seq"], header["generation"])


def save_snapshot(held: Held) -> Path | None:
    """Write the snapshot atomically, unless the one on disk is of a newer rebuild."""
    path = snapshot_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("rb") as fh:
            if pickle.load(fh).get("generation", -1) > held.generation:  # noqa: S301
                return None
    except FileNotFoundError:
        pass
    except Exception:
        logger.warning("Replacing the unreadable related-stories snapshot %s", path)
    header = {
        "format": SNAPSHOT_FORMAT,
        "fingerprint": held.fingerprint,
        "seq": held.seq,
        "generation": held.generation,
    }
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".index-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(header, fh, protocol=pickle.HIGHEST_PROTOCOL)
            pickle.dump(held.index, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    held.unsaved, held.saved_at = 0, time.monotonic()
    return path


def save_if_due(held: Held) -> None:
    due = held.unsaved >= SAVE_EVERY_CHANGES or (
        held.unsaved and time.monotonic() - held.saved_at >= SAVE_EVERY_SECONDS
    )
    if due:
        save_snapshot(held)


class Stale(Exception):
    """The journal no longer reaches back to this index: it must be rebuilt."""


def sync(held: Held, strategy: RelatedStrategy, article_ids: Iterable[int]) -> None:
    """Make the index agree with the database about these stories."""
    wanted = set(article_ids)
    live = {doc.id: doc for doc in strategy.documents(wanted)}
    for article_id in sorted(wanted):
        if article_id in live:
            held.index.add_or_update(live[article_id])
        elif article_id in held.index:
            held.index.remove(article_id)
    held.unsaved += len(wanted)


def catch_up(held: Held, strategy: RelatedStrategy) -> int:
    """Replay journal entries written by other processes. Call with the lease held."""
    if lease.state().pruned_through > held.seq:
        raise Stale("The journal was pruned past this index.")
    entries = list(
        IndexChange.objects.filter(id__gt=held.seq).order_by("id").values_list("id", "article_id")
    )
    if entries:
        sync(held, strategy, {article_id for _, article_id in entries})
        held.seq = entries[-1][0]
    return len(entries)
