from django import template

from masthead.syndication.html import article_meta_html, share_html
from masthead.syndication.structured import absolute

register = template.Library()


@register.simple_tag(takes_context=True)
def article_meta(context, article):
    """Canonical link, Open Graph and Twitter card tags, and NewsArticle JSON-LD."""
    return article_meta_html(article, site_name=context.get("site_name", ""))


@register.simple_tag
def share(article):
    """Share links for the story: plain links, no third-party script."""
    return share_html(article)


@register.simple_tag
def absolute_url(path: str) -> str:
    return absolute(path)
