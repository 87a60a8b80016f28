"""Periodic background work on top of Django's tasks API.

Apps declare what must run regularly as small classes::

    class PublishDue(PeriodicTask):
        task = "masthead.newsroom.tasks.publish_due_articles"
        interval = timedelta(minutes=1)

    periodic.register(PublishDue)

``masthead worker`` calls :func:`enqueue_due` every few seconds. The claim is a conditional
UPDATE on a shared row, so with several workers each run is enqueued exactly once.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

logger = logging.getLogger("masthead.periodic")


class PeriodicTask:
    #: Dotted path to a function decorated with ``@task()``.
    task: str = ""
    interval: timedelta = timedelta(hours=1)

    @classmethod
    def name(cls) -> str:
        return cls.task

    @classmethod
    def get_interval(cls) -> timedelta:
        return cls.interval


_registry: dict[str, type[PeriodicTask]] = {}


def register(periodic: type[PeriodicTask]) -> type[PeriodicTask]:
    if not periodic.task:
        raise ValueError(f"{periodic.__name__} must set `task` to a dotted path.")
    _registry[periodic.name()] = periodic
    return periodic


def registered() -> list[type[PeriodicTask]]:
    return list(_registry.values())


def _claim(periodic: type[PeriodicTask], now: datetime) -> bool:
    from masthead.core.models import PeriodicTaskState

    next_run = now + periodic.get_interval()
    claimed = PeriodicTaskState.objects.filter(name=periodic.name(), next_run_at__lte=now).update(
        next_run_at=next_run, last_enqueued_at=now
    )
    if claimed:
        return True
    if PeriodicTaskState.objects.filter(name=periodic.name()).exists():
        return False
    try:
        with transaction.atomic():
            PeriodicTaskState.objects.create(
                name=periodic.name(), next_run_at=next_run, last_enqueued_at=now
            )
    except IntegrityError:
        return False  # another worker created it a moment ago
    return True


def enqueue_due(*, now: datetime | None = None) -> list[str]:
    """Enqueue every registered periodic task that is due. Returns the names enqueued."""
    now = now or timezone.now()
    enqueued = []
    for periodic in registered():
        if _claim(periodic, now):
            import_string(periodic.task).enqueue()
            enqueued.append(periodic.name())
            logger.debug("Enqueued periodic task %s", periodic.name())
    return enqueued
