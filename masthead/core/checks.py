"""System checks for configuration that Django alone would not catch, or would catch late."""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


@register(Tags.compatibility)
def check_environment(app_configs, **kwargs):
    """Report values from the environment that settings.py could not understand."""
    return [
        Error(problem["msg"], hint=problem["hint"], id=problem["id"])
        for problem in getattr(settings, "MASTHEAD_CONFIG_ERRORS", [])
    ]


def _unwritable(path: Path) -> str | None:
    """Why the user running Masthead cannot write into ``path`` (made when missing), or None."""
    probe = path
    while not probe.exists():
        if probe.parent == probe:
            return "none of its parent folders exists"
        probe = probe.parent
    if not probe.is_dir():
        return f"{probe} is not a folder"
    if not os.access(probe, os.W_OK | os.X_OK):
        return f"{probe} is not writable" if probe == path else f"it cannot be made in {probe}"
    return None


@register(Tags.files)
def check_media_root(app_configs, **kwargs):
    media_root = Path(settings.MEDIA_ROOT)
    if settings.STORAGES["default"]["BACKEND"].startswith("storages."):
        return []
    if problem := _unwritable(media_root):
        return [
            Error(
                f"MEDIA_ROOT {media_root} is not writable ({problem}), so image uploads would "
                "fail.",
                hint="Give the user running Masthead write access, or point MEDIA_ROOT elsewhere.",
                id="masthead.E007",
            )
        ]
    return []


def _writable_folders() -> list[tuple[str, Path]]:
    folders = [("MASTHEAD_VAR_DIR", Path(settings.VAR_DIR))]
    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3") and database["NAME"] != ":memory:":
        folders.append(("the folder of DATABASE_URL's SQLite file", Path(database["NAME"]).parent))
    cache = settings.CACHES["default"]
    if cache["BACKEND"].endswith("FileCache"):
        folders.append(("the file cache", Path(cache["LOCATION"])))
    folders.append(("the related-stories snapshot folder", Path(settings.VAR_DIR) / "related"))
    if page_cache_dir := getattr(settings, "MASTHEAD_PAGE_CACHE_DIR", ""):
        folders.append(("PAGE_CACHE_DIR", Path(page_cache_dir)))
    return folders


@register(Tags.files)
def check_writable_folders(app_configs, **kwargs):
    """The folders Masthead writes while it runs exist, or can be made, and are writable."""
    problems: dict[str, list[str]] = {}  # one error per cause, naming every folder it stops
    for name, folder in _writable_folders():
        if problem := _unwritable(folder):
            problems.setdefault(problem, []).append(f"{folder} ({name})")
    errors = [
        Error(
            f"Masthead cannot write {', '.join(dict.fromkeys(folders))}: {problem}.",
            hint="Create the folder and give the user running Masthead write access, or set "
            "MASTHEAD_VAR_DIR (or the variable named) to a folder it can write.",
            id="masthead.E014",
        )
        for problem, folders in problems.items()
    ]
    static_root = Path(settings.STATIC_ROOT)
    if problem := _unwritable(static_root):
        errors.append(
            Warning(
                f"STATIC_ROOT {static_root} is not writable: {problem}.",
                hint="`masthead collectstatic` and `masthead serve` (without "
                "--no-collectstatic) need to write there: give the user running Masthead "
                "write access, or point STATIC_ROOT elsewhere.",
                id="masthead.W014",
            )
        )
    return errors


@register(Tags.security, deploy=True)
def check_site_url_host(app_configs, **kwargs):
    from urllib.parse import urlsplit

    host = urlsplit(settings.SITE_URL).hostname
    allowed = settings.ALLOWED_HOSTS
    if host and "*" not in allowed and host not in allowed and f".{host}" not in allowed:
        return [
            Warning(
                f"SITE_URL's host {host!r} is not in ALLOWED_HOSTS {allowed}.",
                hint="Add it to ALLOWED_HOSTS, or readers following your links get a 400.",
                id="masthead.W001",
            )
        ]
    return []


@register(Tags.security)
def check_trusted_proxies(app_configs, **kwargs):
    import ipaddress

    errors = []
    for item in getattr(settings, "TRUSTED_PROXIES", []):
        try:
            ipaddress.ip_network(item, strict=False)
        except ValueError:
            errors.append(
                Error(
                    f"TRUSTED_PROXIES entry {item!r} is not an IP address or network.",
                    hint="Use addresses or CIDR networks: TRUSTED_PROXIES=127.0.0.1,10.0.0.0/8",
                    id="masthead.E008",
                )
            )
    return errors


@register(Tags.compatibility)
def check_media_storage(app_configs, **kwargs):
    backend = settings.STORAGES.get("default", {}).get("BACKEND", "")
    if backend.startswith("storages."):
        import importlib.util

        if importlib.util.find_spec("storages") is None:
            return [
                Error(
                    "MEDIA_S3_BUCKET is set but django-storages is not installed.",
                    hint='Install the S3 extra: pip install "masthead[s3]" (it adds boto3).',
                    id="masthead.E009",
                )
            ]
    return []


@register(Tags.database, deploy=True)
def check_database_ready(app_configs, **kwargs):
    """``masthead check --deploy``: the database answers and has every migration applied."""
    from masthead.core.dbstatus import database_problem

    if problem := database_problem():
        return [
            Error(
                problem,
                hint="The site cannot run until this is fixed; every command but `masthead "
                "check` would stop with the same message.",
                id="masthead.E015",
            )
        ]
    return []


@register(Tags.caches, deploy=True)
def check_redis_answers(app_configs, **kwargs):
    """``masthead check --deploy``: the Redis server of ``REDIS_URL`` answers, on that
    database. (At run time an unreachable Redis only slows the site: pages come from the
    database. So a wrong address would otherwise show only in the log.)"""
    if not settings.REDIS_URL:
        return []
    import redis

    try:
        client = redis.Redis.from_url(
            settings.REDIS_URL, socket_connect_timeout=3, socket_timeout=3
        )
        client.ping()
    except (redis.RedisError, OSError, ValueError) as err:
        return [
            Warning(
                f"Redis at REDIS_URL does not answer: {str(err).strip() or type(err).__name__}.",
                hint="Check the address, port and database number (0-15 on a default "
                "server) and that Redis runs. Until it answers, the site runs without its "
                "cache: every page is made afresh, which slows it under load.",
                id="masthead.W015",
            )
        ]
    return []


@register(Tags.staticfiles, deploy=True)
def check_static_manifest(app_configs, **kwargs):
    """With DEBUG off, pages name hashed static files from STATIC_ROOT's manifest: every
    static file must be in it, or the pages naming a missing one answer 500."""
    from django.contrib.staticfiles.finders import get_finders
    from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage

    if settings.DEBUG or not isinstance(staticfiles_storage, ManifestFilesMixin):
        return []
    hint = "Run `masthead collectstatic --noinput` (after every upgrade, before restarting)."
    try:
        manifest = staticfiles_storage.read_manifest()
    except OSError:
        manifest = None
    if manifest is None:
        return [
            Error(
                f"STATIC_ROOT {settings.STATIC_ROOT} has no {staticfiles_storage.manifest_name}: "
                "static files were never collected there.",
                hint=hint,
                id="masthead.E016",
            )
        ]
    try:
        paths, _hash = staticfiles_storage.load_manifest()
        collected = set(paths)
    except ValueError:
        collected = set()
    missing = sorted(
        {
            path
            for finder in get_finders()
            for path, _storage in finder.list(["CVS", ".*", "*~"])
            if path not in collected
        }
    )
    if missing:
        shown = ", ".join(missing[:3]) + (
            f" and {len(missing) - 3} more" if len(missing) > 3 else ""
        )
        return [
            Error(
                f"The collected static files are out of date: {shown} not collected, so pages "
                "using them would fail.",
                hint=hint,
                id="masthead.E016",
            )
        ]
    return []
