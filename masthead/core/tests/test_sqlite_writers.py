"""SQLite writers queue on a file lock: taken when a transaction begins, freed at its end."""

import threading
import time

import pytest
from django.db import connection, connections, transaction

from masthead.newsroom.models import Section

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.sqlite]


def test_a_transaction_holds_the_writer_lock_until_it_ends():
    with transaction.atomic():
        assert connection._writer_locked
        Section.objects.create(name="One", slug="one")
    assert not connection._writer_locked
    seen = []

    def fail_inside() -> None:
        with transaction.atomic():
            seen.append(connection._writer_locked)
            raise RuntimeError("roll back")

    with pytest.raises(RuntimeError):
        fail_inside()
    assert seen == [True]
    assert not connection._writer_locked


def test_a_second_writer_waits_for_the_first_to_commit():
    events = []
    first_in, release = threading.Event(), threading.Event()

    def first():
        with transaction.atomic():
            Section.objects.create(name="First", slug="first")
            events.append("first in")
            first_in.set()
            release.wait(5)
            events.append("first commits")
        connections.close_all()

    def second():
        first_in.wait(5)
        with transaction.atomic():
            events.append("second in")
            Section.objects.create(name="Second", slug="second")
        connections.close_all()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    first_in.wait(5)
    time.sleep(0.3)
    assert events == ["first in"], "the second writer must still be waiting"
    release.set()
    for thread in threads:
        thread.join(10)
    assert events == ["first in", "first commits", "second in"]
    assert Section.objects.filter(slug__in=["first", "second"]).count() == 2


def test_cursors_rewrite_placeholders_once_and_keep_literal_percent_signs():
    from masthead.core.db.sqlite3 import base

    with connection.cursor() as cursor:
        assert isinstance(cursor.cursor, base.CursorWrapper)
        query = "SELECT %s, '100%%', %s || 'x'"
        base._qmark.cache_clear()
        for value in ("a", "b"):
            cursor.execute(query, [value, "%s"])
            assert cursor.fetchone() == (value, "100%", "%sx")
        assert base._qmark.cache_info().hits == 1
        cursor.execute("SELECT %(one)s, %(two)s", {"one": 1, "two": 2})  # named: as Django
        assert cursor.fetchone() == (1, 2)
        long = "SELECT %s /* " + "x" * base._REMEMBERED_LENGTH + " */"
        cursor.execute(long, [3])
        assert cursor.fetchone() == (3,)
        assert base._qmark.cache_info().currsize == 1  # the long one was not remembered


def test_the_task_workers_exclusive_transactions_queue_on_the_same_lock(settings):
    """django-tasks-db claims tasks in EXCLUSIVE transactions. Behind a writer holding the
    lock longer than SQLite's busy timeout (a long rebuild batch), it used to fail with
    "database is locked", and the worker, and with it `masthead serve`, stopped."""
    from django_tasks_db.utils import exclusive_transaction

    events = []
    first_in, release = threading.Event(), threading.Event()

    def long_writer():
        with transaction.atomic():
            Section.objects.create(name="Long", slug="long")
            first_in.set()
            release.wait(10)
            events.append("long writer commits")
        connections.close_all()

    def worker():
        first_in.wait(5)
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA busy_timeout = 200")  # shorter than the writer's hold
        with exclusive_transaction():
            events.append("worker in")
            Section.objects.create(name="Task", slug="task")
        connections.close_all()

    threads = [threading.Thread(target=long_writer), threading.Thread(target=worker)]
    for thread in threads:
        thread.start()
    first_in.wait(5)
    time.sleep(0.6)  # three busy timeouts: the worker must still be waiting, not failed
    assert events == []
    release.set()
    for thread in threads:
        thread.join(10)
    assert events == ["long writer commits", "worker in"]
    assert Section.objects.filter(slug="task").exists()
