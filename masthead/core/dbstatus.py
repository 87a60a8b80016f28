"""Is the database usable? Reachable, and with every migration applied.

Asked by ``masthead check --deploy``, by ``masthead serve`` and ``masthead worker`` before they
start, and by the ``masthead`` command to explain a database error in one line.
"""

from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS, connections


def _first_line(err: BaseException) -> str:
    text = str(err).strip()
    return text.splitlines()[0] if text else type(err).__name__


def database_problem(alias: str = DEFAULT_DB_ALIAS) -> str:
    """What stops Masthead using the database, in one sentence; empty when nothing does."""
    from django.db.migrations.executor import MigrationExecutor

    connection = connections[alias]
    try:
        connection.ensure_connection()
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception as err:  # (any failure here is the database's)
        if connection.vendor == "sqlite":  # a file, not a server: its folder is the usual cause
            return (
                f"The SQLite database {connection.settings_dict['NAME']} cannot be used "
                f"({_first_line(err)}). Check that its folder exists and that the user running "
                "Masthead may write to it (`masthead check` lists the folders it needs)."
            )
        return (
            f"The database cannot be used ({_first_line(err)}). Check DATABASE_URL and that "
            "the database server is running and reachable."
        )
    if pending:
        return (
            f"The database is not up to date: {len(pending)} migration(s) are not applied. "
            "Run `masthead migrate`."
        )
    return ""
