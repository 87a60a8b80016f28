"""Test settings shared by every test in the project.

Browser and PostgreSQL tests skip on a laptop without Chromium or PostgreSQL, and fail
instead in CI (``CI=true``), where both must be present.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent
SHARED = ROOT.parent / "shared"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


def skip_or_fail(reason: str) -> None:
    """Skip on a developer machine; fail in CI, where everything must run."""
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: this must not be skipped)", pytrace=False)
    pytest.skip(reason)


def shared_data(*parts: str) -> Path:
    path = SHARED.joinpath(*parts)
    if not path.exists():
        skip_or_fail(f"{path} is absent: the shared data folder is needed for this test")
    return path


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """On SQLite, test in a file rather than in memory.

    A live server's request threads then get connections of their own, as in production
    (WAL, busy timeout, IMMEDIATE transactions), instead of sharing one in-memory connection;
    the concurrency tests need that.
    """
    from django.conf import settings

    database = settings.DATABASES["default"]
    test = database.setdefault("TEST", {})
    if database["ENGINE"].endswith("sqlite3"):
        # Replaces any name the parallel-suffix step derived: each xdist worker has its own
        # temporary directory, hence its own file.
        test["NAME"] = str(tmp_path_factory.mktemp("database") / "test.sqlite3")


def _test_caches(worker: str) -> dict:
    """A memory cache per test process, or with REDIS_URL a Redis database per xdist worker
    (a cache.clear() is a FLUSHDB, which must not reach another worker's entries)."""
    from django.conf import settings

    configured = settings.CACHES["default"]
    if "Redis" not in configured["BACKEND"]:
        return {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    from urllib.parse import urlsplit

    number = 15 - (int(worker[2:]) if worker.startswith("gw") else 0)
    location = urlsplit(configured["LOCATION"])._replace(path=f"/{number}").geturl()
    return {"default": {**configured, "LOCATION": location}}


@pytest.fixture(scope="session")
def _cache_settings(worker_id):
    return _test_caches(worker_id)


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path_factory, _cache_settings):
    settings.CACHES = _cache_settings
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.MEDIA_ROOT = str(tmp_path_factory.getbasetemp() / "media")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.SITE_URL = "https://news.example.org"
    settings.ALLOWED_HOSTS = ["*"]
    # Pages are cached only in the tests about caching (masthead/core/tests/test_pagecache.py
    # and friends), which commit their transactions so that purges happen as in production.
    settings.MASTHEAD_PAGE_CACHE_SECONDS = 0
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)


@pytest.fixture(autouse=True)
def _clear_cache(_test_settings):
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def pytest_collection_modifyitems(config, items):
    """Tests marked ``postgres`` or ``sqlite`` run only on that database. Elsewhere they
    skip on a laptop; CI deselects them, since its other pass runs them."""
    from django.conf import settings

    vendor = "postgres" if "postgresql" in settings.DATABASES["default"]["ENGINE"] else "sqlite"
    other = "sqlite" if vendor == "postgres" else "postgres"
    elsewhere = [item for item in items if item.get_closest_marker(other)]
    if not elsewhere:
        return
    if IN_CI:
        config.hook.pytest_deselected(items=elsewhere)
        items[:] = [item for item in items if not item.get_closest_marker(other)]
        return
    for item in elsewhere:
        item.add_marker(pytest.mark.skip(reason=f"runs on {other} only (DATABASE_URL)"))
