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
import threading
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control, set_response_etag

from masthead.core import pagemirror, postponed
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
# A reader sent back to a page after changing it (posting a comment) gets the page fresh:
# the address carries ``?posted=…``, which neither the browser's cache nor ours has seen,
# and the answer is marked private, so the reader never sees the copy from before the post.
FRESH_PARAM = "posted"
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


def _snapshot(groups: Iterable[str]) -> dict[str, str]:
    """The current version token of each group the page depends on (created if missing)."""
    keys = _version_keys([*groups, ALWAYS])  # every page depends on the site as a whole
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            cache.add(key, secrets.token_hex(4), timeout=None)
            found[key] = cache.get(key) or "unavailable"
    return found


# Groups whose purge could not reach the cache (a Redis outage): the pages stored before
# the outage would be served again once Redis is back, so the purge is retried (before this
# process serves a cached page, and by the worker every tick) until it gets through. Their
# version keys are also recorded in the database (core/postponed.py), for the worker to
# delete should this process end before the cache is back.
_unpurged: set[str] = set()
_unpurged_lock = threading.Lock()  # the worker's threads purge too


def purge(*groups: str) -> None:
    """Every cached page depending on any of ``groups`` is stale once the transaction commits.

    Purging at commit, not before, means no request can cache the old page again between
    the purge and the commit.
    """
    if not groups:
        return

    def renew() -> None:
        _renew(groups)
        pagemirror.purge(groups, everything=ALWAYS in groups)
        logger.debug("Purged page groups %s", ", ".join(sorted(groups)))

    transaction.on_commit(renew)


def _renew(groups: Iterable[str]) -> bool:
    with _unpurged_lock:
        groups = set(groups) | _unpurged
    keys = _version_keys(groups)
    failed = cache.set_many({key: secrets.token_hex(4) for key in keys}, timeout=None)
    with _unpurged_lock:
        if failed:
            if not _unpurged:
                logger.warning("Cache unreachable: page purge postponed until it is back")
            new = groups - _unpurged
            _unpurged.update(groups)
        else:
            _unpurged.difference_update(groups)  # only what was sent: others may fail since
            return not _unpurged
    # Also in the database, for the worker, should this process end first (a CLI command).
    postponed.postpone(_version_keys(new))
    return False


def retry_purges() -> bool:
    """Send the purges an outage held back; True when none is left."""
    return not _unpurged or _renew(())


def purge_everything() -> None:
    purge(ALWAYS)


def site_version() -> str | None:
    """The version token every page depends on (it changes with each ``purge_everything``)."""
    return cache.get(_version_keys([ALWAYS])[0])


def entry_key(host: str, full_path: str) -> str:
    digest = hashlib.sha256(f"{host.lower()}|{full_path}".encode()).hexdigest()
    return f"pagecache:page:{digest}"


def fresh_entry(key: str):
    """The stored page at ``key`` if no group it depends on was purged since: (content,
    headers, etag), else None. Two cache reads; used by the WSGI fast path and the middleware."""
    if _unpurged and not retry_purges():
        return None  # the cache is still unreachable, or holds pages it should not
    entry = cache.get(key)
    if entry is None:
        return None
    snapshot, content, headers, etag = entry
    if cache.get_many(list(snapshot)) != snapshot:
        return None
    return content, headers, etag


def bypass_cookies() -> list[str]:
    return app_settings.PAGE_CACHE_BYPASS_COOKIES


def browser_cache_control() -> str:
    return f"public, max-age={app_settings.PAGE_CACHE_BROWSER_SECONDS}"


def _bypassed(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD"):
        return True
    if any(name in request.COOKIES for name in bypass_cookies()):
        return True
    if FRESH_PARAM in request.GET:
        return True
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


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
        pending = getattr(request, "_page_cache_pending", None)
        if pending is None:
            if getattr(request, "_page_cache_bypassed", False):
                patch_cache_control(response, private=True, no_cache=True)
            return response
        key, snapshot = pending
        if _storable(response):
            patch_cache_control(
                response, public=True, max_age=app_settings.PAGE_CACHE_BROWSER_SECONDS
            )
            if not response.has_header("ETag"):
                set_response_etag(response)
            headers = {name: response[name] for name in STORED_HEADERS if name in response}
            entry = (snapshot, response.content, headers, response["ETag"])
            cache.set(key, entry, app_settings.PAGE_CACHE_SECONDS)
            response["X-Page-Cache"] = "miss"
            if not request.GET and response.get("Content-Type", "").startswith("text/html"):
                pagemirror.store(
                    host=request.get_host(),
                    path=request.path,
                    content=response.content,
                    groups=[k.removeprefix("pagecache:v:") for k in snapshot],
                    still_fresh=lambda: cache.get_many(list(snapshot)) == snapshot,
                )
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        groups_for = getattr(view_func, "page_cache_groups", None)
        if groups_for is None or not app_settings.PAGE_CACHE_SECONDS:
            return None
        if _bypassed(request):
            request._page_cache_bypassed = True
            return None
        key = entry_key(request.get_host(), request.get_full_path())
        # Versions are read before the page is made: a purge while it renders makes the
        # stored copy stale at once.
        snapshot = _snapshot(groups_for(request, **view_kwargs))
        hit = None if request.META.get(FAST_PATH_MISSED) else fresh_entry(key)
        if hit is None:
            request._page_cache_pending = (key, snapshot)
            return None
        content, headers, etag = hit
        response = HttpResponse(content, headers={**headers, "ETag": etag})
        response["X-Page-Cache"] = "hit"
        response["Cache-Control"] = browser_cache_control()
        return response


FAST_PATH_MISSED = "masthead.pagecache.missed"


class PageCacheApplication:
    """WSGI wrapper answering anonymous GETs from the page cache before Django starts work.

    The same entries as :class:`PageCacheMiddleware`, found by host and path; on a miss the
    request goes on to Django, marked so the middleware does not look again.
    """

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        if environ.get("REQUEST_METHOD") in ("GET", "HEAD") and app_settings.PAGE_CACHE_SECONDS:
            cookies = environ.get("HTTP_COOKIE", "")
            if not any(f"{name}=" in cookies for name in bypass_cookies()):
                hit = self._lookup(environ)
                if hit is not None:
                    return self._respond(environ, start_response, *hit)
                environ[FAST_PATH_MISSED] = True
        return self.application(environ, start_response)

    @staticmethod
    def _lookup(environ):
        host = environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "")
        path = environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")
        query = environ.get("QUERY_STRING", "")
        try:
            path = path.encode("latin-1").decode("utf-8")
            return fresh_entry(entry_key(host, f"{path}?{query}" if query else path))
        except (UnicodeError, ValueError):
            return None

    @staticmethod
    def _respond(environ, start_response, content, headers, etag):
        base = [*headers.items(), ("ETag", etag), ("X-Page-Cache", "hit"),
                ("Cache-Control", browser_cache_control()),
                *security_headers(_secure(environ))]  # fmt: skip
        if etag in environ.get("HTTP_IF_NONE_MATCH", ""):
            start_response("304 Not Modified", [h for h in base if h[0] != "Content-Type"])
            return [b""]
        start_response("200 OK", [*base, ("Content-Length", str(len(content)))])
        return [b"" if environ["REQUEST_METHOD"] == "HEAD" else content]


def _secure(environ) -> bool:
    """``request.is_secure()`` for a request Django has not seen: https behind the proxy
    named by ``SECURE_PROXY_SSL_HEADER``, or on the connection itself."""
    proxied = settings.SECURE_PROXY_SSL_HEADER
    if proxied and environ.get(proxied[0]) is not None:
        return environ[proxied[0]].split(",", 1)[0].strip() == proxied[1]
    return environ.get("wsgi.url_scheme") == "https"


SECURITY_SETTINGS = (
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "SECURE_CROSS_ORIGIN_OPENER_POLICY",
    "X_FRAME_OPTIONS",
)
_security_headers: dict[tuple, list[tuple[str, str]]] = {}


def security_headers(secure: bool) -> list[tuple[str, str]]:
    """The headers Django's security and clickjacking middleware give a page (HSTS, nosniff,
    Referrer-Policy, COOP, X-Frame-Options), for the WSGI fast path, which answers before
    those middleware run. Made by the middleware themselves, once per configuration."""
    key = (secure, *(str(getattr(settings, name)) for name in SECURITY_SETTINGS))
    headers = _security_headers.get(key)
    if headers is None:
        from django.middleware.clickjacking import XFrameOptionsMiddleware
        from django.middleware.security import SecurityMiddleware

        request = HttpRequest()
        request.is_secure = lambda: secure
        response = HttpResponse()
        del response["Content-Type"]
        for middleware in (XFrameOptionsMiddleware, SecurityMiddleware):
            response = middleware(HttpResponse).process_response(request, response)
        headers = _security_headers[key] = list(response.items())
    return headers
