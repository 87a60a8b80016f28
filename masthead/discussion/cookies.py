"""The reader's own cookies: remembered details (only when asked), pending comments, and
the comments this browser may still change.

The first two are signed, HttpOnly and SameSite=Lax; either one makes the page cache hand
the reader a page made for them alone (see ``MASTHEAD_PAGE_CACHE_BYPASS_COOKIES``). The
third pair does not: the signed, HttpOnly ``masthead_edit`` says which comments the browser
may change (for ``COMMENT_EDIT_MINUTES`` after posting), and ``masthead_editable``, which
holds no secret, tells comments.js where to show "Edit" on cached pages.
"""

from __future__ import annotations

import json

from django.conf import settings

from masthead.discussion.conf import (
    EDIT_COOKIE,
    EDITABLE_COOKIE,
    PENDING_COOKIE,
    REMEMBER_COOKIE,
    app_settings,
)

SALT = "masthead.discussion.cookie"
PENDING_KEEP = 20
EDIT_KEEP = 10


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


def editable_ids(request) -> list[int]:
    """The comments this browser posted in the last ``COMMENT_EDIT_MINUTES`` (by its
    cookie; the comment's own time decides whether it may still be changed)."""
    minutes = app_settings.COMMENT_EDIT_MINUTES
    if not minutes:
        return []
    raw = request.get_signed_cookie(EDIT_COOKIE, default=None, salt=SALT, max_age=minutes * 60)
    try:
        data = json.loads(raw) if raw else []
    except ValueError:
        return []
    return [i for i in data if isinstance(i, int)][-EDIT_KEEP:] if isinstance(data, list) else []


def set_editable(request, response, comments) -> None:
    """The browser may change ``comments`` (the ones it posted, newest last, each with its
    ``pk`` and ``created_at``) until ``COMMENT_EDIT_MINUTES`` after each was posted."""
    minutes = app_settings.COMMENT_EDIT_MINUTES
    if not minutes:
        return
    comments = list(comments)[-EDIT_KEEP:]
    options = {"max_age": minutes * 60, "samesite": "Lax", "secure": settings.SESSION_COOKIE_SECURE}
    if not comments:
        for name in (EDIT_COOKIE, EDITABLE_COOKIE):
            if name in request.COOKIES:
                response.delete_cookie(name, samesite="Lax")
        return
    ids = json.dumps([c.pk for c in comments])
    response.set_signed_cookie(EDIT_COOKIE, ids, salt=SALT, httponly=True, **options)
    until = [f"{c.pk}.{int(c.created_at.timestamp()) + minutes * 60}" for c in comments]
    response.set_cookie(EDITABLE_COOKIE, "-".join(until), httponly=False, **options)
