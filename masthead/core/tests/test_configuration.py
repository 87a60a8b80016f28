"""Wrong configuration is reported by `masthead check` with a hint, never a traceback."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

import masthead

SOURCE = str(Path(masthead.__file__).resolve().parents[1])


def run_check(tmp_path, *, command=("-m", "masthead.cli", "check"), **env):
    """``masthead check`` (or another ``python`` command line) on a site in ``tmp_path``."""
    environment = {
        k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "SECRET_KEY"}
    }
    environment.update(MASTHEAD_VAR_DIR=str(tmp_path), MASTHEAD_HOME=str(tmp_path), **env)
    environment["PYTHONPATH"] = SOURCE  # this tree's code, whatever the current directory
    return subprocess.run(
        [sys.executable, *command],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )


@pytest.mark.parametrize(
    ("env", "check_id", "hint"),
    [
        ({"DEBUG": "false"}, "masthead.E001", "Set SECRET_KEY"),
        ({"SITE_URL": "news.example.org", "SECRET_KEY": "x" * 50}, "masthead.E002", "SITE_URL"),
        ({"DATABASE_URL": "mysqlx://nope", "SECRET_KEY": "x" * 50}, "masthead.E003", "postgres://"),
        ({"DATABASE_URL": "mysql://u@db/x", "SECRET_KEY": "x" * 50}, "masthead.E003", "supports"),
        ({"EMAIL_URL": "consol:", "SECRET_KEY": "x" * 50}, "masthead.E005", "console:"),
        (
            {"EMAIL_URL": "smtp://u:p@mail:587/?tls=Ture", "SECRET_KEY": "x" * 50},
            "masthead.E005",
            "tls=Ture is not true or false",
        ),
        (
            {"DATABASE_URL": "sqlite://var/masthead.sqlite3", "SECRET_KEY": "x" * 50},
            "masthead.E003",
            "sqlite:///var/masthead.sqlite3",
        ),
        ({"EMAIL_URL": "stmp://u:p@mail:587", "SECRET_KEY": "x" * 50}, "masthead.E005", "smtp://"),
        ({"REDIS_URL": "redis://h:6379/abc", "SECRET_KEY": "x" * 50}, "masthead.E004", "number"),
        ({"LOG_LEVEL": "LOUD", "SECRET_KEY": "x" * 50}, "masthead.E017", "INFO"),
        ({"REDIS_URL": "http://localhost", "SECRET_KEY": "x" * 50}, "masthead.E004", "redis://"),
        ({"TIME_ZONE": "Mars/Olympus", "SECRET_KEY": "x" * 50}, "masthead.E006", "IANA"),
        ({"DEBUG": "maybe", "SECRET_KEY": "x" * 50}, "masthead.E010", "true or false"),
        ({"WEB_CONCURRENCY": "many", "SECRET_KEY": "x" * 50}, "masthead.E011", "2 × CPUs + 1"),
        ({"TRUSTED_PROXIES": "proxy.local", "SECRET_KEY": "x" * 50}, "masthead.E008", "CIDR"),
        ({"MEDIA_S3_BUCKET": "pictures", "SECRET_KEY": "x" * 50}, "masthead.E009", "masthead[s3]"),
        ({"TEMPLATES_DIR": "/no/such/dir", "SECRET_KEY": "x" * 50}, "masthead.E013", "Jinja2"),
    ],
)
def test_bad_configuration_is_reported_with_a_hint(tmp_path, env, check_id, hint):
    result = run_check(tmp_path, **env)
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert check_id in output
    assert hint in output
    assert "Traceback" not in output


def test_good_configuration_passes(tmp_path):
    result = run_check(tmp_path, SECRET_KEY="x" * 50, SITE_URL="https://news.example.org")
    assert result.returncode == 0, result.stderr


def test_debug_run_generates_and_keeps_a_secret_key(tmp_path):
    assert run_check(tmp_path, DEBUG="true").returncode == 0
    key = (tmp_path / "secret_key").read_text()
    assert len(key.strip()) >= 50
    assert oct((tmp_path / "secret_key").stat().st_mode)[-3:] == "600"
    run_check(tmp_path, DEBUG="true")
    assert (tmp_path / "secret_key").read_text() == key


def test_an_operators_templates_dir_is_searched_first(tmp_path):
    theme = tmp_path / "theme"
    (theme / "newsroom").mkdir(parents=True)
    (theme / "404.html").write_text("Lost at sea, {{ 40 + 4 }}")
    environment = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    environment.update(
        MASTHEAD_VAR_DIR=str(tmp_path), SECRET_KEY="x" * 50, TEMPLATES_DIR=str(theme)
    )
    environment["PYTHONPATH"] = SOURCE
    script = (
        "import django; django.setup(); from django.template.loader import get_template; "
        "print(get_template('404.html').render()); "
        "print(get_template('newsroom/article.html').origin.name)"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        env={**environment, "DJANGO_SETTINGS_MODULE": "masthead.settings"},
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    rendered, origin = result.stdout.splitlines()
    assert rendered == "Lost at sea, 44"
    assert origin.endswith("masthead/newsroom/jinja2/newsroom/article.html")  # the rest: Masthead's


@pytest.mark.parametrize(
    "url",
    [
        "smtps//news:s3cret@mail:465",  # no colon after the scheme
        "smtp://news:s3/cret@mail:587/?tls=Ture",  # an unencoded / in the password
        "smtp://news:s3cret@mail:587/?tls=Ture",
    ],
)
def test_an_email_url_in_an_error_never_shows_its_password(tmp_path, url):
    result = run_check(tmp_path, SECRET_KEY="x" * 50, EMAIL_URL=url)
    output = result.stdout + result.stderr
    assert "masthead.E005" in output
    assert "s3" not in output
    assert "cret" not in output


@pytest.mark.parametrize(
    ("query", "problem"),
    [
        ("tls=true&ssl=true", "cannot both be on"),
        ("tls=Ture&tls=true", "more than once"),
        ("TLS=yes&tls=no", "more than once"),
        ("ssl=maybe", "is not true or false"),
    ],
)
def test_email_encryption_options_are_read_strictly(tmp_path, query, problem):
    """dj-email-url read only some spellings as on, and tls only without ssl: a typo or a
    second option turned encryption off and sent the password in clear."""
    result = run_check(tmp_path, SECRET_KEY="x" * 50, EMAIL_URL=f"smtp://u:p@mail:587/?{query}")
    assert "masthead.E005" in result.stdout + result.stderr
    assert problem in result.stdout + result.stderr


def test_without_a_key_or_a_dotenv_the_error_says_where_it_looked(tmp_path):
    """Run from the wrong directory (cron's, say), the missing key is the symptom: the
    message says no .env was found there and points at MASTHEAD_HOME."""
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "MASTHEAD_HOME", "DEBUG"}
    }
    environment.update(MASTHEAD_VAR_DIR=str(tmp_path), PYTHONPATH=SOURCE)
    result = subprocess.run(
        [sys.executable, "-m", "masthead.cli", "check"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert "SECRET_KEY is not set" in result.stderr + result.stdout
    assert f"No .env was found in {tmp_path}" in result.stderr + result.stdout
    assert "MASTHEAD_HOME" in result.stderr + result.stdout


@pytest.mark.parametrize(
    ("url", "tls", "ssl"),
    [
        ("smtp://u:p@mail:587/?ssl=false&tls=true", True, False),
        ("smtp://u:p@mail:587/?TLS=True", True, False),
        ("smtp://u:p@mail:465/?ssl=on", False, True),
        ("submission://u:p@mail:587", True, False),  # the scheme's own default stands
    ],
)
def test_email_encryption_as_the_url_says(tmp_path, url, tls, ssl):
    code = "from django.conf import settings as s; print(s.EMAIL_USE_TLS, s.EMAIL_USE_SSL)"
    result = run_check(
        tmp_path,
        command=("-W", "ignore", "-c", code),
        SECRET_KEY="x" * 50,
        EMAIL_URL=url,
        DJANGO_SETTINGS_MODULE="masthead.settings",
    )
    assert result.stdout.split() == [str(tls), str(ssl)], result.stderr
