"""Masthead's settings: everything read from the environment, in this one place.

Every variable is documented in README.md and `.env.example`. A value that cannot be
understood is not fatal here: it is recorded in ``MASTHEAD_CONFIG_ERRORS`` and reported by
the system checks in ``masthead.core.checks`` with a hint on how to fix it, so that
``masthead check`` explains the problem instead of printing a traceback.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import secrets
import zoneinfo
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import dj_database_url
import dj_email_url
from dotenv import load_dotenv

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = Path(os.environ.get("MASTHEAD_HOME", Path.cwd())).resolve()

load_dotenv(PROJECT_DIR / ".env", override=False)

MASTHEAD_CONFIG_ERRORS: list[dict[str, str]] = []


def _error(check_id: str, msg: str, hint: str) -> None:
    MASTHEAD_CONFIG_ERRORS.append({"id": check_id, "msg": msg, "hint": hint})


def _env(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def _env_bool(name: str, default: bool) -> bool:
    raw = _env(name).lower()
    if not raw:
        return default
    if raw in {"1", "true", "yes", "on"}:
        return True
    if raw in {"0", "false", "no", "off"}:
        return False
    _error(
        "masthead.E010", f"{name}={raw!r} is not a yes/no value.", f"Set {name} to true or false."
    )
    return default


def _env_int(name: str, default: int, *, minimum: int = 0, default_text: str = "") -> int:
    raw = _env(name)
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = minimum - 1
    if value < minimum:
        _error(
            "masthead.E011",
            f"{name}={raw!r} is not a whole number of at least {minimum}.",
            f"Set {name} to a whole number such as {max(default, minimum, 1)}, or remove it "
            f"to use {default_text or default}.",
        )
        return default
    return value


def _env_probability(name: str, default: float | None) -> float | None:
    raw = _env(name)
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not 0 < value <= 1:
        _error(
            "masthead.E012",
            f"{name}={raw!r} is not a probability above 0 and at most 1.",
            f"Set {name} to a number such as 0.9, or remove it to use the default.",
        )
        return default
    return value


def _env_list(name: str, default: list[str]) -> list[str]:
    raw = _env(name)
    if not raw:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def _env_labelled_positions(name: str, default: list[tuple[str, int]]) -> list[tuple]:
    """``LABEL:POSITION,LABEL:POSITION`` pairs; a position that is not a whole number is
    kept as written, for the related app's system check to report."""
    raw = _env(name)
    if not raw:
        return default
    if raw.lower() in {"none", "off"}:
        return []
    pairs: list[tuple] = []
    for item in (part.strip() for part in raw.split(",")):
        label, _, position = item.rpartition(":")
        try:
            pairs.append((label.strip(), int(position)))
        except ValueError:
            pairs.append((label.strip(), position.strip()))
    return pairs


# Relative folders are the site's (MASTHEAD_HOME), whatever directory a command runs in.
VAR_DIR = PROJECT_DIR / (_env("MASTHEAD_VAR_DIR") or "var")

# --- Core --------------------------------------------------------------------------------

DEBUG = _env_bool("DEBUG", False)


def _secret_key() -> str:
    if key := _env("SECRET_KEY"):
        return key
    key_file = VAR_DIR / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    if DEBUG:
        # A local run: generate a key once and keep it, so sessions survive restarts.
        key = secrets.token_urlsafe(50)
        try:
            VAR_DIR.mkdir(parents=True, exist_ok=True)
            key_file.write_text(key + "\n")
            key_file.chmod(0o600)
        except OSError:
            pass  # this run's key only; `masthead check` reports the folder (E014)
        return key
    where = (
        ""
        if (PROJECT_DIR / ".env").exists() or "MASTHEAD_HOME" in os.environ
        else f" No .env was found in {PROJECT_DIR}, where this command ran: if the site lives "
        "elsewhere, set MASTHEAD_HOME to its directory (or run the command there)."
    )
    _error(
        "masthead.E001",
        "SECRET_KEY is not set and DEBUG is off." + where,
        "Set SECRET_KEY in the environment or .env to a long random string, e.g. the output "
        "of: python -c 'import secrets; print(secrets.token_urlsafe(50))'",
    )
    # Unusable for signing, but lets `masthead check` run and report the problem.
    return "unset-" + secrets.token_urlsafe(48)  # long: no security.W009 beside E001


SECRET_KEY = _secret_key()
# Earlier keys, still accepted when reading (signed links, sessions, the spam model) while
# a key is rotated: comma-separated, newest first.
SECRET_KEY_FALLBACKS = _env_list("SECRET_KEY_FALLBACKS", [])

SITE_NAME = _env("SITE_NAME", "Masthead")
SITE_URL = _env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
_site = urlsplit(SITE_URL)
if _site.scheme not in {"http", "https"} or not _site.hostname:
    _error(
        "masthead.E002",
        f"SITE_URL={SITE_URL!r} is not an absolute http(s) address.",
        "Set SITE_URL to the address readers use, such as https://news.example.org",
    )
    _site = urlsplit("http://127.0.0.1:8000")

ALLOWED_HOSTS = _env_list(
    "ALLOWED_HOSTS", [_site.hostname or "127.0.0.1", "localhost", "127.0.0.1"]
)
CSRF_TRUSTED_ORIGINS = [f"{_site.scheme}://{_site.netloc}"]

# Requests arriving through these proxies may name the client in X-Forwarded-For.
TRUSTED_PROXIES = _env_list("TRUSTED_PROXIES", [])

_secure = _site.scheme == "https"
SESSION_COOKIE_SECURE = _secure
CSRF_COOKIE_SECURE = _secure
# The form-guard cookie lasts as long as a sign-in (two weeks), not Django's year: readers
# get it only from the few pages with other forms than the comment form (the privacy page
# says so), and an editor's open story form stays sendable while they are signed in.
SESSION_COOKIE_AGE = 14 * 24 * 3600
CSRF_COOKIE_AGE = SESSION_COOKIE_AGE
SECURE_HSTS_SECONDS = _env_int("SECURE_HSTS_SECONDS", 0)
# Masthead (gunicorn) never speaks TLS itself: a proxy in front of it does, and redirects
# http:// there (docs/deployment.md). True also redirects in Django, behind such a proxy.
SECURE_SSL_REDIRECT = _env_bool("SECURE_SSL_REDIRECT", False)
SILENCED_SYSTEM_CHECKS = [
    "security.W008",  # the redirect is the TLS proxy's job (above)
    # HSTS for subdomains, and the browsers' preload list, bind every site under the domain:
    # a decision for whoever runs the domain, made in its proxies, not for this site alone.
    "security.W005",
    "security.W021",
]
if _secure and TRUSTED_PROXIES:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"

INSTALLED_APPS = [
    "masthead.core",
    "masthead.newsroom",
    "masthead.discussion",
    "masthead.antispam",
    "masthead.related",
    "masthead.syndication",
    "masthead.importers",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "django_tasks",
    "django_tasks_db",
    "django_prose_editor",
    "reversion",
]

# A reader whose form fails the CSRF check gets a page saying what to do.
CSRF_FAILURE_VIEW = "masthead.core.views.csrf_failure"

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "masthead.core.middleware.ClientAddressMiddleware",
    "masthead.core.middleware.MethodNotAllowedPageMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "masthead.core.pagecache.PageCacheMiddleware",
    # Old WordPress addresses (and /?p=123) answer 301 to the articles they became.
    "masthead.importers.middleware.RedirectFallbackMiddleware",
]

ROOT_URLCONF = "masthead.urls"
WSGI_APPLICATION = "masthead.wsgi.application"

# Reader pages are Jinja2 templates (masthead/jinja2/ and each app's jinja2/ directory),
# rendered through Django's own Jinja2 backend: it takes half the CPU Django's template engine
# took on an uncached page. The admin and emails stay Django templates (the second engine).
_CONTEXT_PROCESSORS = [
    "django.template.context_processors.request",
    "django.contrib.auth.context_processors.auth",
    "django.contrib.messages.context_processors.messages",
    "masthead.core.context_processors.site",
]
# An operator's own reader templates, searched before Masthead's (same relative names).
TEMPLATES_DIR = _env("TEMPLATES_DIR")
_reader_template_dirs = [BASE_DIR / "jinja2"]
if TEMPLATES_DIR:
    if Path(TEMPLATES_DIR).is_dir():
        _reader_template_dirs.insert(0, Path(TEMPLATES_DIR).resolve())
    else:
        _error(
            "masthead.E013",
            f"TEMPLATES_DIR={TEMPLATES_DIR!r} is not a directory.",
            "Point it at the directory holding your own reader templates (Jinja2, the same "
            "relative names as Masthead's, e.g. newsroom/article.html), or unset it.",
        )
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": _reader_template_dirs,
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "masthead.core.jinja2.environment",
            "autoescape": True,
            "context_processors": _CONTEXT_PROCESSORS,
        },
    },
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": _CONTEXT_PROCESSORS},
    },
]

# --- Database ----------------------------------------------------------------------------

_default_db = f"sqlite:///{VAR_DIR / 'masthead.sqlite3'}"
DATABASE_URL = _env("DATABASE_URL", _default_db)
try:
    _db = dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)
except ValueError as err:
    _error(
        "masthead.E003",
        f"DATABASE_URL cannot be understood: {err}",
        "Use sqlite:///path/to/file.sqlite3 or postgres://user:password@host:5432/name",
    )
    _db = {"ENGINE": "django.db.backends.dummy"}

_parts = urlsplit(DATABASE_URL)
if _parts.scheme == "sqlite" and _parts.netloc not in ("", ":memory:"):
    # sqlite://var/x.sqlite3 reads "var" as a host and drops it: a different, empty file.
    _error(
        "masthead.E003",
        f"DATABASE_URL=sqlite://{_parts.netloc}{_parts.path} has two slashes, so "
        f"“{_parts.netloc}” would be dropped from the file's path.",
        f"Use three slashes for a path inside the site (sqlite:///{_parts.netloc}"
        f"{_parts.path}) or four for an absolute one (sqlite:////srv/site/x.sqlite3).",
    )
    _db = {"ENGINE": "django.db.backends.dummy"}

if _db["ENGINE"] not in {"django.db.backends.sqlite3", "django.db.backends.postgresql"}:
    if _db["ENGINE"] != "django.db.backends.dummy":
        _error(
            "masthead.E003",
            f"DATABASE_URL={urlsplit(DATABASE_URL).scheme}://… is not a database Masthead "
            "supports.",
            "Use sqlite:///path/to/file.sqlite3 or postgres://user:password@host:5432/name",
        )
    # Any use of the database then fails with a clear error, never on another database.
    _db = {"ENGINE": "django.db.backends.dummy"}

if _db["ENGINE"] == "django.db.backends.sqlite3":
    # Django's SQLite backend, with writers queued on a file lock (see its docstring).
    _db["ENGINE"] = "masthead.core.db.sqlite3"
    _db["CONN_MAX_AGE"] = 0 if _db["NAME"] == ":memory:" else None
    _db["CONN_HEALTH_CHECKS"] = False
    _db["OPTIONS"] = {
        # Writers queue up instead of failing with "database is locked".
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
            "PRAGMA cache_size=-20000; PRAGMA temp_store=MEMORY; PRAGMA mmap_size=134217728;"
        ),
    }
    if _db["NAME"] != ":memory:":
        # sqlite:///var/x.sqlite3 is relative to the site (MASTHEAD_HOME), never to the
        # directory a command happens to run in (cron's is not the site's).
        _db["NAME"] = str(PROJECT_DIR / _db["NAME"])
        with contextlib.suppress(OSError):  # reported by `masthead check` (masthead.E014)
            Path(_db["NAME"]).parent.mkdir(parents=True, exist_ok=True)
elif _db["ENGINE"] == "django.db.backends.postgresql":
    _db.setdefault("OPTIONS", {})
    _db["TEST"] = {"NAME": _env("TEST_DATABASE_NAME") or None}

DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, sessions ---------------------------------------------------------------------

REDIS_URL = _env("REDIS_URL")
if REDIS_URL:
    if urlsplit(REDIS_URL).scheme not in {"redis", "rediss", "unix"}:
        _error(
            "masthead.E004",
            f"REDIS_URL={REDIS_URL!r} is not a redis:// address.",
            "Set REDIS_URL like redis://127.0.0.1:6379/0, or remove it to use a local cache.",
        )
    elif (
        urlsplit(REDIS_URL).scheme != "unix"
        and not (urlsplit(REDIS_URL).path.strip("/") or "0").isdigit()
    ):
        _error(
            "masthead.E004",
            f"REDIS_URL={REDIS_URL!r} does not end in a database number.",
            "Set REDIS_URL like redis://127.0.0.1:6379/0 (the number after the last slash "
            "chooses one of the server's databases).",
        )
    CACHES = {
        "default": {
            "BACKEND": "masthead.core.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            # Per site by default, so that two sites sharing a Redis database never read
            # each other's pages, navigation or spam counters.
            "KEY_PREFIX": _env("CACHE_KEY_PREFIX")
            or "masthead-" + hashlib.sha256(SITE_URL.encode()).hexdigest()[:12],
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    # Shared by every process on this machine (gunicorn's workers, the task worker), so a
    # purge or a settings change in one is seen by all. Several machines need REDIS_URL.
    CACHES = {
        "default": {
            "BACKEND": "masthead.core.cache.FileCache",
            "LOCATION": str(VAR_DIR / "cache"),
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    }
# The spam filter's short-lived counters (flood, repeated text, API rate limits) are written
# on every check: in Redis when there is one, otherwise in each process's memory (a file per
# counter would cost more than the check itself).
if not REDIS_URL:
    CACHES["spam"] = {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "masthead-spam",
    }
MASTHEAD_SPAM_CACHE = "default" if REDIS_URL else "spam"
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# --- Background tasks --------------------------------------------------------------------

TASKS = {
    "default": {
        "BACKEND": _env("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# --- Email -------------------------------------------------------------------------------

EMAIL_URL = _env("EMAIL_URL", "console:")


def _email_where(url: str) -> str:
    """``url`` as an error message may show it: its kind, host and port, never the user or
    password (which may hold any character)."""
    parts = urlsplit(url)
    try:
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        port = ""
    return f"{parts.scheme}://{parts.hostname or ''}{port}" if parts.scheme else "…"


_YES, _NO = {"1", "true", "yes", "on"}, {"0", "false", "no", "off"}


def _email_security(url: str) -> dict[str, bool]:
    """``?tls=`` and ``?ssl=`` of EMAIL_URL, read strictly: dj-email-url reads only some
    spellings as on, and ``tls`` only without ``ssl``, so a typo turned encryption off."""
    chosen: dict[str, bool] = {}
    for option, values in parse_qs(urlsplit(url).query, keep_blank_values=True).items():
        key = option.lower()
        if key not in {"tls", "ssl"}:
            continue
        if len(values) > 1 or key in chosen:
            raise ValueError(f"{key} is given more than once")
        value = values[0].lower()
        if value not in _YES | _NO:
            raise ValueError(f"{option}={values[0]} is not true or false")
        chosen[key] = value in _YES
    if chosen.get("tls") and chosen.get("ssl"):
        raise ValueError("tls and ssl cannot both be on: use tls with port 587, ssl with 465")
    # Only what the URL says; the scheme's own default (submission:// is TLS) stands.
    security = {f"EMAIL_USE_{key.upper()}": on for key, on in chosen.items()}
    if chosen.get("ssl"):
        security["EMAIL_USE_TLS"] = False
    return security


try:
    try:
        _email = dj_email_url.parse(EMAIL_URL)
    except (ValueError, KeyError):  # its own message may quote part of the password
        raise ValueError(
            "its address cannot be read; in the user and password, write / @ : as %2F %40 %3A"
        ) from None
    if _email.get("EMAIL_BACKEND") is None:
        raise ValueError(f"{urlsplit(EMAIL_URL).scheme or 'its kind'}: is not a known kind")
    _security = _email_security(EMAIL_URL)
    globals().update({k: v for k, v in _email.items() if v is not None})
    if _email["EMAIL_BACKEND"].endswith("smtp.EmailBackend"):
        globals().update(_security)
except (ValueError, KeyError) as err:
    _error(
        "masthead.E005",
        f"EMAIL_URL ({_email_where(EMAIL_URL)}) cannot be understood ({err}).",
        "Use console:, smtp://user:password@host:587/?tls=True or submission://…",
    )
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = _env("DEFAULT_FROM_EMAIL", f"{SITE_NAME} <noreply@{_site.hostname}>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Internationalisation ----------------------------------------------------------------

LANGUAGE_CODE = _env("LANGUAGE_CODE", "en-gb")
TIME_ZONE = _env("TIME_ZONE", "UTC")
try:
    zoneinfo.ZoneInfo(TIME_ZONE)
except (zoneinfo.ZoneInfoNotFoundError, ValueError):
    _error(
        "masthead.E006",
        f"TIME_ZONE={TIME_ZONE!r} is not a known time zone.",
        "Use an IANA name such as Europe/London, Australia/Sydney or UTC.",
    )
    TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static and media files --------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = PROJECT_DIR / (_env("STATIC_ROOT") or VAR_DIR / "static")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = PROJECT_DIR / (_env("MEDIA_ROOT") or VAR_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Uploaded media on S3-compatible storage (AWS, MinIO, Ceph, …) instead of MEDIA_ROOT, for
# several app servers; needs the optional extra: pip install "masthead[s3]".
MEDIA_S3_BUCKET = _env("MEDIA_S3_BUCKET")
if MEDIA_S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": MEDIA_S3_BUCKET,
            "endpoint_url": _env("MEDIA_S3_ENDPOINT_URL") or None,
            "region_name": _env("MEDIA_S3_REGION") or None,
            "access_key": _env("MEDIA_S3_ACCESS_KEY_ID") or None,
            "secret_key": _env("MEDIA_S3_SECRET_ACCESS_KEY") or None,
            "custom_domain": _env("MEDIA_S3_CUSTOM_DOMAIN") or None,
            "querystring_auth": False,
            "file_overwrite": False,
            "default_acl": None,
        },
    }
WHITENOISE_MAX_AGE = 3600
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- Auth --------------------------------------------------------------------------------

LOGIN_URL = "admin:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Masthead ----------------------------------------------------------------------------

MASTHEAD_READING_WORDS_PER_MINUTE = _env_int("READING_WORDS_PER_MINUTE", 238, minimum=1)
# Hosts besides the site's own (and its media storage's) that pictures in story bodies may
# be loaded from; a picture anywhere else is shown as a link to it.
MASTHEAD_BODY_IMAGE_HOSTS = _env_list("BODY_IMAGE_HOSTS", [])
MASTHEAD_IMAGE_MAX_UPLOAD_MB = _env_int("IMAGE_MAX_UPLOAD_MB", 20, minimum=1)
# How long a reader may change or delete their own comment after posting it (0: never).
MASTHEAD_COMMENT_EDIT_MINUTES = _env_int("COMMENT_EDIT_MINUTES", 15, minimum=0)
# Email the editors when a contributor sends a story for review (newsroom/notifications.py).
MASTHEAD_REVIEW_EMAILS = _env_bool("REVIEW_EMAILS", True)
# Related stories (masthead/related/conf.py): the block after the body, the inline links
# ("LABEL:POSITION" pairs: after paragraph n, or the n-th from the end when negative),
# the shortest story that gets inline links, and how often the worker rebuilds every list.
MASTHEAD_RELATED_COUNT = _env_int("RELATED_COUNT", 4)
MASTHEAD_RELATED_INLINE = _env_labelled_positions("RELATED_INLINE", [("SEE ALSO", 2), ("READ", -1)])
MASTHEAD_RELATED_INLINE_MIN_PARAGRAPHS = _env_int("RELATED_INLINE_MIN_PARAGRAPHS", 6, minimum=1)
MASTHEAD_RELATED_REBUILD_DAYS = _env_int("RELATED_REBUILD_DAYS", 7)
MASTHEAD_RELATED_STRATEGY = _env("RELATED_STRATEGY", "masthead.related.strategies.RelatedStrategy")
MASTHEAD_WEB_CONCURRENCY = _env_int("WEB_CONCURRENCY", 0, minimum=1, default_text="2 × CPUs + 1")
# Anonymous readers get whole pages from the cache for this long (0 turns the cache off);
# publishing and moderation purge the affected pages at once.
MASTHEAD_PAGE_CACHE_SECONDS = _env_int("PAGE_CACHE_SECONDS", 600)
# Optionally also write cached pages to disk here, for nginx to serve (docs/deployment.md).
MASTHEAD_PAGE_CACHE_DIR = (
    str(PROJECT_DIR / _env("PAGE_CACHE_DIR")) if _env("PAGE_CACHE_DIR") else ""
)
# The class that gives each posted comment a spam verdict (see masthead/discussion/spam.py);
# a wrong path is reported by `masthead check` (masthead.E301). By default Masthead's own
# filter (masthead/antispam), which sends nothing anywhere.
MASTHEAD_SPAM_CHECKER = _env("SPAM_CHECKER", "masthead.antispam.checker.LocalSpamChecker")
# The comment form's signed timestamp: sooner than this, or more hours later, is refused.
MASTHEAD_COMMENT_FORM_MIN_SECONDS = _env_int("COMMENT_FORM_MIN_SECONDS", 3)
MASTHEAD_COMMENT_FORM_MAX_HOURS = _env_int("COMMENT_FORM_MAX_HOURS", 24, minimum=1)

# --- Spam filter (masthead/antispam; docs/antispam.md) -----------------------------------

# The model to start from (a .mhspam file from `masthead spam train`); empty: the shipped one.
MASTHEAD_SPAM_BASE_MODEL = _env("SPAM_BASE_MODEL") or None
# Spam from this probability (empty: the model's own, ≤ 1% false positives in training);
# held for a moderator from HOLD (empty: never); dropped unseen from DISCARD_THRESHOLD.
MASTHEAD_SPAM_THRESHOLD = _env_probability("SPAM_THRESHOLD", None)
MASTHEAD_SPAM_HOLD_THRESHOLD = _env_probability("SPAM_HOLD_THRESHOLD", None)
MASTHEAD_SPAM_DISCARD = _env_bool("SPAM_DISCARD", True)
MASTHEAD_SPAM_DISCARD_THRESHOLD = _env_probability("SPAM_DISCARD_THRESHOLD", 0.99)
MASTHEAD_SPAM_LINKS_HOLD = _env_bool("SPAM_LINKS_HOLD", True)
# Learning from moderators: how often the worker retrains, how many versions keep data.
MASTHEAD_SPAM_RETRAIN_MINUTES = _env_int("SPAM_RETRAIN_MINUTES", 15, minimum=1)
MASTHEAD_SPAM_DECISION_DAYS = _env_int("SPAM_DECISION_DAYS", 365, minimum=1)
MASTHEAD_SPAM_KEEP_VERSIONS = _env_int("SPAM_KEEP_VERSIONS", 5, minimum=1)
MASTHEAD_SPAM_RELOAD_SECONDS = _env_int("SPAM_RELOAD_SECONDS", 10)
# The same text on this many pages in a day is spam (0: off); Akismet-API comments per
# minute from one address before they are spam (0: off); how often API counts are written.
MASTHEAD_SPAM_REPEAT_PAGES = _env_int("SPAM_REPEAT_PAGES", 3)
MASTHEAD_SPAM_API_FLOOD_PER_MINUTE = _env_int("SPAM_API_FLOOD_PER_MINUTE", 20)
MASTHEAD_SPAM_USAGE_FLUSH_SECONDS = _env_int("SPAM_USAGE_FLUSH_SECONDS", 5)

LOG_LEVEL = _env("LOG_LEVEL", "INFO").upper()
if not isinstance(logging.getLevelName(LOG_LEVEL), int):
    _error(
        "masthead.E017",
        f"LOG_LEVEL={LOG_LEVEL!r} is not a logging level.",
        "Set LOG_LEVEL to DEBUG, INFO, WARNING or ERROR, or remove it to use INFO.",
    )
    LOG_LEVEL = "INFO"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "masthead": {
            "handlers": ["console"],
            "level": LOG_LEVEL,
            "propagate": False,
        },
        "django_tasks": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django_tasks_db": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
