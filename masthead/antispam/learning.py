"""Learning from moderators: decisions are stored as they happen and learnt in the background.

Nothing is learnt on the request path. A moderator's decision (or an API ``submit-spam`` /
``submit-ham``) becomes a :class:`SpamDecision` row; :func:`model_retrain`, run by the
worker every ``RETRAIN_MINUTES`` (or from the admin), feeds the new rows to the current model
(``SpamModel.update``), stores the result as a new signed :class:`SpamModelVersion` and makes
it current; web processes pick it up within ``RELOAD_SECONDS``.

When a decision is reversed after it was learnt (spam, then "not spam"), the next retrain
rebuilds the model from the base model and every decision still standing, in time order.
"""

from __future__ import annotations

import hashlib
import logging
import math
from dataclasses import dataclass, field
from datetime import timedelta

import numpy as np
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac

from masthead.antispam import conf, registry
from masthead.antispam.errors import ModelLoadError
from masthead.antispam.evaluation import metrics_from_scores
from masthead.antispam.model import SpamModel
from masthead.antispam.models import FilterState, SpamDecision, SpamModelVersion
from masthead.antispam.samples import CommentSample

logger = logging.getLogger("masthead.antispam.learning")

BATCH = 500
EVALUATION_WINDOW = 500
STALE_CLAIM = timedelta(minutes=30)


def email_hash(email: str) -> str:
    email = email.strip().lower()
    if not email:
        return ""
    return salted_hmac("masthead.antispam.email", email, algorithm="sha256").hexdigest()


def minimise_email(email: str) -> str:
    """What the classifier reads of an address: its domain, and whether the part before the
    ``@`` has three digits or more (``x@`` or ``000@``)."""
    local, at, domain = email.strip().lower().rpartition("@")
    if not at:
        return ""
    if not local:
        return f"@{domain}"
    digits = min(sum(c.isdigit() for c in local), 3)
    return f"{'0' * digits or 'x'}@{domain}"


def decision_sample(decision: SpamDecision) -> CommentSample:
    return CommentSample(
        comment_content=decision.comment_content,
        comment_author=decision.comment_author,
        comment_author_email=decision.comment_author_email,
        comment_author_url=decision.comment_author_url,
        user_agent=decision.user_agent,
        referrer=decision.referrer,
        permalink=decision.permalink,
        comment_type=decision.comment_type,
        article_text=decision.article_text,
    )


@transaction.atomic
def decision_record(
    *,
    sample: CommentSample,
    is_spam: bool,
    source: str,
    comment=None,
    api_key_id: int | None = None,
    user=None,
) -> SpamDecision:
    """Store one labelled comment as training data; a newer decision on the same comment
    replaces the older one (and asks for a rebuild if the older one was already learnt)."""
    if comment is not None and comment.pk is not None:
        earlier = SpamDecision.objects.filter(comment=comment, superseded=False)
        if earlier.exclude(learned_in=None).exists():
            _state_update(rebuild_requested=True)
        earlier.update(superseded=True)
    decision = SpamDecision(
        label=SpamDecision.Label.SPAM if is_spam else SpamDecision.Label.HAM,
        source=source,
        comment=comment if comment is not None and comment.pk is not None else None,
        api_key_id=api_key_id,
        user=user if user is not None and getattr(user, "is_authenticated", False) else None,
        comment_content=sample.comment_content[:65525],
        comment_author=sample.comment_author[:245],
        comment_author_email=minimise_email(sample.comment_author_email)[:254],
        email_hash=email_hash(sample.comment_author_email),
        comment_author_url=sample.comment_author_url[:500],
        user_agent=sample.user_agent[:500],
        referrer=sample.referrer[:500],
        permalink=sample.permalink[:500],
        comment_type=sample.comment_type[:40],
        article_text=sample.article_text[:2000],
    )
    decision.full_clean(exclude=["comment", "api_key", "user", "learned_in"])
    decision.save()
    return decision


def decisions_erase(*, email: str) -> int:
    """Delete the training data of the commenter with this address (erasure requests)."""
    digest = email_hash(email)
    if not digest:
        return 0
    deleted, _ = SpamDecision.objects.filter(email_hash=digest).delete()
    return deleted


def decisions_expire(*, now=None) -> int:
    """Delete training copies older than ``SPAM_DECISION_DAYS`` once they are learnt (or
    superseded): the model keeps what it learnt from them, a rebuild no longer has them."""
    cut = (now or timezone.now()) - timedelta(days=conf.decision_days())
    old = SpamDecision.objects.filter(created_at__lt=cut)
    deleted, _ = old.filter(Q(learned_in__isnull=False) | Q(superseded=True)).delete()
    if deleted:
        logger.info("Deleted %s spam-filter training copies older than the retention", deleted)
    return deleted


def decisions_export(*, email: str) -> list[dict]:
    """The training data kept about the commenter with this address (data requests)."""
    digest = email_hash(email)
    if not digest:
        return []
    fields = ("label", "source", "created_at", "comment_content", "comment_author",
              "comment_author_email", "comment_author_url", "user_agent", "permalink")  # fmt: skip
    rows = SpamDecision.objects.filter(email_hash=digest).order_by("created_at", "id")
    return [
        {name: (v.isoformat() if hasattr(v, "isoformat") else v) for name, v in row.items()}
        for row in rows.values(*fields)
    ]


@dataclass
class RetrainResult:
    status: str  # "learnt", "rebuilt", "nothing new", "busy", "failed"
    message: str
    version: SpamModelVersion | None = None
    learned: int = 0
    evaluation: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {
            "status": self.status,
            "message": self.message,
            "version": self.version.version if self.version else None,
            "learned": self.learned,
        }


def _state() -> FilterState:
    state, _ = FilterState.objects.get_or_create(pk=1)
    return state


def _state_update(**values) -> None:
    _state()
    FilterState.objects.filter(pk=1).update(**values)


def _claim(now) -> bool:
    _state()
    free = Q(retrain_started_at__isnull=True) | Q(retrain_started_at__lt=now - STALE_CLAIM)
    return bool(FilterState.objects.filter(free, pk=1).update(retrain_started_at=now))


def model_retrain(*, rebuild: bool = False, batch: int = BATCH) -> RetrainResult:
    """Learn the decisions not learnt yet (or rebuild from the base model); see the module
    docstring. Only one retrain runs at a time, across every worker."""
    if not _claim(timezone.now()):
        return RetrainResult("busy", "Another retrain is running; this one was skipped.")
    try:
        return _retrain(rebuild=rebuild, batch=batch)
    finally:
        FilterState.objects.filter(pk=1).update(retrain_started_at=None)


def _retrain(*, rebuild: bool, batch: int) -> RetrainResult:
    current = SpamModelVersion.objects.filter(is_current=True).first()
    standing = SpamDecision.objects.filter(superseded=False).order_by("created_at", "id")
    if current is None and not rebuild and not standing.exists():
        return RetrainResult("nothing new", "No decisions yet: the base model is in use.")
    rebuild = rebuild or current is None or _state().rebuild_requested
    model: SpamModel | None = None
    if not rebuild:
        try:
            model = registry.load_version(current.pk)
        except ModelLoadError as err:
            logger.warning("Current spam model unusable (%s); rebuilding from the base", err)
            rebuild = True
    decisions = list(standing if rebuild else standing.filter(learned_in=None))
    if not decisions and not rebuild:
        return RetrainResult("nothing new", "No new decisions to learn.", current)
    if model is None:
        try:
            model = registry.load_base()
        except ModelLoadError as err:
            logger.error("Cannot retrain the spam model: %s", err)
            return RetrainResult("failed", str(err))
    for start in range(0, len(decisions), batch):
        chunk = decisions[start : start + batch]
        samples = [decision_sample(d) for d in chunk]
        labels = np.array([d.label == SpamDecision.Label.SPAM for d in chunk], dtype=np.int8)
        before = model.predict_proba(samples)
        for decision, p in zip(chunk, before, strict=True):
            if decision.learned_in_id is None:
                decision.score_before = float(p)
        model.update(samples, labels)
    evaluation = _evaluation(decisions, model)
    version = _store(model, decisions, evaluation, rebuild=rebuild)
    verb = "Rebuilt the model from" if rebuild else "Learnt"
    message = f"{verb} {len(decisions)} decisions: version {version.version}."
    logger.info("Spam model: %s", message)
    status = "rebuilt" if rebuild else "learnt"
    return RetrainResult(status, message, version, len(decisions), evaluation)


def _evaluation(decisions: list[SpamDecision], model: SpamModel) -> dict:
    """How the model did on the latest decisions, each scored before it was learnt."""
    new = {d.pk: d.score_before for d in decisions if d.score_before is not None}
    recent = list(
        SpamDecision.objects.filter(superseded=False, score_before__isnull=False)
        .exclude(pk__in=list(new))
        .order_by("-created_at", "-id")
        .values_list("pk", "label", "score_before")[:EVALUATION_WINDOW]
    )
    rows = [(d.pk, d.label, d.score_before) for d in decisions if d.score_before is not None]
    rows = (rows[::-1] + recent)[:EVALUATION_WINDOW]
    if not rows:
        return {}
    y = np.array([label == SpamDecision.Label.SPAM for _, label, _ in rows], dtype=np.int8)
    scores = np.array([score for _, _, score in rows], dtype=np.float64)
    metrics = metrics_from_scores(y, scores, conf.threshold(model.threshold))
    clean = {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in metrics.items()}
    clean["basis"] = "the latest moderator decisions, each scored before the model learnt it"
    return clean


@transaction.atomic
def _store(model: SpamModel, decisions, evaluation: dict, *, rebuild: bool) -> SpamModelVersion:
    data = model.to_bytes(key=conf.signing_key())
    new_ids = [d.pk for d in decisions if d.learned_in_id is None]
    version = SpamModelVersion(
        version=model.version[:80],
        kind=SpamModelVersion.Kind.REBUILD if rebuild else SpamModelVersion.Kind.UPDATE,
        data=data,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        base_trained_at=model.trained_at[:40],
        n_train=model.n_train,
        n_updates=model.n_updates,
        n_new=len(new_ids),
        evaluation=evaluation,
    )
    SpamModelVersion.objects.filter(is_current=True).update(is_current=False)
    version.is_current = True
    version.save()
    for decision in decisions:
        if decision.learned_in_id is None:
            SpamDecision.objects.filter(pk=decision.pk).update(
                learned_in=version, score_before=decision.score_before
            )
    # A decision reversed while this retrain ran was learnt the old way: rebuild next time.
    reversed_meanwhile = SpamDecision.objects.filter(pk__in=new_ids, superseded=True).exists()
    _state_update(rebuild_requested=reversed_meanwhile)
    versions_prune()
    transaction.on_commit(registry.registry.invalidate)
    return version


def versions_prune() -> int:
    """Drop the data of all but the newest ``KEEP_VERSIONS`` versions (never the current)."""
    keep = max(1, int(conf.app_settings.KEEP_VERSIONS))
    recent = SpamModelVersion.objects.filter(pruned=False).order_by("-created_at", "-id")
    old_ids = list(recent.values_list("pk", flat=True)[keep:])
    return SpamModelVersion.objects.filter(pk__in=old_ids, is_current=False).update(
        data=b"", pruned=True
    )


@transaction.atomic
def model_activate(*, version: SpamModelVersion | None) -> None:
    """Make ``version`` current (None: go back to the base model until the next retrain)."""
    SpamModelVersion.objects.filter(is_current=True).update(is_current=False)
    if version is not None:
        if version.pruned:
            raise ValueError("This version's data was pruned; it cannot be made current.")
        SpamModelVersion.objects.filter(pk=version.pk).update(is_current=True)
    transaction.on_commit(registry.registry.invalidate)
