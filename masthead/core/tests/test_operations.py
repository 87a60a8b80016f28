"""An operator's mistakes (a database that is not there or not migrated, a folder that
cannot be written, a bad number) end a command with one line saying what to do, never a
traceback; `masthead check --deploy` sees them beforehand."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from masthead.core.tests.test_configuration import SOURCE

KEY = "x" * 50


def masthead(home: Path, *args: str, cwd: Path | None = None, **env) -> subprocess.CompletedProcess:
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "MASTHEAD_VAR_DIR", "DEBUG"}
    }
    environment.update({"MASTHEAD_HOME": str(home), "SECRET_KEY": KEY, "PYTHONPATH": SOURCE, **env})
    return subprocess.run(
        [sys.executable, "-m", "masthead.cli", *args],
        env=environment,
        capture_output=True,
        text=True,
        timeout=180,
        cwd=cwd or home,
    )


def one_clear_line(result: subprocess.CompletedProcess, *expected: str) -> None:
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    for text in expected:
        assert text in result.stderr


@pytest.fixture(scope="module")
def migrated(tmp_path_factory) -> Path:
    home = tmp_path_factory.mktemp("site")
    assert masthead(home, "migrate", "--noinput").returncode == 0
    return home


def test_a_relative_sqlite_path_is_the_sites_not_the_current_directorys(migrated, tmp_path):
    """As from cron: another current directory, the README's spelling of the default."""
    elsewhere = tmp_path / "cron"
    elsewhere.mkdir()
    url = "sqlite:///var/masthead.sqlite3"
    result = masthead(migrated, "showmigrations", "core", cwd=elsewhere, DATABASE_URL=url)
    assert result.returncode == 0, result.stderr
    assert "[X] 0001_initial" in result.stdout  # the site's migrated database
    assert not (elsewhere / "var").exists()


@pytest.mark.parametrize("command", [["demo"], ["related", "rebuild"], ["spam", "key", "list"]])
def test_an_unmigrated_database_says_run_migrate(tmp_path, command):
    one_clear_line(masthead(tmp_path, *command), "not applied", "Run `masthead migrate`")


def test_traceback_still_shows_where(tmp_path):
    result = masthead(tmp_path, "demo", "--traceback")
    assert "Traceback" in result.stderr
    assert "no such table" in result.stderr


def test_serve_and_the_worker_do_not_start_on_an_unmigrated_database(tmp_path):
    one_clear_line(masthead(tmp_path, "serve", "--port", "8999"), "Run `masthead migrate`")
    one_clear_line(masthead(tmp_path, "worker"), "Run `masthead migrate`")


def test_an_unreachable_postgresql(tmp_path):
    url = "postgres://nobody@127.0.0.1:9/none"
    one_clear_line(
        masthead(tmp_path, "migrate", DATABASE_URL=url), "cannot be used", "DATABASE_URL"
    )
    result = masthead(tmp_path, "check", "--deploy", DATABASE_URL=url)
    assert "masthead.E015" in result.stderr
    assert "Traceback" not in result.stderr


def test_check_deploy_reports_pending_migrations(tmp_path):
    result = masthead(tmp_path, "check", "--deploy")
    assert "masthead.E015" in result.stderr
    assert "Run `masthead migrate`" in result.stderr


@pytest.mark.parametrize("url", ["mysql://user@db/news", "oracle://x"])
def test_an_unsupported_database_is_refused_by_every_command(tmp_path, url):
    for command in (["check"], ["migrate"], ["backup"]):
        result = masthead(tmp_path, *command, DATABASE_URL=url)
        assert result.returncode != 0
        assert "masthead.E003" in result.stderr
        assert "Traceback" not in result.stderr
    assert not (tmp_path / "var" / "masthead.sqlite3").exists()  # never another database
    assert masthead(tmp_path, "--help", DATABASE_URL=url).returncode == 0


def test_folders_that_cannot_be_written_are_check_errors(tmp_path):
    (tmp_path / "a-file").write_text("")
    result = masthead(
        tmp_path, "check", PAGE_CACHE_DIR=str(tmp_path / "a-file" / "pages"), DEBUG="false"
    )
    assert result.returncode == 1
    assert "masthead.E014" in result.stderr
    assert "PAGE_CACHE_DIR" in result.stderr
    assert "Traceback" not in result.stderr


def test_help_never_fails_on_a_bad_folder(tmp_path):
    (tmp_path / "a-file").write_text("")
    bad = f"sqlite:///{tmp_path}/a-file/site.sqlite3"
    result = masthead(
        tmp_path, "--help", DATABASE_URL=bad, MASTHEAD_VAR_DIR=str(tmp_path / "a-file")
    )
    assert result.returncode == 0, result.stderr
    result = masthead(tmp_path, "check", DATABASE_URL=bad)
    assert "masthead.E014" in result.stderr
    assert "Traceback" not in result.stderr


def test_check_deploy_reports_static_files_not_collected_or_out_of_date(migrated):
    static = migrated / "var" / "static"
    deploy = ("check", "--deploy", "--fail-level", "ERROR")
    result = masthead(migrated, *deploy)
    assert "masthead.E016" in result.stderr
    assert "collectstatic" in result.stderr
    assert masthead(migrated, "collectstatic", "--noinput").returncode == 0
    result = masthead(migrated, *deploy)
    assert "masthead.E016" not in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    manifest = json.loads((static / "staticfiles.json").read_text())
    del manifest["paths"]["masthead/css/site.css"]  # what an older collect looks like
    (static / "staticfiles.json").write_text(json.dumps(manifest))
    result = masthead(migrated, *deploy)
    assert "masthead.E016" in result.stderr
    assert "masthead/css/site.css" in result.stderr


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (["worker", "--tick", "0"], {}, "--tick must be at least 0.1"),
        (["worker", "--interval", "-5"], {}, "--interval must be 0 seconds or more"),
        (["serve"], {"PORT": "abc"}, "PORT='abc' in the environment is not a whole number"),
        (["serve"], {"WEB_THREADS": "two"}, "WEB_THREADS='two' in the environment"),
        (["serve", "--workers", "-1"], {}, "--workers must be at least 1"),
    ],
)
def test_bad_numbers_for_serve_and_the_worker(migrated, args, env, message):
    result = masthead(migrated, *args, **env)
    assert result.returncode != 0
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert "Serving" not in result.stdout


def test_serve_help_works_with_a_bad_port_in_the_environment(tmp_path):
    result = masthead(tmp_path, "serve", "--help", PORT="abc", WEB_THREADS="two")
    assert result.returncode == 0, result.stderr


def _setting(home: Path, expression: str, **env) -> str:
    code = f"from django.conf import settings; print({expression})"
    result = masthead(home, "shell", "-c", code, **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_two_sites_on_one_redis_database_do_not_share_keys(tmp_path):
    prefix = "settings.CACHES['default']['KEY_PREFIX']"
    redis = "redis://127.0.0.1:6379/0"
    a = _setting(tmp_path, prefix, REDIS_URL=redis, SITE_URL="https://a.example.org")
    b = _setting(tmp_path, prefix, REDIS_URL=redis, SITE_URL="https://b.example.org")
    assert a != b
    assert a == _setting(tmp_path, prefix, REDIS_URL=redis, SITE_URL="https://a.example.org")
    chosen = _setting(tmp_path, prefix, REDIS_URL=redis, CACHE_KEY_PREFIX="gazette")
    assert chosen == "gazette"


def test_secret_key_fallbacks_come_from_the_environment(tmp_path):
    value = _setting(tmp_path, "settings.SECRET_KEY_FALLBACKS", SECRET_KEY_FALLBACKS="old1, old2")
    assert value == "['old1', 'old2']"


def test_a_missing_secret_key_is_one_error_not_two(tmp_path):
    result = masthead(tmp_path, "check", "--deploy", SECRET_KEY="", DEBUG="false")
    assert "masthead.E001" in result.stderr
    assert "security.W009" not in result.stderr  # about the stand-in key, not the real one


def test_a_path_that_cannot_be_written_is_one_line(migrated, tmp_path):
    (tmp_path / "a-file").write_text("")
    result = masthead(migrated, "backup", "--out", str(tmp_path / "a-file" / "site.tar.gz"))
    one_clear_line(result, "Cannot create the directory", "a-file")


def test_ctrl_c_ends_a_command_with_one_line(migrated):
    environment = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    environment.update(MASTHEAD_HOME=str(migrated), SECRET_KEY=KEY, PYTHONPATH=SOURCE)
    code = "import sys, time; print('ready', flush=True); time.sleep(60)"
    process = subprocess.Popen(
        [sys.executable, "-m", "masthead.cli", "shell", "-v", "0", "-c", code],
        env=environment,
        cwd=migrated,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout.readline().strip() == "ready"
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=30)
    # 130, or killed by SIGINT as Python ends a process whose code (here `shell -c`) was
    # interrupted: either way the shell sees an interrupted command
    assert process.returncode in (130, -signal.SIGINT)
    assert stderr.strip() == "masthead: stopped by Ctrl+C."


@pytest.mark.parametrize("url", ["redis://127.0.0.1:1/0", "redis://127.0.0.1:6379/99"])
def test_check_deploy_says_when_redis_does_not_answer(migrated, url):
    result = masthead(migrated, "check", "--deploy", REDIS_URL=url)
    assert "masthead.W015" in result.stdout + result.stderr
    assert "Traceback" not in result.stderr


def test_check_deploy_is_quiet_about_a_redis_that_answers(migrated):
    result = masthead(migrated, "check", "--deploy", REDIS_URL="redis://127.0.0.1:6379/15")
    assert "masthead.W015" not in result.stdout + result.stderr


def test_an_unreachable_mail_server_is_one_line(migrated):
    result = masthead(
        migrated, "sendtestemail", "ed@example.org", EMAIL_URL="smtp://127.0.0.1:1/?tls=True"
    )
    one_clear_line(result, "cannot send email through the server of EMAIL_URL", "sendtestemail")


def test_web_concurrency_zero_is_refused(migrated):
    result = masthead(migrated, "check", WEB_CONCURRENCY="0")
    assert "masthead.E011" in result.stdout + result.stderr


def test_an_sqlite_file_that_cannot_be_opened_points_at_its_folder(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    url = f"sqlite:///{blocker}/masthead.sqlite3"
    one_clear_line(
        masthead(tmp_path, "migrate", DATABASE_URL=url),
        f"The SQLite database {blocker}/masthead.sqlite3 cannot be used",
        "may write to it",
    )
