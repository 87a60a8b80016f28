"""The spam hook: one call asks for a posted comment's verdict, one reports a moderator's.

The checker is a class named by dotted path in ``MASTHEAD_SPAM_CHECKER`` (default
:class:`NoOpinion`), with two methods::

    class MyChecker(SpamChecker):
        def check(self, comment, article, meta) -> SpamVerdict: ...
        def report(self, comment, is_spam: bool) -> None: ...

:func:`check` is called exactly once for every posted comment that passed the guards that
need no lock, outside the write transaction and before the duplicate and flood checks and
the save (``comment`` is unsaved; its fields are the cleaned values), and once more each
time its author changes its text (``comment`` then has its id and the new text). :func:`report` is
called after a moderator's decision is committed: marking spam (``is_spam=True``), marking
not spam or approving a held comment (``is_spam=False``). ``akismet_fields()`` gives the
comment in Akismet's field names, for checkers that speak that vocabulary.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Literal

from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from masthead.discussion.conf import app_settings

if TYPE_CHECKING:
    from masthead.discussion.models import Comment
    from masthead.newsroom.models import Article

logger = logging.getLogger("masthead.discussion.spam")

Action = Literal["ham", "spam", "discard", "hold"]
ACTIONS: frozenset[str] = frozenset({"ham", "spam", "discard", "hold"})


@dataclass(frozen=True)
class RequestMeta:
    """What the request said about the commenter (the real IP, behind trusted proxies)."""

    ip: str = ""
    user_agent: str = ""
    referrer: str = ""


@dataclass
class SpamVerdict:
    """``score`` is the spam probability (None: no opinion). ``action``: "ham" lets the
    moderation rules decide, "hold" sends the comment to the queue, "spam" stores it as spam,
    "discard" drops it unseen. ``reasons`` are shown to moderators."""

    score: float | None = None
    action: Action = "ham"
    reasons: list[str] = field(default_factory=list)


class SpamChecker:
    """Base class of spam checkers; this one has no opinion on anything.

    A checker that sends comments to another organisation (a hosted spam service) must name
    it in ``sends_to``: the comment form and the privacy page then say so, truthfully.
    """

    sends_to: str = ""
    #: What the checker keeps about commenters, in a sentence for the privacy page.
    keeps: str = ""

    def check(self, comment: Comment, article: Article, meta: RequestMeta) -> SpamVerdict:
        return SpamVerdict()

    def report(self, comment: Comment, is_spam: bool) -> None:
        return None

    def personal_data(self, email: str) -> list[dict]:
        """What the checker keeps about the commenter with this address (data requests)."""
        return []

    def forget(self, email: str) -> int:
        """Erase what the checker keeps about this address; how many records went."""
        return 0


class NoOpinion(SpamChecker):
    """The default until a real filter is configured: every comment is "ham", score None."""


@lru_cache(maxsize=4)
def _load(path: str) -> SpamChecker:
    try:
        checker_class = import_string(path)
    except ImportError as err:
        raise ImproperlyConfigured(
            f"SPAM_CHECKER={path!r} cannot be imported ({err}). Set it to the dotted "
            "path of a SpamChecker class, e.g. masthead.discussion.spam.NoOpinion."
        ) from err
    try:
        checker = checker_class()
    except Exception as err:
        raise ImproperlyConfigured(f"SPAM_CHECKER={path!r} could not be created ({err}).") from err
    if not callable(getattr(checker, "check", None)) or not callable(
        getattr(checker, "report", None)
    ):
        raise ImproperlyConfigured(
            f"SPAM_CHECKER={path!r} has no check() and report() methods; "
            "subclass masthead.discussion.spam.SpamChecker."
        )
    return checker


def get_checker() -> SpamChecker:
    """The configured checker (created once per dotted path)."""
    return _load(app_settings.SPAM_CHECKER)


def akismet_fields(comment: Comment, article: Article, meta: RequestMeta) -> dict[str, str]:
    from masthead.syndication.structured import absolute

    return {
        "comment_content": comment.body,
        "comment_author": comment.author_name,
        "comment_author_email": comment.author_email,
        "comment_author_url": comment.author_url,
        "user_ip": meta.ip,
        "user_agent": meta.user_agent,
        "referrer": meta.referrer,
        "permalink": absolute(article.get_absolute_url()),
        "comment_type": "reply" if comment.parent_id else "comment",
        "article_text": article.body_text[:2000],
    }


def check(comment: Comment, article: Article, meta: RequestMeta) -> SpamVerdict:
    """The spam verdict for one posted comment. A failing checker holds the comment."""
    try:
        verdict = get_checker().check(comment, article, meta)
    except ImproperlyConfigured:
        raise
    except Exception as err:
        logger.exception("The spam checker failed; holding the comment for a moderator")
        return SpamVerdict(action="hold", reasons=[f"spam check failed: {type(err).__name__}"])
    if not isinstance(verdict, SpamVerdict) or verdict.action not in ACTIONS:
        logger.error("The spam checker returned %r; holding the comment", verdict)
        return SpamVerdict(action="hold", reasons=["spam check gave no usable verdict"])
    return verdict


def report(comment: Comment, is_spam: bool) -> None:
    """Tell the checker what a moderator decided, so that it can learn. Never raises."""
    try:
        get_checker().report(comment, is_spam)
    except Exception:
        logger.exception("The spam checker could not take the report on comment %s", comment.pk)
