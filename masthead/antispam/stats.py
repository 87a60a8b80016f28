"""Counts of what the filter did, added up in memory and written in batches.

A comment check must not cost a database write: at a thousand checks a second that write
would be the bottleneck (and on SQLite, a queue). Each process adds its counts up in memory
and writes them at most every ``USAGE_FLUSH_SECONDS`` with one upsert per row
(``INSERT ... ON CONFLICT DO UPDATE SET n = n + excluded.n``), so several processes add up
correctly. What a process holds when it is killed is lost: at most a few seconds of counts.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import threading
import time
from collections import Counter
from datetime import date

from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from masthead.antispam.conf import app_settings
from masthead.antispam.models import ApiUsage, DailyCount

logger = logging.getLogger("masthead.antispam.stats")

DAILY_FIELDS = (
    "checked", "passed", "held", "caught", "discarded", "approved", "false_positives", "missed",
)  # fmt: skip
USAGE_FIELDS = ("checks", "spam", "ham", "missed_spam", "false_positives")
# What each pipeline action adds to the day's counts.
ACTION_FIELDS = {
    "ham": ("checked", "passed"),
    "hold": ("checked", "held"),
    "spam": ("checked", "caught"),
    "discard": ("checked", "caught", "discarded"),
}


class Buffer:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._daily: Counter[tuple[date, str, str]] = Counter()
        self._usage: Counter[tuple[int, date, str, str]] = Counter()
        self._last_used: dict[tuple[int, date, str], object] = {}
        # Checks counted by this process per key and month, never reset (see month_usage).
        self._checks: Counter[tuple[int, date]] = Counter()
        self._flushed_at = time.monotonic()

    def day(self, source: str, *fields: str, n: int = 1) -> None:
        today = timezone.localdate()
        with self._lock:
            for name in fields:
                self._daily[(today, source, name)] += n
        self.flush_if_due()

    def usage(self, key_id: int, site: str, *fields: str) -> None:
        now = timezone.now()
        month = timezone.localdate(now).replace(day=1)
        with self._lock:
            for name in fields:
                self._usage[(key_id, month, site[:200], name)] += 1
            self._last_used[(key_id, month, site[:200])] = now
            if "checks" in fields:
                self._checks[(key_id, month)] += 1
        self.flush_if_due()

    def checks_counted(self, key_id: int, month: date) -> int:
        """Checks this process has counted for a key in a month, written or not."""
        return self._checks[(key_id, month)]

    def flush_if_due(self) -> None:
        if time.monotonic() - self._flushed_at >= float(app_settings.USAGE_FLUSH_SECONDS):
            self.flush()

    def flush(self, *, quiet: bool = False) -> None:
        with self._lock:
            daily, self._daily = self._daily, Counter()
            usage, self._usage = self._usage, Counter()
            last_used, self._last_used = self._last_used, {}
            self._flushed_at = time.monotonic()
        if not daily and not usage:
            return
        try:
            with transaction.atomic():
                _write_daily(daily)
                _write_usage(usage, last_used)
        except DatabaseError:
            if not quiet:
                logger.exception("Could not write spam filter counts; they are lost")

    def clear(self) -> None:
        with self._lock:
            self._daily.clear()
            self._usage.clear()
            self._last_used.clear()
            self._checks.clear()


def _upsert(model, keys: dict[str, object], counts: dict[str, int], extra=None) -> None:
    """One ``INSERT ... ON CONFLICT DO UPDATE`` adding ``counts`` to the row ``keys``."""
    meta = model._meta
    q = connection.ops.quote_name
    table = q(meta.db_table)
    values = {**keys, **counts, **(extra or {})}
    columns = [meta.get_field(name).column for name in values]
    params = [
        meta.get_field(name).get_db_prep_save(value, connection) for name, value in values.items()
    ]
    updates = [f"{q(c)} = {table}.{q(c)} + excluded.{q(c)}" for c in map(_column(meta), counts)]
    updates += [f"{q(c)} = excluded.{q(c)}" for c in map(_column(meta), extra or {})]
    conflict = ", ".join(q(_column(meta)(name)) for name in keys)
    # Identifiers come from the model and are quoted; every value is a parameter.
    sql = (
        f"INSERT INTO {table} ({', '.join(map(q, columns))}) "  # noqa: S608
        f"VALUES ({', '.join(['%s'] * len(params))}) "
        f"ON CONFLICT ({conflict}) DO UPDATE SET {', '.join(updates)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _column(meta):
    return lambda name: meta.get_field(name).column


def _write_daily(daily: Counter) -> None:
    rows: dict[tuple[date, str], dict[str, int]] = {}
    for (day, source, name), n in daily.items():
        rows.setdefault((day, source), {})[name] = n
    for (day, source), counts in rows.items():
        counts = {name: counts.get(name, 0) for name in DAILY_FIELDS}
        _upsert(DailyCount, {"day": day, "source": source}, counts)


def _write_usage(usage: Counter, last_used: dict) -> None:
    rows: dict[tuple[int, date, str], dict[str, int]] = {}
    for (key_id, month, site, name), n in usage.items():
        rows.setdefault((key_id, month, site), {})[name] = n
    for (key_id, month, site), counts in rows.items():
        counts = {name: counts.get(name, 0) for name in USAGE_FIELDS}
        extra = {"last_used_at": last_used.get((key_id, month, site), timezone.now())}
        _upsert(ApiUsage, {"key": key_id, "month": month, "site": site}, counts, extra)


buffer = Buffer()


@atexit.register
def _flush_at_exit() -> None:
    # The interpreter is going away (logging may be too): write what can be written.
    with contextlib.suppress(Exception):
        buffer.flush(quiet=True)
