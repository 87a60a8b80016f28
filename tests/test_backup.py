"""`masthead backup` and `masthead restore`, end to end on a real site directory."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

WRITE = """
from masthead.newsroom.models import Article, Section
from masthead.newsroom.tests.factories import make_image
section, _ = Section.objects.get_or_create(name="City", slug="city")
image = make_image(alt_text="Harbour")
Article.objects.create(headline=HEADLINE, slug=SLUG, section=section, body="<p>x</p>",
                       status="published", featured_image=image)
print(image.file.name)
"""
READ = (
    "from masthead.newsroom.models import Article;"
    "print(sorted(Article.objects.values_list('slug', flat=True)))"
)


def run(env, *args, check=True):
    return subprocess.run(
        [sys.executable, "-m", "masthead.cli", *args],
        env=env, capture_output=True, text=True, timeout=120, check=check,
    )  # fmt: skip


def shell(env, code: str) -> str:
    return run(env, "shell", "-v", "0", "-c", code).stdout.strip()


def site(tmp_path: Path, name: str, database_url: str | None = None) -> dict:
    home = tmp_path / name
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(
        MASTHEAD_VAR_DIR=str(home),
        SECRET_KEY="backup-test-" + "x" * 40,
        DATABASE_URL=database_url or f"sqlite:///{home / 'db.sqlite3'}",
        MEDIA_ROOT=str(home / "media"),
    )
    run(env, "migrate", "--noinput")
    return env


def add_story(env, slug: str) -> str:
    code = f"HEADLINE = {slug!r}; SLUG = {slug!r}\n" + WRITE
    return shell(env, code)


def test_native_backup_restores_database_and_media(tmp_path):
    env = site(tmp_path, "site")
    image = add_story(env, "before-backup")
    out = tmp_path / "site.tar.gz"
    assert "Backup written" in run(env, "backup", "--out", str(out)).stdout
    add_story(env, "after-backup")
    (Path(env["MEDIA_ROOT"]) / image).unlink()

    result = run(env, "restore", str(out), "--yes")
    assert "Restored the sqlite backup" in result.stdout
    assert "previous state was saved" in result.stdout
    assert shell(env, READ) == "['before-backup']"
    assert (Path(env["MEDIA_ROOT"]) / image).exists()


def test_portable_backup_moves_a_site_to_another_database(tmp_path, request):
    source = site(tmp_path, "old")
    add_story(source, "moving-day")
    out = tmp_path / "portable.tar.gz"
    run(source, "backup", "--portable", "--out", str(out))
    target_url = None
    from django.conf import settings

    if "postgresql" in settings.DATABASES["default"]["ENGINE"]:
        target_url = request.getfixturevalue("scratch_postgres")  # SQLite → PostgreSQL
    target = site(tmp_path, "new", target_url)
    run(target, "restore", str(out), "--yes", "--no-safety-backup")
    assert shell(target, READ) == "['moving-day']"
    groups = shell(
        target,
        "from django.contrib.auth.models import Group;"
        "print(Group.objects.get(name='Editor').permissions.count())",
    )
    assert int(groups) > 10


def test_restore_refuses_what_is_not_a_backup(tmp_path):
    env = site(tmp_path, "site")
    bogus = tmp_path / "bogus.tar.gz"
    bogus.write_bytes(b"not a tarball")
    result = run(env, "restore", str(bogus), "--yes", check=False)
    assert result.returncode != 0
    assert "is not a readable backup" in result.stderr
    missing = run(env, "restore", str(tmp_path / "nope.tar.gz"), "--yes", check=False)
    assert "does not exist" in missing.stderr


@pytest.mark.postgres
def test_native_postgres_backup_and_restore(tmp_path, scratch_postgres):
    env = site(tmp_path, "pg", scratch_postgres)
    add_story(env, "kept")
    out = tmp_path / "pg.tar.gz"
    run(env, "backup", "--out", str(out))
    add_story(env, "discarded")
    result = run(env, "restore", str(out), "--yes")
    assert "Restored the postgresql backup" in result.stdout
    assert shell(env, READ) == "['kept']"
