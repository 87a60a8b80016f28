"""``masthead serve``: everything a single-machine site needs, in one command.

Production (default): gunicorn with whitenoise serving hashed static files, plus a background
worker for scheduled publishing and other tasks. ``--dev``: Django's autoreloading server and
an autoreloading worker.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from typing import NamedTuple

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from masthead.core.dbstatus import database_problem

# A worker that stops on its own is started again, up to this many times in this window.
WORKER_RESTARTS = 5
WORKER_RESTART_WINDOW = 600  # seconds
WORKER_RESTART_DELAY = 5  # seconds


def default_workers() -> int:
    configured = getattr(settings, "MASTHEAD_WEB_CONCURRENCY", 0)
    if configured:
        return configured
    return max(2, (os.cpu_count() or 1) * 2 + 1)


def _no_control_socket() -> list[str]:
    """gunicorn 25 opens a control socket in the user's home directory (one path for every
    gunicorn that user runs, letting whoever can reach it resize or reload the server);
    Masthead does not use it, so it is not opened."""
    import gunicorn

    return ["--no-control-socket"] if gunicorn.version_info >= (25,) else []


class _NotANumber(NamedTuple):
    variable: str
    value: str


def _number_from_environment(name: str, default: int) -> int | _NotANumber:
    """The default of an option from the environment; a value that is not a whole number is
    kept (not as a string, which argparse would convert) for handle() to refuse by its name:
    ``--help`` must still work."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        return _NotANumber(name, raw)


class Command(BaseCommand):
    help = "Serve the site, with the background worker. Use --dev while developing."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument(
            "--port",
            type=int,
            default=_number_from_environment("PORT", 8000),
            help="Port to listen on (default: PORT from the environment, else 8000).",
        )
        parser.add_argument(
            "--dev",
            action="store_true",
            help="Django's development server: DEBUG on, static files from the source tree, "
            "autoreload on code changes.",
        )
        parser.add_argument(
            "--workers", type=int, default=None, help="Web worker processes (default: by CPU)."
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=_number_from_environment("WEB_THREADS", 1),
            help="Threads per web worker; above 1, connections are kept alive (default: "
            "WEB_THREADS from the environment, else 1).",
        )
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="Do not start the background worker (run `masthead worker` elsewhere).",
        )
        parser.add_argument(
            "--no-collectstatic", action="store_true", help="Skip collecting static files."
        )

    def handle(
        self, *args, host, port, dev, workers, threads, no_worker, no_collectstatic, **options
    ):
        for option in (port, threads):
            if isinstance(option, _NotANumber):
                raise CommandError(
                    f"{option.variable}={option.value!r} in the environment is not a whole "
                    "number: correct it, or remove it to use the default."
                )
        if not 0 < port < 65536:
            raise CommandError(f"--port must be between 1 and 65535, not {port}.")
        if workers is not None and workers < 1:
            raise CommandError(f"--workers must be at least 1, not {workers}.")
        if threads < 1:
            raise CommandError(f"--threads (WEB_THREADS) must be at least 1, not {threads}.")
        if problem := database_problem():
            raise CommandError(problem)
        python = sys.executable
        manage = [python, "-m", "masthead.cli"]
        commands: list[list[str]] = []
        if dev:
            # The development server serves static files straight from the source tree, and
            # only with DEBUG on: with it off, pages would ask for hashed names that
            # collectstatic has not written. The children inherit the environment.
            os.environ["DEBUG"] = "true"
            commands.append([*manage, "runserver", f"{host}:{port}"])
            if not no_worker:
                commands.append([*manage, "worker", "--reload"])
        else:
            if not no_collectstatic:
                call_command("collectstatic", interactive=False, verbosity=0)
            workers = workers or default_workers()
            commands.append(
                [
                    python, "-m", "gunicorn", "masthead.wsgi:application",
                    "--bind", f"{host}:{port}", "--workers", str(workers),
                    "--threads", str(threads),
                    # Workers forked from a master that loaded the site: none spends its
                    # first request importing (masthead/core/warmup.py).
                    "--preload", "-c", "python:masthead.core.gunicorn_config",
                    "--access-logfile", "-", "--forwarded-allow-ips",
                    ",".join(settings.TRUSTED_PROXIES) or "127.0.0.1",
                    *_no_control_socket(),
                ]
            )  # fmt: skip
            if not no_worker:
                commands.append([*manage, "worker"])
        self.stdout.write(f"Serving {settings.SITE_NAME} on http://{host}:{port}/ (Ctrl+C stops)")
        self._supervise(commands)

    def _supervise(self, commands: list[list[str]]) -> None:
        """Run the web server and the worker until Ctrl+C or SIGTERM. A worker that stops on
        its own is started again (the site goes on serving meanwhile), unless it keeps
        stopping; the web server stopping stops everything."""
        children = [subprocess.Popen(command) for command in commands]  # noqa: S603
        restarts: list[float] = []
        given_up = None
        stopping = False

        def stop(signum=None, frame=None) -> None:
            nonlocal stopping
            stopping = True  # a worker that exits now was told to: never started again
            for child in children:
                if child.poll() is None:
                    child.send_signal(signal.SIGTERM)

        signal.signal(signal.SIGTERM, stop)
        interrupted = False
        try:
            while children[0].poll() is None and given_up is None and not stopping:
                for position, child in enumerate(children[1:], start=1):
                    if child.poll() is None or stopping:
                        continue
                    now = time.monotonic()
                    restarts[:] = [t for t in restarts if now - t < WORKER_RESTART_WINDOW]
                    if child.returncode == -signal.SIGTERM or len(restarts) >= WORKER_RESTARTS:
                        given_up = child
                        break
                    restarts.append(now)
                    self.stderr.write(
                        f"The background worker stopped (exit code {child.returncode}; its "
                        f"messages are above). Starting it again in {WORKER_RESTART_DELAY} s; "
                        "the site goes on serving."
                    )
                    time.sleep(WORKER_RESTART_DELAY)
                    if not stopping:
                        children[position] = subprocess.Popen(child.args)  # noqa: S603
                time.sleep(0.5)
        except KeyboardInterrupt:
            interrupted = True  # Ctrl+C: a stop asked for, whatever the children answer
        finally:
            stop()
            for child in children:
                try:
                    child.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    child.kill()
        if interrupted:
            return
        failed = [c for c in children if c.returncode not in (0, -signal.SIGTERM, None)]
        if given_up is not None and given_up.returncode != -signal.SIGTERM:
            failed.insert(0, given_up)
        if failed:
            child = failed[0]
            what = "the background worker" if "worker" in child.args else "the web server"
            again = (
                f" ({len(restarts)} times in {WORKER_RESTART_WINDOW // 60} minutes)"
                if child is given_up
                else ""
            )
            raise CommandError(
                f"Stopped serving because {what} exited with code {child.returncode}{again} "
                "(its messages are above); everything else was stopped with it."
            )
