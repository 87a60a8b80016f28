"""Signed preview links: an unpublished story can be shown to anyone holding the link.

A link names the story and its ``preview_key``: giving the story a new key (the admin's
"Revoke preview links", or unpublishing a live story) revokes every link given out so far.
"""

from __future__ import annotations

from datetime import timedelta

from django.core import signing
from django.urls import reverse

SALT = "masthead.newsroom.preview"
MAX_AGE = timedelta(days=7)


def preview_token(article) -> str:
    return signing.dumps({"a": article.pk, "k": article.preview_key}, salt=SALT, compress=True)


def preview_url(article) -> str:
    return reverse("newsroom:preview", kwargs={"token": preview_token(article)})


def preview_grant(token: str) -> tuple[int, str] | None:
    """The story and key a token names, or None if it is forged, damaged or older than a
    week (the caller checks the key is still the story's)."""
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    article_id, key = data.get("a"), data.get("k")
    if not isinstance(article_id, int) or not isinstance(key, str) or not key:
        return None
    return article_id, key
