"""Signed tokens for links in emails and for the reader's own cookies.

Each purpose has its own salt, so a token made for one can never be used for another.
"""

from __future__ import annotations

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


def link_max_age() -> timedelta:
    return timedelta(days=app_settings.CONFIRMATION_LINK_DAYS)
