"""Cheap checks that run before the classifier, each returning ``(ok, reason)``.

On the site, the discussion app's guards run first (honeypot, signed form timestamp, flood
control, duplicates, disallowed and moderation words, link count) and these add what needs
the spam filter's view across pages and sites. Through the Akismet API the client site has
run its own such rules (WordPress does); these add the honeypot the client reports, a flood
limit per commenter's address and repeated content.

A failed check means its guard's ``outcome``: ``spam``, or ``ham`` for Akismet's
documented "always ham" trigger. The first decisive guard ends the chain.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from masthead.antispam.conf import app_settings, counter_cache
from masthead.antispam.samples import CommentSample

Source = Literal["site", "api"]

GUARANTEED_SPAM_AUTHOR = "akismet-guaranteed-spam"
GUARANTEED_SPAM_EMAIL = "akismet-guaranteed-spam@example.com"
REPEAT_MIN_CHARS = 40
_SPACE = re.compile(r"\s+")


@dataclass
class Candidate:
    """A comment to assess and what came with it."""

    sample: CommentSample
    source: Source
    now: datetime
    user_roles: frozenset[str] = frozenset()
    honeypot: str | None = None  # the value of the client's honeypot field, if it sent one
    api_key_id: int | None = None
    is_test: bool = False
    context: list[str] = field(default_factory=list)


class Guard:
    outcome: Literal["spam", "ham"] = "spam"
    sources: frozenset[str] = frozenset({"site", "api"})

    def check(self, c: Candidate) -> tuple[bool, str]:
        raise NotImplementedError


class GuaranteedSpam(Guard):
    """Akismet's documented test trigger, so that clients can test their spam path."""

    def check(self, c):
        author = c.sample.comment_author.strip().lower()
        email = c.sample.comment_author_email.strip().lower()
        if author == GUARANTEED_SPAM_AUTHOR or email == GUARANTEED_SPAM_EMAIL:
            return False, "test trigger: akismet-guaranteed-spam"
        return True, ""


class Administrator(Guard):
    """``user_role=administrator`` is always ham, as Akismet documents."""

    outcome = "ham"
    sources = frozenset({"api"})

    def check(self, c):
        if "administrator" in c.user_roles:
            return False, "posted by an administrator"
        return True, ""


class Honeypot(Guard):
    """The client's hidden form field (``honeypot_field_name``) came back filled in."""

    sources = frozenset({"api"})

    def check(self, c):
        if c.honeypot:
            return False, "the hidden honeypot field was filled in"
        return True, ""


def _count(key: str, seconds: int) -> int:
    """Increment a counter that lives ``seconds``; 1 when the cache cannot count."""
    cache = counter_cache()
    if cache.add(key, 1, seconds):
        return 1
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr, or the cache is unreachable
        cache.set(key, 1, seconds)
        return 1


class Flood(Guard):
    """More than ``API_FLOOD_PER_MINUTE`` comments from one address in a minute."""

    sources = frozenset({"api"})

    def check(self, c):
        limit = int(app_settings.API_FLOOD_PER_MINUTE)
        ip = c.sample.user_ip.strip()
        if not limit or not ip or c.is_test:
            return True, ""
        digest = hashlib.sha256(f"{c.api_key_id}:{ip}".encode()).hexdigest()[:24]
        minute = int(c.now.timestamp() // 60)
        count = _count(f"antispam:flood:{digest}:{minute}", 90)
        if count > limit:
            return False, f"flood: {count} comments from one address within a minute"
        return True, ""


def content_digest(text: str) -> str:
    return hashlib.sha256(_SPACE.sub(" ", text.strip().lower()).encode()).hexdigest()[:32]


class RepeatedContent(Guard):
    """The same text on ``REPEAT_PAGES`` different pages (of any site) within a day."""

    def check(self, c):
        pages = int(app_settings.REPEAT_PAGES)
        text = c.sample.comment_content
        if not pages or len(text.strip()) < REPEAT_MIN_CHARS or c.is_test:
            return True, ""
        digest = content_digest(text)
        page = hashlib.sha256(c.sample.permalink.strip().encode()).hexdigest()[:16]
        seconds = 24 * 3600
        cache = counter_cache()
        if cache.add(f"antispam:rep:{digest}:{page}", 1, seconds):
            count = _count(f"antispam:rep:{digest}", seconds)
        else:
            count = int(cache.get(f"antispam:rep:{digest}") or 0)
        if count >= pages:
            return False, f"the same text was posted on {count} different pages today"
        return True, ""


GUARDS: tuple[type[Guard], ...] = (GuaranteedSpam, Administrator, Honeypot, Flood, RepeatedContent)


def run_guards(
    c: Candidate, guards: tuple[type[Guard], ...] = GUARDS
) -> tuple[Literal["spam", "ham"], str] | None:
    """The first decisive guard's outcome and reason, or None when every check passed."""
    for guard_class in guards:
        if c.source not in guard_class.sources:
            continue
        ok, reason = guard_class().check(c)
        if not ok:
            return guard_class.outcome, reason
    return None
