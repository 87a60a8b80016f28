"""SQLite, with writers queued in order instead of polling for the lock.

With ``transaction_mode="IMMEDIATE"`` every transaction takes SQLite's write lock when it
begins, so no transaction ever fails half-way with "database is locked". But a writer that
finds the lock taken waits in SQLite's busy handler, which sleeps in growing steps (1, 2, 5,
10, … ms) and retries: under a burst of comments, writers sleep far longer than the
transactions they wait for take. Here each transaction first takes an exclusive ``flock`` on
a file beside the database; the kernel wakes the next writer the moment the lock is free.
Reads in WAL mode take no lock at all and are unaffected.

Its cursors also remember the "?" form of the SQL they were given, instead of rewriting
Django's "%s" placeholders with a regular expression on every call (for a page's few
prepared reads, whose SQL is always the same, that rewrite cost more than the reads).
"""

from __future__ import annotations

import fcntl
import os
from functools import lru_cache

from django.db.backends.sqlite3 import base

# Long statements (bulk inserts of many rows) are rewritten each time, not remembered.
_REMEMBERED_LENGTH = 8192


@lru_cache(maxsize=256)  # at most about 2 MB
def _qmark(query: str) -> str:
    return base.FORMAT_QMARK_REGEX.sub("?", query).replace("%%", "%")


class CursorWrapper(base.SQLiteCursorWrapper):
    def convert_query(self, query, *, param_names=None):
        if param_names is None and len(query) <= _REMEMBERED_LENGTH:
            return _qmark(query)
        return super().convert_query(query, param_names=param_names)


class DatabaseWrapper(base.DatabaseWrapper):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._writer_lock_fd: int | None = None
        self._writer_locked = False

    def create_cursor(self, name=None):
        return self.connection.cursor(factory=CursorWrapper)

    def _writer_lock_path(self) -> str | None:
        """The lock file, for transactions that take the write lock when they begin: ours
        (IMMEDIATE) and django-tasks-db's (its worker switches to EXCLUSIVE to claim a task;
        without the file lock, it waited in SQLite's busy handler behind a long writer and
        failed with "database is locked" after the busy timeout)."""
        name = str(self.settings_dict["NAME"])
        mode = getattr(self, "transaction_mode", None)
        if self.is_in_memory_db() or mode not in ("IMMEDIATE", "EXCLUSIVE"):
            return None
        return name + ".writers"

    def _lock_writers(self) -> None:
        path = self._writer_lock_path()
        if path is None or self._writer_locked:
            return
        if self._writer_lock_fd is None:
            self._writer_lock_fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(self._writer_lock_fd, fcntl.LOCK_EX)
        self._writer_locked = True

    def _unlock_writers(self) -> None:
        if self._writer_locked:
            fcntl.flock(self._writer_lock_fd, fcntl.LOCK_UN)
            self._writer_locked = False

    def _start_transaction_under_autocommit(self):
        self._lock_writers()
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self._unlock_writers()
            raise

    def _commit(self):
        try:
            return super()._commit()
        finally:
            self._unlock_writers()

    def _rollback(self):
        try:
            return super()._rollback()
        finally:
            self._unlock_writers()

    def _close(self):
        try:
            return super()._close()
        finally:
            self._unlock_writers()
            if self._writer_lock_fd is not None:
                os.close(self._writer_lock_fd)
                self._writer_lock_fd = None
