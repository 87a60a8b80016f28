"""System checks for the discussion app's deployment settings."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.core.exceptions import ImproperlyConfigured

from masthead.discussion.conf import PENDING_COOKIE, REMEMBER_COOKIE


@register(Tags.compatibility)
def check_spam_checker(app_configs, **kwargs):
    from masthead.discussion.spam import _load, get_checker

    _load.cache_clear()
    try:
        get_checker()
    except ImproperlyConfigured as err:
        return [
            Error(
                str(err),
                hint="Fix SPAM_CHECKER, or remove it to use the default "
                "(masthead.antispam.checker.LocalSpamChecker).",
                id="masthead.E301",
            )
        ]
    return []


@register(Tags.caches)
def check_page_cache_cookies(app_configs, **kwargs):
    from masthead.core.pagecache import app_settings as cache_settings

    missing = [
        name
        for name in (REMEMBER_COOKIE, PENDING_COOKIE)
        if name not in cache_settings.PAGE_CACHE_BYPASS_COOKIES
    ]
    if missing and getattr(settings, "MASTHEAD_PAGE_CACHE_SECONDS", 0):
        return [
            Warning(
                f"MASTHEAD_PAGE_CACHE_BYPASS_COOKIES lacks {', '.join(missing)}.",
                hint="Readers would get cached pages without their pending comments or "
                "remembered details; add the cookie names to the list.",
                id="masthead.W301",
            )
        ]
    return []
