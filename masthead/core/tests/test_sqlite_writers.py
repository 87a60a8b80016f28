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
