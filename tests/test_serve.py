"""`masthead serve` end to end: gunicorn, hashed static files, and the worker publishing a
scheduled story on time with no page view."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

CREATE_SCHEDULED = """
from datetime import timedelta
from django.utils import timezone
from masthead.newsroom.models import Article, Section
from masthead.newsroom import services
section = Section.objects.create(name="City", slug="city")
article = Article(headline="Night ferry returns", slug="night-ferry", section=section,
                  body="<p>From Friday.</p>")
services.article_publish(article=article, at=timezone.now() + timedelta(seconds=8))
print(article.get_absolute_url(), article.published_at.timestamp())
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def masthead(*args: str, env: dict, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "masthead.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
        **kwargs,
    )


def get(url: str) -> tuple[int, dict, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


def wait_for(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            get(url)
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer within {seconds} s")


@contextmanager
def serving(*args: str, env: dict, cwd: Path, seconds: float = 30, log: Path | None = None):
    """``masthead serve *args`` (its --port among them) until the block ends; yields its URL.
    ``log``: a file that gets what the server writes."""
    port = args[args.index("--port") + 1]
    output = log.open("wb") if log is not None else subprocess.DEVNULL
    server = subprocess.Popen(
        [sys.executable, "-m", "masthead.cli", "serve", *args],
        env=env,
        cwd=cwd,
        stdout=output,
        stderr=output,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(base + "/", seconds=seconds)
        yield base
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


def _children(pid: int) -> list[int]:
    return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def _gunicorn_master(port: int) -> int:
    """The gunicorn process bound to ``port`` whose parent is not gunicorn."""

    def cmdline(pid) -> bytes:
        try:
            return Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            return b""

    bind = f"127.0.0.1:{port}".encode()
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit() and b"gunicorn" in (line := cmdline(proc.name)) and bind in line:
            parent = (proc / "stat").read_text().rsplit(")", 1)[1].split()[1]
            if b"gunicorn" not in cmdline(parent):
                return int(proc.name)
    raise AssertionError(f"no gunicorn serves port {port}")


@pytest.fixture
def site_env(tmp_path: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(
        MASTHEAD_VAR_DIR=str(tmp_path),
        MASTHEAD_HOME=str(tmp_path),
        SECRET_KEY="serve-test-" + "x" * 40,
        DEBUG="false",
        DATABASE_URL=f"sqlite:///{tmp_path / 'site.sqlite3'}",
        WEB_CONCURRENCY="2",
        PYTHONPATH=str(Path(__file__).resolve().parents[1]),  # this tree's code, from any cwd
    )
    masthead("migrate", "--noinput", env=env)
    return env


def test_serve_runs_the_site_and_publishes_scheduled_stories_on_time(site_env, tmp_path):
    port = free_port()
    site_env["SITE_URL"] = f"http://127.0.0.1:{port}"
    path, at = masthead("shell", "-v", "0", "-c", CREATE_SCHEDULED, env=site_env).stdout.split()
    with serving("--port", str(port), env=site_env, cwd=tmp_path) as base:
        status, _, _ = get(base + path)
        if time.time() < float(at) - 0.5:
            assert status == 404, "not live before its time"

        status, _, html = get(base + "/")
        assert status == 200
        css = re.search(rb'href="(/static/masthead/css/site\.[0-9a-f]{12}\.css)"', html)
        assert css, "static files are served under hashed names"
        status, headers, _ = get(base + css.group(1).decode())
        assert status == 200
        assert "max-age=315360000" in headers.get("Cache-Control", "")

        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:  # nobody views the page meanwhile
            time.sleep(0.5)
            done = masthead(
                "shell", "-v", "0", "-c",
                "from masthead.newsroom.models import Article;"
                "print(Article.objects.get(slug='night-ferry').status)",
                env=site_env,
            ).stdout.strip()  # fmt: skip
            if done == "published":
                break
        assert done == "published"
        assert get(base + path)[0] == 200


def test_serve_dev_serves_pages_and_static_files_without_collectstatic(site_env, tmp_path):
    port = free_port()
    # DEBUG=false in site_env, and nothing collected into STATIC_ROOT.
    args = ("--dev", "--no-worker", "--port", str(port))
    with serving(*args, env=site_env, cwd=tmp_path, seconds=60) as base:
        status, _, html = get(base + "/")
        assert status == 200
        css = re.search(rb'href="(/static/masthead/css/site\.css)"', html)
        assert css, "the development server links the source files by their own names"
        assert get(base + css.group(1).decode())[0] == 200


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads Linux's /proc")
def test_serve_forks_its_workers_from_a_master_that_loaded_the_site(site_env, tmp_path):
    """So that no worker spends its first reader's request importing views and compiling
    templates (1-3 s each, after every restart)."""
    port = free_port()
    (tmp_path / "home").mkdir()
    site_env["HOME"] = str(tmp_path / "home")
    with serving("--port", str(port), "--no-worker", env=site_env, cwd=tmp_path):
        master = _gunicorn_master(port)
        # scikit-learn's compiled modules are mapped in the master: the views were imported.
        assert b"/sklearn/" in Path(f"/proc/{master}/maps").read_bytes()
        deadline = time.monotonic() + 20  # the master forks its workers one after another
        while len(_children(master)) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert len(_children(master)) == 2  # WEB_CONCURRENCY
        # It freezes what it loaded out of garbage collection before forking (the hook).
        assert (
            b"python:masthead.core.gunicorn_config" in Path(f"/proc/{master}/cmdline").read_bytes()
        )
        # And no control socket: gunicorn 25 opens one in the home directory unless told not to.
        assert not (tmp_path / "home" / ".gunicorn").exists()


def test_the_request_log_keeps_no_ip_address(site_env, tmp_path):
    """The privacy page says so: time, request, status, size and duration only."""
    port, log = free_port(), tmp_path / "serve.log"
    with serving("--port", str(port), "--no-worker", env=site_env, cwd=tmp_path, log=log) as base:
        request = urllib.request.Request(
            base + "/privacy/",
            headers={"User-Agent": "LogProbe/1.0", "Referer": "http://r.example/"},
        )
        urllib.request.urlopen(request, timeout=10).read()
        deadline = time.monotonic() + 10
        while b"GET /privacy/" not in log.read_bytes() and time.monotonic() < deadline:
            time.sleep(0.1)
    lines = [line for line in log.read_text().splitlines() if "GET /privacy/" in line]
    assert lines
    assert '"GET /privacy/ HTTP/1.1" 200' in lines[0]
    assert not any(word in lines[0] for word in ("127.0.0.1", "LogProbe", "r.example"))


def test_when_the_worker_dies_serve_starts_it_again_and_goes_on_serving(site_env, tmp_path):
    """A worker that dies (killed, a failure of its own) is started again while pages go on
    being served; one that keeps dying ends serve, naming it (test_serve_supervisor.py), so
    that a supervisor such as systemd restarts the whole site."""
    port, log = free_port(), tmp_path / "serve.log"
    with serving("--port", str(port), env=site_env, cwd=tmp_path, log=log):
        serve = next(
            int(p.name)
            for p in Path("/proc").iterdir()
            if p.name.isdigit()
            and b"serve\x00--port\x00" + str(port).encode() in _cmdline(p)
            and b"masthead.cli" in _cmdline(p)
        )

        def worker() -> int | None:
            return next(
                (
                    c
                    for c in _children(serve)
                    if _cmdline(Path(f"/proc/{c}")).endswith(b"\x00worker\x00")
                ),
                None,
            )

        first = worker()
        os.kill(first, signal.SIGKILL)
        deadline = time.monotonic() + 30
        while worker() in (None, first) and time.monotonic() < deadline:
            assert get(f"http://127.0.0.1:{port}/")[0] == 200  # serving all along
            time.sleep(0.5)
        assert worker() not in (None, first)
        assert get(f"http://127.0.0.1:{port}/")[0] == 200
    output = log.read_text()
    assert "The background worker stopped (exit code -9" in output
    assert "Starting it again" in output
    assert "Traceback" not in output


def _cmdline(proc: Path) -> bytes:
    try:
        return (proc / "cmdline").read_bytes()
    except OSError:
        return b""
