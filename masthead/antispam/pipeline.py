"""The spam check: guards, then the classifier, then the decision, with reasons.

One service for both ways a comment arrives: the site's own comment form (through
:class:`~masthead.antispam.checker.LocalSpamChecker`) and the Akismet-compatible API. It
never raises for a comment it cannot judge: without a usable model it holds the comment.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field, replace
from typing import Literal

from masthead.antispam import conf, registry
from masthead.antispam.explain import explain
from masthead.antispam.guards import Candidate, run_guards
from masthead.antispam.samples import CommentSample
from masthead.antispam.stats import ACTION_FIELDS, buffer
from masthead.antispam.text import URL_PATTERN, clean_text, url_host

logger = logging.getLogger("masthead.antispam")

Action = Literal["ham", "spam", "discard", "hold"]


@dataclass
class Assessment:
    action: Action
    score: float | None = None
    reasons: list[str] = field(default_factory=list)
    guid: str = field(default_factory=lambda: str(uuid.uuid4()))
    model_version: str = ""
    # False when no model judged the comment (guards only); the API then says it could not.
    classified: bool = True


@dataclass(frozen=True)
class Thresholds:
    spam: float
    hold: float | None
    discard: float | None

    def action(self, p: float) -> Action:
        if self.discard is not None and p >= self.discard:
            return "discard"
        if p >= self.spam:
            return "spam"
        if self.hold is not None and p >= self.hold:
            return "hold"
        return "ham"


def thresholds(model_threshold: float) -> Thresholds:
    return Thresholds(
        spam=conf.threshold(model_threshold),
        hold=conf.hold_threshold(),
        discard=conf.discard_threshold(),
    )


def spam_assess(candidate: Candidate) -> Assessment:
    """Assess one comment. Counts the outcome for the dashboard unless ``is_test``."""
    assessment = _assess(candidate)
    if not candidate.is_test:
        buffer.day(candidate.source, *ACTION_FIELDS[assessment.action])
    return assessment


def _assess(c: Candidate) -> Assessment:
    decided = run_guards(c)
    if decided is not None:
        outcome, reason = decided
        return Assessment(outcome, 1.0 if outcome == "spam" else 0.0, [reason])
    loaded = registry.current()
    if loaded.model is None:
        return Assessment(
            "hold",
            None,
            [f"not checked: the spam model is unavailable ({loaded.error})"],
            classified=False,
        )
    model = loaded.model
    blocks = model.featurizer.tokens(c.sample)  # once, for the score and the reasons
    p = model.score(c.sample, blocks=blocks)
    limits = thresholds(model.threshold)
    action, lead = limits.action(p), ""
    if action in ("spam", "discard") and c.source == "site" and conf.links_hold():
        action, p, lead = _weigh_links(model, c.sample, p, limits) or (action, p, lead)
    assessment = Assessment(action, p, model_version=model.version)
    if action != "ham":
        if not lead:
            cut = {"discard": limits.discard, "spam": limits.spam, "hold": limits.hold}[action]
            lead = f"spam probability {p:.2f} ({action} from {cut:.2f})"
        assessment.reasons.append(lead)
        if c.source == "site":  # moderators read these; API clients never see them
            assessment.reasons.extend(explain(model, c.sample, blocks=blocks))
    return assessment


def _weigh_links(
    model, sample: CommentSample, p: float, limits: Thresholds
) -> tuple[Action, float, str] | None:
    """The comment form's verdict on a comment that would pass without its links, or None.

    Links to the site itself count for nothing: the verdict is the text's own. Links
    elsewhere send the comment to a moderator instead of the spam queue or the bin: a
    reader citing a source is no spammer, and the moderator's decision teaches the filter
    which sources are welcome.
    """
    config = model.featurizer.config
    text, links = clean_text(sample.comment_content, config.max_chars, plain=config.deobfuscate)
    if not links:
        return None
    p_plain = model.score(replace(sample, comment_content=URL_PATTERN.sub(" ", text)))
    if p_plain >= limits.spam:
        return None
    site = url_host(sample.permalink) if sample.permalink else ""
    if site and all(url_host(link) == site for link in links):
        return limits.action(p_plain), p_plain, ""
    return "hold", p, f"spam probability {p:.2f} only for its links ({p_plain:.2f} without them)"
