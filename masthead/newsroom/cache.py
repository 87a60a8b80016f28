"""Which cached pages a change in the newsroom makes stale, and purging them."""

from __future__ import annotations

from collections.abc import Iterable

from masthead.core.pagecache import cached_page, purge

home_page = cached_page(lambda request, **kwargs: ["home"])
article_page = cached_page(lambda request, slug, **kwargs: [f"article:{slug}"])
section_page = cached_page(lambda request, slug, **kwargs: [f"section:{slug}"])
tag_page = cached_page(lambda request, slug, **kwargs: [f"tag:{slug}"])
author_page = cached_page(lambda request, slug, **kwargs: [f"author:{slug}"])
feed = cached_page(lambda request, **kwargs: ["feeds"])
sitemap = cached_page(lambda request, **kwargs: ["sitemaps"])


def article_groups(article, *, extra: Iterable[str] = ()) -> list[str]:
    """The story's page and every page listing it: home, section, tags, authors, feeds."""
    return [
        "home",
        "feeds",
        "sitemaps",
        f"article:{article.slug}",
        f"section:{article.section.slug}",
        *(f"tag:{slug}" for slug in article.tags.values_list("slug", flat=True)),
        *(f"author:{slug}" for slug in article.bylines.values_list("author__slug", flat=True)),
        *extra,
    ]


def purge_article(article, *, extra: Iterable[str] = ()) -> None:
    purge(*article_groups(article, extra=extra))


def purge_articles(articles: Iterable) -> None:
    """The pages of each of ``articles`` and the pages listing them (a picture they show
    changed, for example)."""
    groups = {group for article in articles for group in article_groups(article)}
    purge(*sorted(groups))


COMMENT_LISTING_PURGE_SECONDS = 60


def purge_for_comments(article) -> None:
    """A comment appeared or went: the story's page and the comment feeds at once; the lists
    showing its comment count at most once a minute per story, so that a busy discussion
    does not keep the home page out of the cache during a spike."""
    from django.core.cache import cache

    purge(f"article:{article.slug}", "comments")
    if cache.add(f"pagecache:comment-lists:{article.pk}", 1, COMMENT_LISTING_PURGE_SECONDS):
        purge_article(article)
