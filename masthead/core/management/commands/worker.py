"""``masthead worker``: run background tasks and enqueue periodic ones when they are due."""

from __future__ import annotations

import logging
import threading

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections

from masthead.core import pagecache, periodic, postponed
from masthead.core.dbstatus import database_problem

logger = logging.getLogger("masthead.worker")


class Command(BaseCommand):
    help = "Run background tasks (scheduled publishing, notifications, re-indexing)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--tick",
            type=float,
            default=10.0,
            help="Seconds between checks for due periodic tasks (default 10, at least 0.1).",
        )
        parser.add_argument(
            "--interval", type=float, default=1.0, help="Seconds between polls (default 1)."
        )
        parser.add_argument("--reload", action="store_true", help="Restart when code changes.")

    def handle(self, *args, tick: float, interval: float, reload: bool, **options):
        if not tick >= 0.1:
            raise CommandError(f"--tick must be at least 0.1 seconds, not {tick}.")
        if not interval >= 0:
            raise CommandError(f"--interval must be 0 seconds or more, not {interval}.")
        if problem := database_problem():
            raise CommandError(problem)
        stop = threading.Event()

        def schedule() -> None:
            while True:
                try:
                    periodic.enqueue_due()
                    pagecache.retry_purges()  # page purges a cache outage held back
                    postponed.retry()  # cache deletes it held back, from any process
                except Exception:
                    logger.exception("Could not enqueue periodic tasks; retrying in %ss", tick)
                finally:
                    close_old_connections()
                if stop.wait(tick):
                    return

        thread = threading.Thread(target=schedule, name="masthead-periodic", daemon=True)
        thread.start()
        try:
            call_command(
                "db_worker",
                interval=interval,
                reload=reload,
                verbosity=options["verbosity"],
            )
        finally:
            stop.set()
