"""Signed tokens for links in emails and for the reader's own cookies.

Each purpose has its own salt, so a token made for one can never be used for another.
"""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

from django.core import signing

from masthead.discussion.conf import app_settings


def make(purpose: str, payload: Any) -> str:
    return signing.dumps(payload, salt=f"masthead.discussion.{purpose}", compress=True)


def read(purpose: str, token: str, *, max_age: timedelta | None = None) -> Any | None:
    """The payload, or None when the token is forged, damaged or older than ``max_age``."""
    try:
        return signing.loads(token, salt=f"masthead.discussion.{purpose}", max_age=max_age)
    except (signing.BadSignature, ValueError, TypeError):
        return None


def form_token(article_id: int, *, issued_at: float | None = None) -> str:
    """The comment form's signed timestamp, for one story."""
    return make("form", [article_id, int(time.time() if issued_at is None else issued_at)])


def form_issued_at(token: str, article_id: int) -> int | None:
    """When the form was made (epoch seconds), or None for a missing, forged or other
    story's token."""
    payload = read("form", token) if token else None
    if not (isinstance(payload, list) and len(payload) == 2 and payload[0] == article_id):
        return None
    return payload[1] if isinstance(payload[1], int) else None


def link_max_age() -> timedelta:
    return timedelta(days=app_settings.CONFIRMATION_LINK_DAYS)
