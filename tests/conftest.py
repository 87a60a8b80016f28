"""Fixtures for cross-app tests that run Masthead in processes of its own."""

from __future__ import annotations

import pytest


@pytest.fixture
def scratch_postgres():
    """A fresh, empty PostgreSQL database beside the test database, dropped afterwards."""
    import uuid

    import psycopg
    from django.conf import settings

    db = settings.DATABASES["default"]
    name = f"masthead_scratch_{uuid.uuid4().hex[:8]}"
    params = {
        "host": db["HOST"],
        "port": db["PORT"],
        "user": db["USER"],
        "password": db["PASSWORD"],
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    yield f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{name}"
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def site_database_url(tmp_path, request) -> str:
    """A fresh database for a separately started site: PostgreSQL when the suite runs on
    PostgreSQL, else an SQLite file."""
    from django.conf import settings

    if "postgresql" in settings.DATABASES["default"]["ENGINE"]:
        return request.getfixturevalue("scratch_postgres")
    return f"sqlite:///{tmp_path / 'site.sqlite3'}"
