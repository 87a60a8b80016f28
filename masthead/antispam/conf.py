"""Settings of the spam filter, read from Django's settings each time they are used.

Every setting is ``MASTHEAD_SPAM_<NAME>``; docs/antispam.md describes them.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from masthead.core.conf import AppSettings

app_settings = AppSettings(
    "MASTHEAD_SPAM_",
    {
        # The model the site starts from (and rebuilds from): a .mhspam file. None: the
        # model Masthead ships, trained on the YouTube Spam Collection.
        "BASE_MODEL": None,
        # Spam probability from which a comment is spam. None: the model's own threshold,
        # chosen in training so that at most 1% of genuine comments cross it.
        "THRESHOLD": None,
        # From this probability a comment is held for a moderator instead of published
        # (below THRESHOLD). None: no such band, comments below THRESHOLD are ham.
        "HOLD_THRESHOLD": None,
        # Blatant spam, above DISCARD_THRESHOLD, is dropped without being stored (Akismet's
        # "discard" pro tip). False: such comments go to the spam queue like the rest.
        "DISCARD": True,
        "DISCARD_THRESHOLD": 0.99,
        # The comment form only: a comment the filter objects to only because of its links
        # (without them it would pass) is held for a moderator, not filed as spam or
        # discarded; links to the site itself do not count against a comment at all.
        # Readers of a news site cite their sources. False: links weigh as the model says.
        "LINKS_HOLD": True,
        # The cache alias of the filter's counters (settings.py: Redis if configured, else
        # a per-process memory cache); an alias missing from CACHES means "default".
        "CACHE": "default",
        # Learning from moderators: how often the background task folds new decisions into
        # the model, and how many model versions keep their data (older ones keep only
        # their metadata).
        "RETRAIN_MINUTES": 15,
        # How many days a moderator's decision (the training copy of a comment) is kept.
        "DECISION_DAYS": 365,
        "KEEP_VERSIONS": 5,
        # How often each web process looks for a newer model version.
        "RELOAD_SECONDS": 10,
        # The same text (40 characters or more) on this many different pages within a day
        # is spam; 0 turns the rule off.
        "REPEAT_PAGES": 3,
        # Akismet API: comments checked per minute from one commenter's IP address, per key,
        # beyond which they are spam (0: no limit). Keys' own rate limits are per key.
        "API_FLOOD_PER_MINUTE": 20,
        # API usage counts are added up in each process and written at most this often.
        "USAGE_FLUSH_SECONDS": 5,
    },
)


def threshold(model_threshold: float) -> float:
    value = app_settings.THRESHOLD
    return float(model_threshold if value is None else value)


def hold_threshold() -> float | None:
    value = app_settings.HOLD_THRESHOLD
    return None if value is None else float(value)


def discard_threshold() -> float | None:
    """None when discarding is off."""
    if not app_settings.DISCARD:
        return None
    return float(app_settings.DISCARD_THRESHOLD)


def decision_days() -> int:
    return max(1, int(app_settings.DECISION_DAYS))


def links_hold() -> bool:
    return bool(app_settings.LINKS_HOLD)


def counter_cache():
    """The cache holding the flood, repeated-text and rate-limit counters."""
    from django.core.cache import caches

    alias = app_settings.CACHE
    return caches[alias if alias in settings.CACHES else "default"]


def base_model_path() -> Path:
    from masthead.antispam.model import DEFAULT_MODEL_PATH

    value = app_settings.BASE_MODEL
    return Path(value) if value else DEFAULT_MODEL_PATH


def signing_keys() -> list[bytes | None]:
    """Keys that sign the model versions this site writes: derived from SECRET_KEY (the
    first, used for writing), then from each of SECRET_KEY_FALLBACKS."""
    from django.utils.crypto import salted_hmac

    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return [
        salted_hmac("masthead.antispam.model", "v1", secret=s, algorithm="sha256").digest()
        for s in secrets
    ]


def signing_key() -> bytes:
    key = signing_keys()[0]
    assert key is not None
    return key
