from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.sitemaps.views import SitemapIndexItem
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from masthead.newsroom.models import Article

NEWS_SITEMAP_WINDOW = timedelta(days=2)
NEWS_SITEMAP_LIMIT = 1000


@require_safe
@cache_control(max_age=300, public=True)
def news_sitemap(request):
    """Google News sitemap: stories from the last two days, at most 1,000."""
    now = timezone.now()
    articles = (
        Article.objects.live(now=now)
        .filter(published_at__gte=now - NEWS_SITEMAP_WINDOW)
        .order_by("-published_at", "-id")
        .only("headline", "slug", "published_at", "created_at")[:NEWS_SITEMAP_LIMIT]
    )
    language = settings.LANGUAGE_CODE.split("-")[0]
    return render(
        request,
        "syndication/news_sitemap.xml",
        {"articles": articles, "language": language},
        content_type="application/xml; charset=utf-8",
    )


@require_safe
@cache_control(max_age=86400, public=True)
def robots_txt(request):
    return render(request, "syndication/robots.txt", content_type="text/plain; charset=utf-8")


@require_safe
def sitemap_index(request, sitemaps: dict):
    """The sitemap index, with addresses built from SITE_URL rather than the request's host."""
    items = []
    for section, sitemap_class in sitemaps.items():
        sitemap = sitemap_class()
        url = settings.SITE_URL + reverse("syndication:sitemap-section", args=[section])
        lastmod = sitemap.get_latest_lastmod()
        items.append(SitemapIndexItem(url, lastmod))
        items += [
            SitemapIndexItem(f"{url}?p={page}", lastmod)
            for page in range(2, sitemap.paginator.num_pages + 1)
        ]
    return TemplateResponse(
        request, "sitemap_index.xml", {"sitemaps": items}, content_type="application/xml"
    )
