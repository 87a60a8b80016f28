"""Whole pages for anonymous readers, from the cache, purged precisely.

A view opts in by naming the *groups* its page depends on::

    @cached_page(lambda request, slug, **kw: ["home", f"section:{slug}"])
    def section_detail(request, slug): ...

Each group has a version token in the cache; a page's cache key includes the tokens of its
groups. Purging a group (``purge("section:politics")``) replaces its token, so every page
that depends on it misses from then on — on every app server at once when the cache is
Redis — while pages of other groups stay cached.

Only anonymous GET and HEAD requests are served from or stored in the cache: a logged-in
editor, or a reader with a pending comment, never sees someone else's page, and a response
that sets a cookie or says ``private`` is never stored.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Callable, Iterable

from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

from masthead.core.conf import AppSettings

logger = logging.getLogger("masthead.pagecache")

app_settings = AppSettings(
    "MASTHEAD_",
    {
        "PAGE_CACHE_SECONDS": 600,
        "PAGE_CACHE_BROWSER_SECONDS": 60,
        # Readers carrying one of these cookies get pages made for them alone.
        "PAGE_CACHE_BYPASS_COOKIES": [
            "sessionid",
            "messages",
            "masthead_pending",
            "masthead_commenter",
        ],
    },
)

GroupMaker = Callable[..., Iterable[str]]
STORED_HEADERS = ("Content-Type", "Content-Language", "Last-Modified", "X-Robots-Tag", "Link")
ALWAYS = "site"


def cached_page(groups: GroupMaker):
    """Mark a view as cacheable for anonymous readers; ``groups(request, **kwargs)`` names
    what its page depends on."""

    def decorator(view):
        view.page_cache_groups = groups
        return view

    return decorator


def _version_keys(groups: Iterable[str]) -> list[str]:
    return [f"pagecache:v:{group}" for group in sorted(set(groups))]


def _versions(groups: Iterable[str]) -> list[str]:
    keys = _version_keys([*groups, ALWAYS])  # every page depends on the site as a whole
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            cache.add(key, secrets.token_hex(4), timeout=None)
            found[key] = cache.get(key) or "unavailable"
    return [found[key] for key in keys]


def purge(*groups: str) -> None:
    """Every cached page depending on any of ``groups`` is stale once the transaction commits.

    Purging at commit, not before, means no request can cache the old page again between
    the purge and the commit.
    """
    if not groups:
        return

    def renew() -> None:
        cache.set_many({key: secrets.token_hex(4) for key in _version_keys(groups)}, timeout=None)
        logger.debug("Purged page groups %s", ", ".join(sorted(groups)))

    transaction.on_commit(renew)


def purge_everything() -> None:
    purge(ALWAYS)


def _bypassed(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD"):
        return True
    if any(name in request.COOKIES for name in app_settings.PAGE_CACHE_BYPASS_COOKIES):
        return True
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


def _key(request: HttpRequest, groups: Iterable[str]) -> str:
    url = request.get_full_path()
    digest = hashlib.sha256(f"{request.get_host()}|{url}|{'|'.join(_versions(groups))}".encode())
    return f"pagecache:page:{digest.hexdigest()}"


def _storable(response: HttpResponse) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    control = response.get("Cache-Control", "")
    return "private" not in control and "no-store" not in control


class PageCacheMiddleware:
    """Serves and stores pages of views marked with :func:`cached_page`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        key = getattr(request, "_page_cache_key", None)
        if key is None:
            if getattr(request, "_page_cache_bypassed", False):
                patch_cache_control(response, private=True, no_cache=True)
            return response
        if _storable(response):
            headers = {name: response[name] for name in STORED_HEADERS if name in response}
            cache.set(key, (response.content, headers), app_settings.PAGE_CACHE_SECONDS)
            response["X-Page-Cache"] = "miss"
            patch_cache_control(
                response, public=True, max_age=app_settings.PAGE_CACHE_BROWSER_SECONDS
            )
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        groups_for = getattr(view_func, "page_cache_groups", None)
        if groups_for is None or not app_settings.PAGE_CACHE_SECONDS:
            return None
        if _bypassed(request):
            request._page_cache_bypassed = True
            return None
        key = _key(request, groups_for(request, **view_kwargs))
        hit = cache.get(key)
        if hit is None:
            request._page_cache_key = key
            return None
        content, headers = hit
        response = HttpResponse(content, headers=headers)
        response["X-Page-Cache"] = "hit"
        patch_cache_control(response, public=True, max_age=app_settings.PAGE_CACHE_BROWSER_SECONDS)
        return response
