"""Signed preview links: an unpublished story can be shown to anyone holding the link."""

from __future__ import annotations

from datetime import timedelta

from django.core import signing
from django.urls import reverse

SALT = "masthead.newsroom.preview"
MAX_AGE = timedelta(days=7)


def preview_token(article_id: int) -> str:
    return signing.dumps({"a": article_id}, salt=SALT, compress=True)


def preview_url(article_id: int) -> str:
    return reverse("newsroom:preview", kwargs={"token": preview_token(article_id)})


def preview_article_id(token: str) -> int | None:
    """The story a token grants, or None if it is forged, damaged or older than a week."""
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return None
    value = data.get("a") if isinstance(data, dict) else None
    return value if isinstance(value, int) else None
