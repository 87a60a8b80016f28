"""Tags for the syndication app's own Django templates (the Google News sitemap)."""

from django import template

from masthead.syndication.structured import absolute

register = template.Library()


@register.simple_tag
def absolute_url(path: str) -> str:
    """``{% absolute_url article.get_absolute_url %}``: the address built from SITE_URL."""
    return absolute(path)
