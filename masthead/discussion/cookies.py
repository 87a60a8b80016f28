"""The reader's own cookies: remembered details (only when asked) and pending comments.

Both are signed, HttpOnly and SameSite=Lax; either one makes the page cache hand the reader
a page made for them alone (see ``MASTHEAD_PAGE_CACHE_BYPASS_COOKIES``).
"""

from __future__ import annotations

import json

from django.conf import settings

from masthead.discussion.conf import PENDING_COOKIE, REMEMBER_COOKIE, app_settings

SALT = "masthead.discussion.cookie"
PENDING_KEEP = 20


def _options(days: int) -> dict:
    return {
        "max_age": days * 86400,
        "httponly": True,
        "samesite": "Lax",
        "secure": settings.SESSION_COOKIE_SECURE,
        "salt": SALT,
    }


def _read(request, name: str, days: int):
    raw = request.get_signed_cookie(name, default=None, salt=SALT, max_age=days * 86400)
    if raw is None:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        return None


def remembered(request) -> dict[str, str]:
    data = _read(request, REMEMBER_COOKIE, app_settings.COMMENT_COOKIE_DAYS)
    if not isinstance(data, dict):
        return {}
    return {
        key: str(data.get(key, ""))[:245] for key in ("author_name", "author_email", "author_url")
    }


def remember(response, *, name: str, email: str, url: str) -> None:
    value = json.dumps({"author_name": name, "author_email": email, "author_url": url})
    response.set_signed_cookie(REMEMBER_COOKIE, value, **_options(app_settings.COMMENT_COOKIE_DAYS))


def forget(request, response) -> None:
    if REMEMBER_COOKIE in request.COOKIES:
        response.delete_cookie(REMEMBER_COOKIE, samesite="Lax")


def pending_ids(request) -> list[int]:
    data = _read(request, PENDING_COOKIE, app_settings.PENDING_COOKIE_DAYS)
    if not isinstance(data, list):
        return []
    return [int(i) for i in data if isinstance(i, int)][-PENDING_KEEP:]


def add_pending(request, response, comment_id: int) -> None:
    ids = [*pending_ids(request), comment_id][-PENDING_KEEP:]
    response.set_signed_cookie(
        PENDING_COOKIE, json.dumps(ids), **_options(app_settings.PENDING_COOKIE_DAYS)
    )
