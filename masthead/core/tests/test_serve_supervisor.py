"""`masthead serve` keeps the site up when its background worker stops: the worker is
started again, and only a worker that keeps stopping (or the web server stopping) ends the
serve, with one line saying why."""

from __future__ import annotations

import io
import sys
import time

import pytest
from django.core.management.base import CommandError

from masthead.core.management.commands import serve

WEB = [sys.executable, "-c", "import time; time.sleep(60)", "gunicorn"]


def worker_that_fails(marks) -> list[str]:
    """A stand-in worker that notes each start in ``marks`` and fails at once."""
    code = f"open({str(marks)!r}, 'a').write('x'); raise SystemExit(1)"
    return [sys.executable, "-c", code, "worker"]


@pytest.fixture
def quick(monkeypatch):
    monkeypatch.setattr(serve, "WORKER_RESTART_DELAY", 0)
    monkeypatch.setattr(serve, "WORKER_RESTARTS", 3)


def test_a_worker_that_stops_is_started_again_then_given_up_on(quick, tmp_path):
    marks = tmp_path / "starts"
    command = serve.Command(stdout=io.StringIO(), stderr=io.StringIO())
    started = time.monotonic()
    with pytest.raises(CommandError) as err:
        command._supervise([WEB, worker_that_fails(marks)])
    assert marks.read_text() == "xxxx"  # the first start and three more
    assert "Stopped serving because the background worker exited with code 1 (3 times" in str(
        err.value
    )
    assert command.stderr.getvalue().count("Starting it again") == 3
    assert time.monotonic() - started < 30  # the web server was stopped, not waited for


def test_a_worker_that_recovers_keeps_the_site_up(quick, tmp_path):
    """One failure (a locked database, say) and the worker is back; the web server, here
    one that ends by itself after 4 s, served all along."""
    marks = tmp_path / "starts"
    once = (
        f"import time, pathlib; p = pathlib.Path({str(marks)!r}); first = not p.exists(); "
        "p.write_text(p.read_text() + 'x' if p.exists() else 'x'); "
        "time.sleep(0 if first else 60); raise SystemExit(1)"
    )
    web = [sys.executable, "-c", "import time; time.sleep(4)", "gunicorn"]
    command = serve.Command(stdout=io.StringIO(), stderr=io.StringIO())
    command._supervise([web, [sys.executable, "-c", once, "worker"]])  # no CommandError
    assert marks.read_text() == "xx"
    assert command.stderr.getvalue().count("Starting it again") == 1


def test_a_worker_told_to_stop_is_not_started_again(quick, tmp_path):
    """`systemctl stop`: SIGTERM to serve, which passes it on. The task worker ends at once
    with code 0 (as django-tasks-db's does), before the web server: that is no reason to
    start it again."""
    import os
    import signal
    import threading

    marks = tmp_path / "starts"
    worker = (
        f"import signal, sys, time, pathlib; p = pathlib.Path({str(marks)!r}); "
        "p.write_text((p.read_text() if p.exists() else '') + 'x'); "
        "signal.signal(signal.SIGTERM, lambda *a: sys.exit(0)); time.sleep(60)"
    )
    # gunicorn takes a while to stop (its workers finish their requests)
    draining = (
        "import signal, sys, time; "
        "signal.signal(signal.SIGTERM, lambda *a: (time.sleep(1.5), sys.exit(0))); time.sleep(60)"
    )
    web = [sys.executable, "-c", draining, "gunicorn"]
    command = serve.Command(stdout=io.StringIO(), stderr=io.StringIO())
    previous = signal.getsignal(signal.SIGTERM)
    timer = threading.Timer(2, os.kill, (os.getpid(), signal.SIGTERM))
    timer.start()
    try:
        command._supervise([web, [sys.executable, "-c", worker, "worker"]])
    finally:
        timer.cancel()
        signal.signal(signal.SIGTERM, previous)
    assert marks.read_text() == "x"
    assert "Starting it again" not in command.stderr.getvalue()
