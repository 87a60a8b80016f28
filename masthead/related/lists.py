"""A story's stored related list: composed from pins, the index and fallbacks; stored
only when it changed, purging the story's cached page when what readers see changed.

Order of a list: the editor's pins (live ones, in their order); then the index's
automatic matches scoring at least the strategy's ``min_score`` (never the story itself,
a re-post of it — the engine drops those — or a story the editor excluded); then, while
the list is short, the strategy's fallbacks: the newest stories of the same section,
then the newest of all (never an excluded story or a re-post of this one). A list shows
one copy of a text: a story that re-posts one already in the list (a wire story run
twice under two headlines) is left out of it, so a list is shorter than asked only when
the site has fewer different stories than that, or when its fallbacks passed over
``COPIES_PASSED`` re-posts each before finding enough (a site of near-identical texts).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator
from itertools import islice
from typing import NamedTuple

from django.core.exceptions import ImproperlyConfigured
from django.db import connections, router, transaction
from django.utils import timezone

from masthead.core.pagecache import purge, purge_everything
from masthead.newsroom.models import Article
from masthead.related.conf import stored_length
from masthead.related.engine import RelatedIndex
from masthead.related.models import RelatedExclusion, RelatedLink, RelatedPin
from masthead.related.strategies import RelatedStrategy

Source = RelatedLink.Source
FALLBACK_SOURCES = {"section": Source.SECTION, "latest": Source.LATEST}
# A list's fallback stops after passing over this many re-posts of stories it shows: on a
# site of near-identical texts nearly every story is one, and looking further for a
# different one would read every story for every list.
COPIES_PASSED = 100
_NONE: frozenset[int] = frozenset()


class Entry(NamedTuple):
    target_id: int | None
    source: str
    score: float | None
    shared_terms: tuple[str, ...] = ()


def _is_live(status: str, published_at, now) -> bool:
    return status == Article.Status.PUBLISHED and published_at is not None and published_at <= now


def _pairs(queryset, *fields) -> dict[int, list]:
    found: dict[int, list] = defaultdict(list)
    for article_id, value in queryset.values_list("article_id", *fields):
        found[article_id].append(value)
    return found


def compose(
    index: RelatedIndex, strategy: RelatedStrategy, article_ids: Iterable[int]
) -> dict[int, list[Entry]]:
    """The lists the live stories among ``article_ids`` should have (others get none),
    without their shared terms: :func:`store` explains the ones it writes."""
    now = timezone.now()
    wanted = stored_length()
    # By primary key, liveness checked here: a filter on status lets SQLite's planner scan
    # every live story instead of looking up these few.
    live = {
        pk: section_id
        for pk, section_id, status, published_at in Article.objects.filter(
            pk__in=article_ids
        ).values_list("pk", "section_id", "status", "published_at")
        if _is_live(status, published_at, now)
    }
    pins = _pairs(
        RelatedPin.objects.filter(article_id__in=live).order_by("article_id", "position", "id"),
        "target_id",
    )
    if pins:
        targets = {t for found in pins.values() for t in found}
        shown = set(
            Article.objects.live(now=now).filter(pk__in=targets).values_list("pk", flat=True)
        )
        pins = {a: [t for t in found if t in shown] for a, found in pins.items()}
    banned = _pairs(RelatedExclusion.objects.filter(article_id__in=live), "target_id")
    kept = index.kept(live)
    min_score = strategy.get_min_score()
    newest = _Newest(now, wanted)
    lists: dict[int, list[Entry]] = {}
    for article_id in live:
        chosen = [Entry(t, Source.PINNED, None) for t in pins.get(article_id, [])][:wanted]
        taken = {article_id, *banned.get(article_id, ()), *(e.target_id for e in chosen)}
        shown = [article_id, *(e.target_id for e in chosen)]
        matches = kept.get(article_id, [])
        copies = index.copies_within([*shown, *(match.doc_id for match in matches)])
        for match in matches:
            if len(chosen) >= wanted or match.score < min_score:
                break
            if match.doc_id not in taken and copies.get(match.doc_id, _NONE).isdisjoint(shown):
                chosen.append(Entry(match.doc_id, Source.AUTOMATIC, round(match.score, 4)))
                taken.add(match.doc_id)
                shown.append(match.doc_id)
        if len(chosen) < wanted:
            _fall_back(chosen, taken, article_id, live[article_id], index, strategy, newest)
        lists[article_id] = chosen
    return lists


class _Newest:
    """The newest live stories, of all or of one section, newest first, read once per
    :func:`compose` and shared by its lists (many lists of a batch fall back to the same
    few sections): first a few, then more, twice as many each time, only when a list
    passes over all those read so far (many exclusions or re-posts)."""

    def __init__(self, now, wanted: int):
        self.now = now
        self.first = 4 * wanted
        self._read: dict[tuple, list[int]] = {}
        self._complete: set[tuple] = set()

    def _stories(self, kind: str, section_id: int | None):
        stories = Article.objects.live(now=self.now).order_by("-published_at", "-id")
        if kind == "section":
            stories = stories.filter(section_id=section_id)
        return stories

    def _read_more(self, key: tuple) -> None:
        read = self._read.setdefault(key, [])
        size = max(self.first, len(read))
        more = list(self._stories(*key).values_list("pk", flat=True)[len(read) : len(read) + size])
        read.extend(more)
        if len(more) < size:
            self._complete.add(key)

    def stories(self, kind: str, section_id: int | None, taken: set[int]) -> Iterator[int]:
        key = (kind, section_id if kind == "section" else None)
        at = 0
        while True:
            read = self._read.get(key, [])
            if at == len(read):
                if key in self._complete:
                    return
                self._read_more(key)
                continue
            story = read[at]
            at += 1
            if story not in taken:
                yield story


def _fall_back(chosen, taken, article_id, section_id, index, strategy, newest) -> None:
    """Fill ``chosen`` from the strategy's fallbacks, passing over ``taken`` stories and
    re-posts of those shown: each fallback passes over at most :data:`COPIES_PASSED` of
    those re-posts. Stories are checked a few at a time, more when many were re-posts."""
    wanted = stored_length()
    for kind in strategy.get_fallbacks():
        if kind not in FALLBACK_SOURCES:
            raise ImproperlyConfigured(
                f"Unknown related-stories fallback {kind!r}; use 'section' or 'latest'."
            )
    for kind in strategy.get_fallbacks():
        stories = newest.stories(kind, section_id, taken)
        passed = 0
        while len(chosen) < wanted and passed < COPIES_PASSED:
            batch = list(islice(stories, max(wanted - len(chosen), passed)))
            if not batch:
                break
            shown = [article_id, *(e.target_id for e in chosen)]
            fresh: list[int] = []  # chosen from this batch, after it was compared
            for story, copy in zip(batch, index.copies_among(batch, shown), strict=True):
                taken.add(story)
                if copy or (fresh and index.copy_among(story, fresh)):
                    passed += 1
                    if passed >= COPIES_PASSED:
                        break
                else:
                    chosen.append(Entry(story, FALLBACK_SOURCES[kind], None))
                    fresh.append(story)
                    if len(chosen) >= wanted:
                        return


def _explained(index: RelatedIndex, lists: dict[int, list[Entry]]) -> dict[int, list[Entry]]:
    """Shared terms for the automatic entries, computed in one batch."""
    pairs = [
        (article_id, entry.target_id)
        for article_id, entries in lists.items()
        for entry in entries
        if entry.source == Source.AUTOMATIC
    ]
    terms = dict(zip(pairs, index.explain(pairs), strict=True))
    return {
        article_id: [
            e._replace(shared_terms=terms.get((article_id, e.target_id), ())) for e in entries
        ]
        for article_id, entries in lists.items()
    }


def _shown(entries: list[Entry]) -> list[int | None]:
    return [e.target_id for e in entries]


def store(
    index: RelatedIndex,
    lists: dict[int, list[Entry]],
    article_ids: Collection[int],
    *,
    purge_always: Collection[int] = (),
    stale_pages: set[int] | None = None,
) -> int:
    """Store the lists of ``article_ids`` (none for those missing from ``lists``) where they
    changed, explained. Pages whose shown stories changed, and those of ``purge_always``,
    are purged; or, given ``stale_pages``, added to it for the caller to purge (a rebuild
    purges once, at its end). Returns how many lists were written."""
    before: dict[int, list[tuple]] = defaultdict(list)
    rows = RelatedLink.objects.filter(article_id__in=article_ids).order_by("article_id", "rank")
    for article_id, *values in rows.values_list("article_id", "target_id", "source", "score"):
        before[article_id].append(tuple(values))
    changed = [a for a in article_ids if [e[:3] for e in lists.get(a, [])] != before.get(a, [])]
    if changed:
        explained = _explained(index, {a: lists[a] for a in changed if a in lists})
        with transaction.atomic(using=router.db_for_write(RelatedLink), savepoint=False):
            RelatedLink.objects.filter(article_id__in=changed).delete()
            _insert(
                (article_id, rank, entry.target_id, entry.source, entry.score, entry.shared_terms)
                for article_id, entries in explained.items()
                for rank, entry in enumerate(entries)
            )
    shown = {
        a
        for a in changed
        if _shown(lists.get(a, [])) != [target for target, *_ in before.get(a, [])]
    }
    stale = shown | (set(purge_always) & set(lists))
    if stale_pages is not None:
        stale_pages |= stale
    else:
        purge_pages(stale)
    return len(changed)


# Above this many pages, purging the whole page cache at once is cheaper than page by page.
PURGE_ALL_ABOVE = 1000


def purge_pages(article_ids: Collection[int]) -> None:
    """Purge the cached pages of these stories (all cached pages, if there are many)."""
    if len(article_ids) > PURGE_ALL_ABOVE:
        purge_everything()
    elif article_ids:
        slugs = Article.objects.filter(pk__in=article_ids).values_list("slug", flat=True)
        purge(*(f"article:{slug}" for slug in slugs))


_LINK_FIELDS = ("article", "rank", "target", "source", "score", "shared_terms")


def _insert(rows: Iterable[tuple]) -> None:
    """Insert ``RelatedLink`` rows given as tuples of :data:`_LINK_FIELDS`, in one
    ``executemany``. A rebuild stores eight links for each of 100,000 stories, and
    ``bulk_create`` spends about 40 µs a row building model instances and compiling each
    value; this is the same INSERT (values prepared by the fields, so JSON is adapted as
    the database wants it) at a tenth of that."""
    connection = connections[router.db_for_write(RelatedLink)]
    fields = [RelatedLink._meta.get_field(name) for name in _LINK_FIELDS]
    terms = fields[-1]
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 (names from the model)
        quote(RelatedLink._meta.db_table),
        ", ".join(quote(field.column) for field in fields),
        ", ".join(["%s"] * len(fields)),
    )
    prepared = [(*row[:-1], terms.get_db_prep_save(list(row[-1]), connection)) for row in rows]
    with connection.cursor() as cursor:
        cursor.executemany(sql, prepared)
