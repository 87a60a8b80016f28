from functools import lru_cache

from django.conf import settings
from django.urls import reverse

from masthead.newsroom.selectors import navigation_sections


@lru_cache(maxsize=1)
def site_links() -> dict[str, str]:
    """Addresses every page links to; reversed once per process, not on every page."""
    return {
        "home": reverse("newsroom:home"),
        "search": reverse("newsroom:search"),
        "feed": reverse("syndication:feed"),
        "feed_atom": reverse("syndication:feed-atom"),
        "comments_feed": reverse("discussion:feed"),
        "privacy": reverse("discussion:privacy"),
    }


def site(request) -> dict:
    return {
        "site_name": settings.SITE_NAME,
        "site_url": settings.SITE_URL,
        "site_links": site_links(),
        "navigation_sections": navigation_sections,  # called lazily, cached
    }
