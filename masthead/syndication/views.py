from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.shortcuts import render
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
