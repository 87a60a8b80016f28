"""Scheduled stories go live through the task queue, with no page view needed."""

import time
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from masthead.newsroom import services
from masthead.newsroom.models import Article
from masthead.newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db


def run_worker_once() -> None:
    call_command("db_worker", batch=True, interval=0, startup_delay=False, verbosity=0)


def test_scheduling_enqueues_a_task_for_the_publish_time(django_capture_on_commit_callbacks):
    at = timezone.now() + timedelta(hours=2)
    article = make_article(status=Article.Status.DRAFT)
    with django_capture_on_commit_callbacks(execute=True):
        services.article_publish(article=article, at=at)
    task = DBTaskResult.objects.get(task_path="masthead.newsroom.tasks.publish_due_articles")
    assert task.run_after == at


# The worker closes its database connection when it is done, as it should; with the test
# database in a file (conftest.py), that ends a test's transaction, so this test commits.
@pytest.mark.django_db(transaction=True)
def test_the_worker_publishes_a_story_when_its_time_comes(django_capture_on_commit_callbacks):
    at = timezone.now() + timedelta(seconds=1)
    article = make_article(status=Article.Status.DRAFT)
    with django_capture_on_commit_callbacks(execute=True):
        services.article_publish(article=article, at=at)
    run_worker_once()  # too early: the task waits for its time
    article.refresh_from_db()
    assert article.status == Article.Status.SCHEDULED
    time.sleep(max(0.0, (at - timezone.now()).total_seconds()) + 0.2)
    run_worker_once()
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert article.is_live
