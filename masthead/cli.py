"""The ``masthead`` command: Django's management commands with Masthead's settings.

Operational problems (the database cannot be reached or is not migrated, a folder cannot be
written, configuration Django refuses) end the command with one line saying what to do, and
exit code 1. Anything else is a bug and keeps its traceback, as does every error when the
command is given ``--traceback``. Ctrl+C ends it with one line too (exit code 130).
"""

from __future__ import annotations

import errno
import os
import sys

# A path that cannot be used as it is: the operator's to fix (any other OSError is a bug).
_FILE_PROBLEMS = {
    errno.EACCES, errno.EPERM, errno.EROFS, errno.ENOSPC, errno.EDQUOT,
    errno.EISDIR, errno.ENOTDIR, errno.ENOENT, errno.EEXIST,
}  # fmt: skip


def _from_mail(err: BaseException) -> bool:
    """Did ``err`` come from talking to the mail server (refused, unknown host, a login or
    TLS failure)?"""
    import smtplib
    import traceback

    if isinstance(err, smtplib.SMTPException):
        return True
    return isinstance(err, OSError) and any(
        frame.f_code.co_filename.endswith("smtplib.py")
        for frame, _ in traceback.walk_tb(err.__traceback__)
    )


def _operational_problem(err: BaseException) -> str:
    """One line for an error an operator can fix; empty for a bug."""
    from django.core.exceptions import ImproperlyConfigured
    from django.db import DatabaseError

    if isinstance(err, DatabaseError):
        from django.db import connections

        from masthead.core.dbstatus import database_problem

        connections.close_all()  # a failed transaction must not hide what is wrong
        return database_problem()
    if isinstance(err, ImproperlyConfigured):
        from django.conf import settings

        problems = [p["msg"] for p in getattr(settings, "MASTHEAD_CONFIG_ERRORS", [])]
        return " ".join([str(err), *problems, "Run `masthead check` for hints."])
    if _from_mail(err):
        return (
            f"cannot send email through the server of EMAIL_URL ({err}). Check its host, port, "
            "user, password and tls/ssl, then try `masthead sendtestemail you@example.org`."
        )
    if isinstance(err, OSError) and err.filename and err.errno in _FILE_PROBLEMS:
        return (
            f"cannot use {err.filename}: {err.strerror}. Give the user running Masthead access "
            "to it, or use another path (`masthead check` lists the folders Masthead needs)."
        )
    return ""


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masthead.settings")
    argv = list(sys.argv if argv is None else argv)
    argv[0] = "masthead"
    try:
        from django.core.management import execute_from_command_line

        execute_from_command_line(argv)
    except KeyboardInterrupt:
        if "--traceback" in argv:
            raise
        # Ctrl+C is the operator's own stop, not a failure to explain with a traceback.
        sys.stderr.write("masthead: stopped by Ctrl+C.\n")
        sys.exit(130)
    except Exception as err:
        if "--traceback" in argv:
            raise
        try:
            problem = _operational_problem(err)
        except Exception:  # (explaining must never hide the original error)
            problem = ""
        if not problem:
            raise
        sys.stderr.write(f"masthead: {problem}\n")
        sys.exit(1)


if __name__ == "__main__":
    main()
