"""Background work of the spam filter: folding moderators' decisions into the model."""

from __future__ import annotations

from django_tasks import task

from masthead.antispam import learning


@task()
def spam_model_retrain(rebuild: bool = False) -> dict:
    """Learn the decisions not learnt yet (``rebuild``: start again from the base model)."""
    return learning.model_retrain(rebuild=rebuild).as_dict()


@task()
def spam_decisions_expire() -> int:
    """Delete training copies older than ``SPAM_DECISION_DAYS`` (hourly)."""
    return learning.decisions_expire()
