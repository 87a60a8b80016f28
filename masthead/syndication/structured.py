"""Structured data for search engines and share cards: schema.org JSON-LD, Open Graph."""

from __future__ import annotations

import json

from django.conf import settings
from django.templatetags.static import static
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString

from masthead.newsroom.models import Article


def absolute(path: str) -> str:
    if path.startswith(("http://", "https://")):
        return path
    return settings.SITE_URL + path


def article_images(article: Article) -> list[str]:
    """The featured picture for share cards and search engines, largest first: web renditions
    (at least 1200 px wide when the picture is), never an original of any size or format
    while renditions exist."""
    image = article.featured_image
    if image is None:
        return []
    urls = []
    for width in (1200, 800):
        url = absolute(image.rendition_url(width))
        if url not in urls:
            urls.append(url)
    return urls


def article_json_ld(article: Article) -> dict:
    published = article.published_at or timezone.now()
    modified = max(filter(None, [article.updated_at, published]))
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": absolute(article.get_absolute_url())},
        "headline": article.headline[:110],
        "description": article.description,
        "datePublished": timezone.localtime(published).isoformat(),
        "dateModified": timezone.localtime(modified).isoformat(),
        "author": [
            {"@type": "Person", "name": author.name, "url": absolute(author.get_absolute_url())}
            for author in article.byline_authors()
        ],
        "publisher": {
            "@type": "NewsMediaOrganization",
            "name": settings.SITE_NAME,
            "url": settings.SITE_URL + "/",
            "logo": {"@type": "ImageObject", "url": absolute(static("masthead/logo.png"))},
        },
        "articleSection": article.section.name,
        "keywords": [tag.name for tag in article.tags.all()],
        "wordCount": article.word_count,
        "isAccessibleForFree": True,
    }
    if images := article_images(article):
        data["image"] = images
    return data


def json_script(data: dict) -> SafeString:
    """A JSON-LD ``<script>`` block that cannot be broken out of."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return format_html('<script type="application/ld+json">{}</script>', SafeString(text))
