"""The discussion app's spam hook, answered by Masthead's own filter.

``MASTHEAD_SPAM_CHECKER = "masthead.antispam.checker.LocalSpamChecker"`` (the default).
Nothing leaves the server: ``sends_to`` is empty, so the comment form and the privacy page
say no third party sees comments.
"""

from __future__ import annotations

import logging

from django.template.defaultfilters import pluralize
from django.utils import timezone

from masthead.antispam import conf, learning
from masthead.antispam.guards import Candidate
from masthead.antispam.models import DailyCount, SpamDecision
from masthead.antispam.pipeline import spam_assess
from masthead.antispam.samples import CommentSample
from masthead.antispam.stats import buffer
from masthead.discussion.spam import RequestMeta, SpamChecker, SpamVerdict, akismet_fields

logger = logging.getLogger("masthead.antispam")


class LocalSpamChecker(SpamChecker):
    sends_to = ""

    @property
    def keeps(self) -> str:
        days = conf.decision_days()
        return (
            "When a moderator approves a held comment, or marks a comment as spam or not spam, "
            "a copy is kept to teach the spam filter: its text, name, website, browser user "
            "agent and story, and of the email address only its domain. No IP address is "
            f"kept. The copy is deleted after {days} day{pluralize(days)}, or sooner if you "
            "ask for your data to be erased."
        )

    def personal_data(self, email: str) -> list[dict]:
        return learning.decisions_export(email=email)

    def forget(self, email: str) -> int:
        return learning.decisions_erase(email=email)

    def check(self, comment, article, meta: RequestMeta) -> SpamVerdict:
        sample = CommentSample.from_mapping(akismet_fields(comment, article, meta))
        assessment = spam_assess(Candidate(sample=sample, source="site", now=timezone.now()))
        return SpamVerdict(
            score=assessment.score, action=assessment.action, reasons=assessment.reasons
        )

    def report(self, comment, is_spam: bool) -> None:
        """Store the moderator's decision as training data and count what it says about
        the filter: a false positive, spam it missed, or a held comment approved."""
        from masthead.discussion.models import ModerationLog

        entries = list(ModerationLog.objects.filter(comment=comment).order_by("-at", "-id")[:20])
        latest = entries[0] if entries else None
        meta = RequestMeta(user_agent=comment.user_agent)
        sample = CommentSample.from_mapping(akismet_fields(comment, comment.article, meta))
        learning.decision_record(
            sample=sample,
            is_spam=is_spam,
            source=SpamDecision.Source.MODERATOR,
            comment=comment,
            user=latest.user if latest is not None else None,
        )
        outcome = _what_it_says(entries, is_spam, imported=bool(comment.import_source))
        if outcome:
            buffer.day(DailyCount.Source.SITE, outcome)


def _what_it_says(entries, is_spam: bool, *, imported: bool) -> str:
    """``false_positives``: "not spam" on a comment the filter put in the spam queue (no
    person did); ``missed``: spam that had been published; ``approved``: a held comment
    approved."""
    from masthead.discussion.models import ModerationLog

    Action = ModerationLog.Action
    if not entries:
        return ""
    latest, earlier = entries[0], entries[1:]
    if latest.action == Action.NOT_SPAM:
        marked_by_person = any(e.action == Action.SPAM for e in earlier)
        return "" if marked_by_person or imported else "false_positives"
    if is_spam and latest.from_status == "approved":
        return "missed"
    if latest.action == Action.APPROVE:
        return "approved"
    return ""
