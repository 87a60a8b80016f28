"""Reads for reader pages: each returns what a page needs in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from masthead.newsroom.models import Article, ArticleNote, Author, Byline, Section, Tag

NAVIGATION_CACHE_KEY = "newsroom:navigation:v1"


def navigation_sections() -> list[Section]:
    """Sections for the site's navigation, cached until a section changes."""
    sections = cache.get(NAVIGATION_CACHE_KEY)
    if sections is None:
        sections = list(Section.objects.only("name", "slug", "position"))
        cache.set(NAVIGATION_CACHE_KEY, sections, 3600)
    return sections


def navigation_invalidate() -> None:
    cache.delete(NAVIGATION_CACHE_KEY)


def article_list(
    *, section: Section | None = None, tag: Tag | None = None, author: Author | None = None
) -> QuerySet[Article]:
    """Live stories, newest first, ready to be shown as cards."""
    articles = Article.objects.live().for_listing().newest_first()
    if section is not None:
        articles = articles.filter(section=section)
    if tag is not None:
        articles = articles.filter(tags=tag)
    if author is not None:
        articles = articles.filter(bylines__author=author)
    return articles


def _article_page_queryset() -> QuerySet[Article]:
    return Article.objects.select_related("section", "featured_image").prefetch_related(
        Prefetch("bylines", queryset=Byline.objects.select_related("author", "author__photo")),
        Prefetch("tags", queryset=Tag.objects.only("name", "slug")),
        Prefetch("notes", queryset=ArticleNote.objects.all()),
    )


def article_get_live(*, slug: str) -> Article | None:
    """The live story with this slug, with everything its page shows, or None."""
    return _article_page_queryset().live().filter(slug=slug).first()


def article_get_for_preview(*, pk: int) -> Article | None:
    """Any story, whatever its status, for a signed preview link."""
    return _article_page_queryset().filter(pk=pk).first()


@dataclass
class HomePage:
    lead: Article | None
    latest: list[Article]
    sections: list[tuple[Section, list[Article]]] = field(default_factory=list)


def home_page(*, latest_count: int = 8, per_section: int = 4) -> HomePage:
    """The lead story (the newest pinned one, else the newest), the latest, and each section.

    One query for the lead and latest, one per home-page section, and the prefetches; the
    count does not grow with the number of stories.
    """
    now = timezone.now()
    live = Article.objects.live(now=now).for_listing()
    lead = live.filter(pinned=True).newest_first().first()
    latest = list(live.newest_first()[: latest_count + 1])
    if lead is None and latest:
        lead = latest[0]
    latest = [article for article in latest if lead is None or article.pk != lead.pk]
    latest = latest[:latest_count]
    shown = {a.pk for a in latest} | ({lead.pk} if lead else set())
    blocks = []
    for section in Section.objects.filter(show_on_home=True):
        stories = [
            a
            for a in live.filter(section=section).newest_first()[: per_section + len(shown)]
            if a.pk not in shown
        ][:per_section]
        if stories:
            blocks.append((section, stories))
    return HomePage(lead=lead, latest=latest, sections=blocks)
