from django import template

from masthead.syndication.share import share_links
from masthead.syndication.structured import absolute, article_images, article_json_ld, json_script

register = template.Library()


@register.inclusion_tag("syndication/article_meta.html", takes_context=True)
def article_meta(context, article):
    """Canonical link, Open Graph and Twitter card tags, and NewsArticle JSON-LD."""
    url = absolute(article.get_absolute_url())
    return {
        "site_name": context.get("site_name", ""),
        "article": article,
        "url": url,
        "canonical": article.canonical_url or url,
        "images": article_images(article),
        "json_ld": json_script(article_json_ld(article)),
    }


@register.inclusion_tag("syndication/share.html")
def share(article):
    url = absolute(article.get_absolute_url())
    return {
        "links": share_links(url=url, title=article.headline),
        "url": url,
        "title": article.headline,
    }


@register.simple_tag
def absolute_url(path: str) -> str:
    return absolute(path)
