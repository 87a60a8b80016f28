from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from masthead.core import periodic
from masthead.core.models import PeriodicTaskState

pytestmark = pytest.mark.django_db
TASK = "masthead.newsroom.tasks.publish_due_articles"


def test_a_due_periodic_task_is_enqueued_once_per_interval():
    now = timezone.now()
    assert TASK in periodic.enqueue_due(now=now)
    assert TASK not in periodic.enqueue_due(now=now + timedelta(seconds=59))
    assert TASK in periodic.enqueue_due(now=now + timedelta(seconds=60))
    queued = DBTaskResult.objects.filter(task_path=TASK).count()
    assert queued == 2
    state = PeriodicTaskState.objects.get(name=TASK)
    assert state.next_run_at == now + timedelta(seconds=120)


def test_a_periodic_task_needs_a_task_path():
    class Broken(periodic.PeriodicTask):
        pass

    with pytest.raises(ValueError, match="must set `task`"):
        periodic.register(Broken)
