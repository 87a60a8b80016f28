"""The article page's metadata and share links, rendered in Python (every page view renders
them; two sub-templates cost more than the queries behind them)."""

from __future__ import annotations

from html import escape

from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from masthead.syndication.share import share_links
from masthead.syndication.structured import absolute, article_images, article_json_ld, json_script


def _meta(attribute: str, name: str, content: str) -> str:
    return f'<meta {attribute}="{name}" content="{escape(content)}">'


def article_meta_html(article, *, site_name: str) -> SafeString:
    """Canonical link, description, Open Graph and Twitter card tags, NewsArticle JSON-LD."""
    url = absolute(article.get_absolute_url())
    title = article.seo_title or article.headline
    description = article.description
    images = article_images(article)
    lines = [
        f'<link rel="canonical" href="{escape(article.canonical_url or url)}">',
        _meta("name", "description", description),
        _meta("property", "og:type", "article"),
        _meta("property", "og:site_name", site_name),
        _meta("property", "og:title", title),
        _meta("property", "og:description", description),
        _meta("property", "og:url", url),
    ]
    if images:
        lines.append(_meta("property", "og:image", images[0]))
        lines.append(_meta("property", "og:image:alt", article.featured_image.alt_text))
    if article.published_at:
        published = timezone.localtime(article.published_at).isoformat()
        lines.append(_meta("property", "article:published_time", published))
    if article.shown_updated_at:
        updated = timezone.localtime(article.shown_updated_at).isoformat()
        lines.append(_meta("property", "article:modified_time", updated))
    lines.append(_meta("property", "article:section", article.section.name))
    lines += [_meta("property", "article:tag", tag.name) for tag in article.tags.all()]
    lines += [
        _meta("name", "twitter:card", "summary_large_image" if images else "summary"),
        _meta("name", "twitter:title", title),
        _meta("name", "twitter:description", description),
        json_script(article_json_ld(article)),
    ]
    return mark_safe("\n".join(lines))


def share_html(article) -> SafeString:
    """Plain share links, the Web Share API button and copy-link, with no third-party script."""
    url = absolute(article.get_absolute_url())
    title = article.headline
    items = []
    for link in share_links(url=url, title=title):
        if link.key == "email":
            extra = f'aria-label="{escape(link.label)}"'
        else:
            extra = (
                'rel="noopener noreferrer nofollow" target="_blank" '
                f'aria-label="{escape(link.label)} (opens in a new tab)"'
            )
        items.append(
            f'<li><a class="share__link share__link--{escape(link.key)}" href="{escape(link.url)}" '
            f"{extra}>{escape(link.name)}</a></li>"
        )
    return mark_safe(
        f'<section class="share" aria-labelledby="share-title" data-share-url="{escape(url)}" '
        f'data-share-title="{escape(title)}">'
        '<h2 id="share-title" class="share__title">Share this Article</h2>'
        '<ul class="share__list"><li class="share__native" hidden><button type="button" '
        'class="share__link" data-share-native>Share…</button></li>'
        + "".join(items)
        # Hidden until the script wires it up: without JavaScript it would do nothing.
        + f'<li class="share__copy" hidden><button type="button" class="share__link" '
        f'data-copy-link="{escape(url)}" '
        'aria-label="Copy link to this story">Copy link</button>'
        '<span class="share__status" role="status" aria-live="polite"></span></li></ul></section>'
    )
