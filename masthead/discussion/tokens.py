"""Signed tokens for links in emails and for the reader's own cookies.

Each purpose has its own salt, so a token made for one can never be used for another.
Tokens that carry an email address (:data:`SEALED`) are encrypted as well as signed
(Fernet): a link in an email ends up in browser histories, proxies' and mail scanners'
logs, and a signed token is only base64 — anyone could read the address back.
"""

from __future__ import annotations

import base64
import json
import time
from datetime import timedelta
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core import signing
from django.utils.crypto import salted_hmac

from masthead.discussion.conf import app_settings

# The purposes whose payload holds an email address.
SEALED = frozenset({"confirm", "data-request"})


def _fernet(purpose: str) -> MultiFernet:
    """A key per purpose, derived from SECRET_KEY (and its fallbacks, for rotation)."""
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    salt = f"masthead.discussion.sealed.{purpose}"
    return MultiFernet(
        [
            Fernet(
                base64.urlsafe_b64encode(
                    salted_hmac(salt, "key", secret=s, algorithm="sha256").digest()
                )
            )
            for s in secrets
        ]
    )


def make(purpose: str, payload: Any) -> str:
    if purpose in SEALED:
        data = json.dumps(payload, separators=(",", ":")).encode()
        return _fernet(purpose).encrypt(data).decode().rstrip("=")
    return signing.dumps(payload, salt=f"masthead.discussion.{purpose}", compress=True)


def read(purpose: str, token: str, *, max_age: timedelta | None = None) -> Any | None:
    """The payload, or None when the token is forged, damaged or older than ``max_age``."""
    if purpose in SEALED and ":" not in token:  # signed tokens (older links) have colons
        ttl = None if max_age is None else int(max_age.total_seconds())
        padded = token + "=" * (-len(token) % 4)
        try:
            return json.loads(_fernet(purpose).decrypt(padded.encode(), ttl=ttl))
        except (InvalidToken, ValueError, TypeError):
            return None
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
