"""Reads for reader pages: each returns what a page needs in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import QuerySet
from django.utils import timezone

from masthead.core.db.prepared import Param, PreparedRead
from masthead.core.postponed import delete_keys
from masthead.newsroom.models import Article, ArticleNote, Author, Byline, Section, Tag
from masthead.newsroom.models.article import prefetch_bylines

NAVIGATION_CACHE_KEY = "newsroom:navigation:v2"


@dataclass(frozen=True)
class NavItem:
    name: str
    url: str


def navigation_sections() -> list[NavItem]:
    """Sections for the site's navigation (name and address), cached until a section changes."""
    items = cache.get(NAVIGATION_CACHE_KEY)
    if items is None:
        items = [
            NavItem(section.name, section.get_absolute_url())
            for section in Section.objects.filter(in_navigation=True).only(
                "name", "slug", "position"
            )
        ]
        cache.set(NAVIGATION_CACHE_KEY, items, 3600)
    return items


def navigation_invalidate() -> None:
    delete_keys(NAVIGATION_CACHE_KEY)  # after a cache outage, too


def article_list(
    *, section: Section | None = None, tag: Tag | None = None, author: Author | None = None
) -> QuerySet[Article]:
    """Live stories, newest first, ready to be shown as cards (bylines: give the page's
    stories to :func:`prefetch_bylines`)."""
    articles = Article.objects.live().for_cards().newest_first()
    if section is not None:
        articles = articles.filter(section=section)
    if tag is not None:
        articles = articles.filter(tags=tag)
    if author is not None:
        articles = articles.filter(bylines__author=author)
    return articles


# The story page's reads, compiled once (see masthead.core.db.prepared): building their SQL
# afresh cost the page more than running them.
_live_story = PreparedRead(
    lambda slug, now: (
        Article.objects.live(now=now)
        .select_related("section", "featured_image")
        .filter(slug=slug)
        .order_by()  # one row or none: slugs are unique
    ),
    slug=Param(Article, "slug"),
    now=Param(Article, "published_at"),
)
_commentable_story = PreparedRead(
    lambda pk, now: (
        Article.objects.live(now=now).select_related("section").filter(pk=pk).order_by()
    ),
    pk=Param(Article, "id"),
    now=Param(Article, "published_at"),
)
_bylines = PreparedRead(
    lambda article: Byline.objects.select_related("author", "author__photo").filter(
        article_id=article
    ),
    article=Param(Byline, "article"),
)
_tags = PreparedRead(
    lambda article: Tag.objects.only("name", "slug").filter(articles__id=article),
    article=Param(Article, "id"),
)
_notes = PreparedRead(
    lambda article: ArticleNote.objects.filter(article_id=article),
    article=Param(ArticleNote, "article"),
)


def _with_page_parts(article: Article) -> Article:
    """Load what the story page shows beside the story itself — bylines with their authors,
    topics, corrections and updates — in three plain queries.

    ``prefetch_related`` would do the same for a list of stories; for the one story of a page
    its planning costs more than the queries, so the results are handed to the relations'
    caches directly, as ``prefetch_related`` hands them: ``article.tags.all()`` and the rest
    then read them without a query.
    """
    parts = {
        "bylines": _bylines(article=article.pk),
        "tags": _tags(article=article.pk),
        "notes": _notes(article=article.pk),
    }
    cache = article.__dict__.setdefault("_prefetched_objects_cache", {})
    for relation, rows in parts.items():
        queryset = getattr(article, relation).get_queryset()
        queryset._result_cache = rows
        queryset._prefetch_done = True
        cache[relation] = queryset
    return article


def article_count_awaiting_review() -> int:
    """Stories a contributor has sent for an editor to publish."""
    return Article.objects.filter(status=Article.Status.PENDING).count()


def article_get_live(*, slug: str) -> Article | None:
    """The live story with this slug, with everything its page shows, or None."""
    found = _live_story(slug=slug, now=timezone.now())  # slugs are unique: one row or none
    return _with_page_parts(found[0]) if found else None


def article_get_commentable(*, pk: int) -> Article | None:
    """The live story with this id, with its section, as a comment posted to it needs it."""
    found = _commentable_story(pk=pk, now=timezone.now())
    return found[0] if found else None


def article_get_for_preview(*, pk: int) -> Article | None:
    """Any story, whatever its status, for a signed preview link."""
    found = Article.objects.select_related("section", "featured_image").filter(pk=pk).order_by()
    return _with_page_parts(found[0]) if found else None


@dataclass
class HomePage:
    lead: Article | None
    latest: list[Article]
    sections: list[tuple[Section, list[Article]]] = field(default_factory=list)


HOME_WINDOW = 400  # newest stories scanned to fill the section blocks in one query


def home_page(*, latest_count: int = 8, per_section: int = 4) -> HomePage:
    """The lead story (the newest pinned one, else the newest), the latest, and each section.

    Section blocks are chosen from the ids of the newest stories (one light query), and a
    section only gets a query of its own if it has nothing that recent. Then one query loads
    every chosen card and one their bylines: the count does not grow with the archive.
    """
    now = timezone.now()
    live = Article.objects.live(now=now)
    lead_id = live.filter(pinned=True).newest_first().values_list("pk", flat=True).first()
    recent = list(live.newest_first().values_list("pk", "section_id")[:HOME_WINDOW])
    if lead_id is None and recent:
        lead_id = recent[0][0]
    latest_ids = [pk for pk, _ in recent if pk != lead_id][:latest_count]
    shown = {*latest_ids, lead_id}
    sections = list(Section.objects.filter(show_on_home=True))
    chosen: dict[int, list[int]] = {section.pk: [] for section in sections}
    for pk, section_id in recent:
        picks = chosen.get(section_id)
        if picks is not None and pk not in shown and len(picks) < per_section:
            picks.append(pk)
    for section in sections:
        if len(chosen[section.pk]) < per_section and len(recent) == HOME_WINDOW:
            older = live.filter(section=section).exclude(pk__in=shown).newest_first()
            chosen[section.pk] = list(older.values_list("pk", flat=True)[:per_section])
    wanted = {lead_id, *latest_ids, *(pk for picks in chosen.values() for pk in picks)}
    cards = Article.objects.for_cards().in_bulk([pk for pk in wanted if pk is not None])
    prefetch_bylines(list(cards.values()))
    blocks = [
        (section, [cards[pk] for pk in chosen[section.pk] if pk in cards])
        for section in sections
        if chosen[section.pk]
    ]
    return HomePage(
        lead=cards.get(lead_id),
        latest=[cards[pk] for pk in latest_ids if pk in cards],
        sections=blocks,
    )
