"""The checks a posted comment goes through before it is stored: a chain of small guards.

Each guard is a declarative class with a ``check`` returning ``(ok, reason)``. What a failed
check means is the guard's ``outcome``:

* ``reject`` — the comment is not stored; ``reason`` is what the reader is told;
* ``trash`` or ``hold`` — the comment is stored in the trash or held for approval, and
  ``reason`` goes to the moderator (``Comment.moderation_reasons``) and the log.

The chain stops at the first rejection; every other failed check adds its reason.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Literal

from django.db import connection
from django.db.models import Value
from django.db.models.functions import Lower

from masthead.core.db.prepared import Param, PreparedRead
from masthead.discussion import tokens
from masthead.discussion.conf import app_settings
from masthead.discussion.models import Comment, DiscussionSettings, Throttle
from masthead.discussion.privacy import keyed_hash
from masthead.discussion.spam import RequestMeta
from masthead.discussion.text import count_links, first_match

if TYPE_CHECKING:
    from masthead.newsroom.models import Article

logger = logging.getLogger("masthead.discussion.guards")

Outcome = Literal["reject", "trash", "hold"]


@dataclass
class Submission:
    """A posted comment (unsaved, with cleaned fields) and what surrounds it."""

    article: Article
    comment: Comment
    meta: RequestMeta
    config: DiscussionSettings
    now: datetime
    honeypot: str = ""
    is_moderator: bool = False
    issued: str = ""  # the form's signed timestamp (tokens.form_token)

    def haystacks(self) -> list[tuple[str, str]]:
        c = self.comment
        return [
            ("text", c.body),
            ("name", c.author_name),
            ("email", c.author_email),
            ("website", c.author_url),
            ("IP address", self.meta.ip),
            ("user agent", self.meta.user_agent),
        ]


def comments_close_at(article: Article, config: DiscussionSettings) -> datetime | None:
    """When the story stops taking comments because of its age, if it ever does."""
    if not config.close_after_days or article.published_at is None:
        return None
    return article.published_at + timedelta(days=config.close_after_days)


def comments_open(article: Article, config: DiscussionSettings, now: datetime) -> bool:
    if not (config.comments_enabled and article.comments_open and article.is_live):
        return False
    closes = comments_close_at(article, config)
    return closes is None or now < closes


class Guard:
    outcome: Outcome = "reject"
    #: True for guards whose answer must hold under concurrent posts (they read or claim
    #: what another post may be writing): they run inside the post's write transaction;
    #: the others run before it, so the transaction holds the write lock only briefly.
    needs_lock: bool = False

    def check(self, s: Submission) -> tuple[bool, str]:
        raise NotImplementedError


class CommentsOpen(Guard):
    def check(self, s):
        if comments_open(s.article, s.config, s.now):
            return True, ""
        return False, "Comments are closed on this story."


class Honeypot(Guard):
    """A field hidden from people; programs that fill in every field fill it in too."""

    def check(self, s):
        if not s.honeypot:
            return True, ""
        return False, "Please leave the field marked “Leave this empty” empty, and send again."


class FormTimestamp(Guard):
    """The form's signed timestamp: a program posting without the form has none, and one
    posting faster than a person can type has too young a one. The reader's text is kept
    and the form shown again with a fresh timestamp."""

    def check(self, s):
        if s.is_moderator:
            return True, ""
        issued = tokens.form_issued_at(s.issued, s.article.pk)
        if issued is None:
            return False, "This form was not sent whole. Please send your comment again."
        age = s.now.timestamp() - issued
        if age < app_settings.COMMENT_FORM_MIN_SECONDS:
            return False, "That was quick! Please wait a few seconds, then send your comment."
        if age > app_settings.COMMENT_FORM_MAX_HOURS * 3600:
            return False, (
                "This page was open for a long time, so the form has expired. Please send "
                "your comment again."
            )
        return True, ""


class Parent(Guard):
    def check(self, s):
        parent = s.comment.parent
        if parent is None:
            return True, ""
        if parent.article_id != s.article.pk or parent.status != Comment.Status.APPROVED:
            return False, "The comment you are replying to is not available any more."
        return True, ""


class Depth(Guard):
    def check(self, s):
        parent = s.comment.parent
        if parent is None or parent.depth < s.config.thread_depth:
            return True, ""
        return False, (
            f"Replies nest at most {s.config.thread_depth} levels deep. Reply to an earlier "
            "comment in this thread instead."
        )


# The same text on this story from this address, or from anyone without one (compiled
# once, see masthead.core.db.prepared; comment_same_author_idx finds it among thousands).
_same_text = PreparedRead(
    lambda article, email, body: (
        Comment.objects.annotate(address=Lower("author_email"))
        .filter(article_id=article, address=Lower(Value(email)), body=body)
        .exclude(status=Comment.Status.TRASH)
        .order_by()
        .values_list("author_email", "author_name")
    ),
    article=Param(Comment, "article"),
    email=Param(Comment, "author_email"),
    body=Param(Comment, "body"),
)


class Duplicate(Guard):
    """The same text on the same story from the same author (the same email address in any
    case, or the same name without one), unless the earlier copy was trashed."""

    needs_lock = True

    def check(self, s):
        c = s.comment
        for other_email, other_name in _same_text(
            article=s.article.pk, email=c.author_email, body=c.body
        ):
            if c.author_email or (not other_email and other_name == c.author_name):
                return False, "You have already posted this comment here."
        return True, ""


def throttle_claim(key: str, *, seconds: int, now: datetime) -> bool:
    """Mark ``key`` busy for ``seconds``; False if it already is. One upsert, which the
    database makes atomic, so two processes can never both claim the same key."""
    table, key_column, until_column = (
        connection.ops.quote_name(name) for name in (Throttle._meta.db_table, "key", "until")
    )
    # Identifiers come from the model and are quoted; every value is a parameter.
    sql = (
        f"INSERT INTO {table} ({key_column}, {until_column}) VALUES (%s, %s) "  # noqa: S608
        f"ON CONFLICT ({key_column}) DO UPDATE SET {until_column} = excluded.{until_column} "
        f"WHERE {table}.{until_column} <= %s"
    )
    until = now + timedelta(seconds=seconds)
    field = Throttle._meta.get_field("until")
    values = [field.get_db_prep_value(v, connection) for v in (until, now)]
    with connection.cursor() as cursor:
        cursor.execute(sql, [key, values[0], values[1]])
        return cursor.rowcount == 1


class Flood(Guard):
    """One comment per ``flood_seconds`` per IP address and per email address."""

    needs_lock = True

    def check(self, s):
        seconds = s.config.flood_seconds
        if not seconds or s.is_moderator:
            return True, ""
        if s.meta.ip and not throttle_claim(
            keyed_hash("flood", f"ip:{s.meta.ip}"), seconds=seconds, now=s.now
        ):
            return False, (
                f"You are posting comments too quickly. Please wait {seconds} seconds "
                "between comments from the same connection."
            )
        email = s.comment.author_email.lower()
        if email and not throttle_claim(
            keyed_hash("flood", f"email:{email}"), seconds=seconds, now=s.now
        ):
            return False, (
                f"You are posting comments too quickly. Please wait {seconds} seconds "
                "between comments from the same email address."
            )
        return True, ""


class _Words(Guard):
    field_name = ""
    label = ""

    def check(self, s):
        words = s.config.word_list(self.field_name)
        if not words:
            return True, ""
        for where, value in s.haystacks():
            word = first_match(words, [value])
            if word is not None:
                return False, f"{self.label} “{word}” in the {where}"
        return True, ""


class DisallowedWords(_Words):
    outcome = "trash"
    field_name, label = "disallowed_words", "disallowed word"


class ModerationWords(_Words):
    outcome = "hold"
    field_name, label = "moderation_words", "moderation word"


class Links(Guard):
    outcome = "hold"

    def check(self, s):
        limit = s.config.hold_links
        links = count_links(s.comment.body)
        if limit and links >= limit:
            return False, f"{links} links (comments with {limit} or more are held)"
        return True, ""


GUARDS: tuple[type[Guard], ...] = (
    CommentsOpen,
    Honeypot,
    FormTimestamp,
    Parent,
    Depth,
    Duplicate,
    Flood,
    DisallowedWords,
    ModerationWords,
    Links,
)


UNLOCKED_GUARDS = tuple(g for g in GUARDS if not g.needs_lock)
LOCKED_GUARDS = tuple(g for g in GUARDS if g.needs_lock)


@dataclass
class GuardResult:
    rejected: str = ""  # what to tell the reader when the comment is not stored
    trash: list[str] = field(default_factory=list)
    hold: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.rejected

    def merged(self, other: GuardResult) -> GuardResult:
        return GuardResult(
            rejected=self.rejected or other.rejected,
            trash=[*self.trash, *other.trash],
            hold=[*self.hold, *other.hold],
        )


def run_guards(s: Submission, guards: tuple[type[Guard], ...] = GUARDS) -> GuardResult:
    result = GuardResult()
    for guard_class in guards:
        ok, reason = guard_class().check(s)
        if ok:
            continue
        if guard_class.outcome == "reject":
            logger.info("Comment rejected by %s: %s", guard_class.__name__, reason)
            result.rejected = reason
            return result
        getattr(result, guard_class.outcome).append(reason)
    return result
