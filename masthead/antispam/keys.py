"""API keys: create (shown once), revoke, and look up on each API call.

A key is 12 lower-case hexadecimal characters, the shape WordPress's Akismet plugin accepts
(it strips anything else and refuses other lengths). Only its SHA-256 is stored. Lookups are
kept in each process for ``LOOKUP_SECONDS``, so an API call costs no key query; a revoked
key stops working in the process that revoked it at once and in the others within that time.
"""

from __future__ import annotations

import re
import secrets
import threading
import time
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from masthead.antispam.models import KEY_LENGTH, ApiKey, site_host

LOOKUP_SECONDS = 10.0
_KEY_SHAPE = re.compile(rf"^[0-9a-f]{{{KEY_LENGTH}}}$")


@dataclass(frozen=True)
class KeyInfo:
    """What an API call needs to know about its key (a snapshot, safe to share)."""

    id: int
    site: str
    is_active: bool
    rate_limit: int
    monthly_limit: int | None

    def serves(self, blog: str) -> bool:
        return bool(site_host(blog)) and site_host(blog) == site_host(self.site)


class ApiKeyError(ValueError):
    """A key command that cannot be done; the message says why and what to do."""


def issue(row: ApiKey) -> str:
    """Give an unsaved key row a new key: store its hash, return the key (shown once)."""
    if not site_host(row.site):
        raise ApiKeyError(
            f"{row.site!r} is not a site address. Give the URL the client sends as `blog`, "
            "e.g. https://blog.example.org"
        )
    key = secrets.token_hex(KEY_LENGTH // 2)
    row.key_hash, row.prefix = ApiKey.hash(key), key[:4]
    try:
        row.full_clean()
    except ValidationError as err:
        raise ApiKeyError("; ".join(err.messages)) from err
    row.save()
    return key


def api_key_create(
    *, site: str, note: str = "", rate_limit: int | None = None
) -> tuple[ApiKey, str]:
    """A new key bound to ``site``. Returns the row and the key (which is not stored)."""
    row = ApiKey(site=site.strip(), note=note)
    if rate_limit is not None:
        row.rate_limit = rate_limit
    return row, issue(row)


def api_key_deactivate(row: ApiKey) -> ApiKey:
    if row.is_active:
        row.is_active = False
        row.revoked_at = timezone.now()
        row.save(update_fields=["is_active", "revoked_at"])
    lookups.forget()
    return row


@transaction.atomic
def api_key_revoke(*, key: str) -> ApiKey:
    """Revoke by the whole key, or by its shown prefix when only one active key has it."""
    key = key.strip().lower().rstrip("….")
    if _KEY_SHAPE.match(key):
        row = ApiKey.objects.filter(key_hash=ApiKey.hash(key)).first()
        if row is None:
            raise ApiKeyError("No such key. `masthead spam key list` shows the keys there are.")
    else:
        matches = list(ApiKey.objects.filter(prefix=key[:4], is_active=True)) if key else []
        if len(key) != 4 or not matches:
            raise ApiKeyError(
                "No active key starts with that. Give the whole key, or the four characters "
                "`masthead spam key list` shows."
            )
        if len(matches) > 1:
            raise ApiKeyError(
                f"{len(matches)} active keys start with {key!r}; give the whole key, or "
                "revoke it in the admin."
            )
        row = matches[0]
    return api_key_deactivate(row)


class Lookups:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._cache: dict[str, tuple[float, KeyInfo | None]] = {}

    def get(self, key: str) -> KeyInfo | None:
        """The key's snapshot, or None for an unknown key (remembered, too)."""
        key = key.strip()
        if not _KEY_SHAPE.match(key):
            return None
        digest = ApiKey.hash(key)
        now = time.monotonic()
        hit = self._cache.get(digest)
        if hit is not None and now - hit[0] < LOOKUP_SECONDS:
            return hit[1]
        row = (
            ApiKey.objects.filter(key_hash=digest)
            .values_list("pk", "site", "is_active", "rate_limit", "monthly_limit")
            .first()
        )
        info = KeyInfo(*row) if row is not None else None
        with self._lock:
            if len(self._cache) > 10_000:
                self._cache.clear()
            self._cache[digest] = (now, info)
        return info

    def forget(self) -> None:
        with self._lock:
            self._cache.clear()


lookups = Lookups()
