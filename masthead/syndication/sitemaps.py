"""sitemap.xml for search engines; addresses are built from SITE_URL, not the request."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap

from masthead.newsroom import selectors
from masthead.newsroom.models import Article, Author, Section, Tag


class SiteSitemap(Sitemap):
    limit = 5000

    def get_domain(self, site=None) -> str:
        return urlsplit(settings.SITE_URL).netloc

    def get_protocol(self, protocol=None) -> str:
        return urlsplit(settings.SITE_URL).scheme


class ArticleSitemap(SiteSitemap):
    changefreq = "weekly"

    def items(self):
        return (
            Article.objects.live()
            .order_by("-published_at", "-id")
            .only("slug", "published_at", "updated_at", "created_at")
        )

    def lastmod(self, item):
        return item.updated_at or item.published_at

    def get_latest_lastmod(self):
        """One aggregate query, instead of Django's default walk over every story."""
        from django.db.models import Max

        latest = Article.objects.live().aggregate(p=Max("published_at"), u=Max("updated_at"))
        return max(filter(None, latest.values()), default=None)


class ListingSitemap(SiteSitemap):
    """Sections, tags, authors: no meaningful last-modified time of their own."""

    def get_latest_lastmod(self):
        return None


class SectionSitemap(ListingSitemap):
    changefreq = "hourly"
    priority = 0.6

    def items(self):
        return Section.objects.all()


class TagSitemap(ListingSitemap):
    changefreq = "daily"
    priority = 0.3

    def items(self):
        return Tag.objects.filter(articles__in=selectors.article_list()).distinct()


class AuthorSitemap(ListingSitemap):
    changefreq = "daily"
    priority = 0.3

    def items(self):
        return Author.objects.filter(bylines__article__in=selectors.article_list()).distinct()


SITEMAPS = {
    "articles": ArticleSitemap,
    "sections": SectionSitemap,
    "tags": TagSitemap,
    "authors": AuthorSitemap,
}
