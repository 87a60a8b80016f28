from django.conf import settings

from masthead.newsroom.selectors import navigation_sections


def site(request) -> dict:
    return {
        "site_name": settings.SITE_NAME,
        "site_url": settings.SITE_URL,
        "navigation_sections": navigation_sections,  # called lazily, cached
    }
