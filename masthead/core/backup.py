"""Backups of the database and uploaded media, and restoring them.

A backup is one ``.tar.gz`` holding ``manifest.json``, the database and ``media/``:

* ``database.sqlite3`` — an online copy made with SQLite's backup API (safe while serving);
* ``database.pgdump`` — ``pg_dump --format=custom`` of a PostgreSQL database;
* ``data.json`` — with ``--portable``: Django's ``dumpdata``, restorable into any supported
  database, which is how a site moves from SQLite to PostgreSQL.

Restoring first takes a safety backup of what is there now, so nothing stored is lost.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connection, connections
from django.utils import timezone

FORMAT_VERSION = 1
PORTABLE_EXCLUDES = [
    "contenttypes",
    "auth.permission",
    "sessions",
    "admin.logentry",
    "django_tasks_database",
    "core.periodictaskstate",
]


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why and what to do."""


@dataclass(frozen=True)
class Manifest:
    kind: str  # "sqlite", "postgresql" or "portable"
    created: str
    site_url: str
    media_files: int

    @classmethod
    def read(cls, archive: tarfile.TarFile) -> Manifest:
        try:
            member = archive.extractfile("manifest.json")
            data = json.load(member)
        except (KeyError, AttributeError, json.JSONDecodeError) as err:
            raise BackupError("This file is not a Masthead backup (no manifest.json).") from err
        if data.get("format") != FORMAT_VERSION:
            raise BackupError(f"Unknown backup format {data.get('format')!r}; expected 1.")
        return cls(data["kind"], data["created"], data.get("site_url", ""), data["media_files"])


def _pg_env() -> dict[str, str]:
    db = settings.DATABASES["default"]
    env = dict(os.environ)
    for key, var in [("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"),
                     ("PASSWORD", "PGPASSWORD"), ("NAME", "PGDATABASE")]:  # fmt: skip
        if db.get(key):
            env[var] = str(db[key])
    return env


def _run_tool(tool: str, *args: str) -> None:
    binary = shutil.which(tool)
    if binary is None:
        raise BackupError(
            f"`{tool}` is not installed. Install PostgreSQL's client tools (Debian: "
            "postgresql-client), or use --portable."
        )
    result = subprocess.run([binary, *args], env=_pg_env(), capture_output=True, text=True)  # noqa: S603
    if result.returncode:
        raise BackupError(f"{tool} failed: {result.stderr.strip()}")


def _dump_database(kind: str, workdir: Path) -> Path:
    if kind == "portable":
        path = workdir / "data.json"
        with path.open("w") as out:
            call_command(
                "dumpdata", natural_foreign=True, natural_primary=True,
                exclude=PORTABLE_EXCLUDES, stdout=out, verbosity=0,
            )  # fmt: skip
        return path
    if kind == "sqlite":
        path = workdir / "database.sqlite3"
        connection.ensure_connection()
        target = sqlite3.connect(path)
        with target:
            connection.connection.backup(target)
        target.close()
        return path
    path = workdir / "database.pgdump"
    _run_tool("pg_dump", "--format=custom", "--no-owner", f"--file={path}")
    return path


def backup_create(*, out: Path | None = None, portable: bool = False) -> Path:
    """Write a backup and return its path."""
    vendor = connection.vendor
    if vendor not in {"sqlite", "postgresql"}:
        raise BackupError(f"Backups of {vendor} databases are not supported; use --portable.")
    kind = "portable" if portable else vendor
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    out = Path(out or Path(settings.VAR_DIR) / "backups" / f"masthead-{stamp}.tar.gz")
    out.parent.mkdir(parents=True, exist_ok=True)
    media_root = Path(settings.MEDIA_ROOT)
    media = [p for p in media_root.rglob("*") if p.is_file()] if media_root.exists() else []
    with tempfile.TemporaryDirectory() as tmp:
        dump = _dump_database(kind, Path(tmp))
        manifest = {
            "format": FORMAT_VERSION,
            "kind": kind,
            "created": timezone.now().isoformat(),
            "site_url": settings.SITE_URL,
            "media_files": len(media),
        }
        partial = out.with_suffix(".partial")
        with tarfile.open(partial, "w:gz") as archive:
            data = json.dumps(manifest, indent=2).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
            archive.add(dump, arcname=dump.name)
            for path in media:
                archive.add(path, arcname=f"media/{path.relative_to(media_root)}")
        partial.replace(out)
    out.chmod(0o600)
    return out


def backup_restore(*, path: Path, safety_backup: bool = True) -> tuple[Manifest, Path | None]:
    """Replace the database and media with a backup's. Returns its manifest and the safety copy."""
    if not path.exists():
        raise BackupError(f"{path} does not exist.")
    try:
        archive = tarfile.open(path, "r:gz")  # noqa: SIM115  (closed by the `with` below)
    except (tarfile.TarError, OSError) as err:
        raise BackupError(f"{path} is not a readable backup: {err}") from err
    with archive, tempfile.TemporaryDirectory() as tmp:
        manifest = Manifest.read(archive)
        if manifest.kind != "portable" and manifest.kind != connection.vendor:
            raise BackupError(
                f"This is a {manifest.kind} backup and the site now uses {connection.vendor}. "
                "Restore it into the same kind of database, or make a --portable backup."
            )
        archive.extractall(tmp, filter="data")
        safety = backup_create(portable=manifest.kind == "portable") if safety_backup else None
        _restore_database(manifest.kind, Path(tmp))
        media_src = Path(tmp) / "media"
        if media_src.exists():
            shutil.copytree(media_src, settings.MEDIA_ROOT, dirs_exist_ok=True)
    return manifest, safety


def _restore_database(kind: str, workdir: Path) -> None:
    if kind == "portable":
        call_command("migrate", interactive=False, verbosity=0)
        call_command("flush", interactive=False, verbosity=0)
        call_command("loaddata", str(workdir / "data.json"), verbosity=0)
        return
    if kind == "postgresql":
        _run_tool(
            "pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
            f"--dbname={settings.DATABASES['default']['NAME']}", str(workdir / "database.pgdump"),
        )  # fmt: skip
        return
    source = sqlite3.connect(workdir / "database.sqlite3")
    connection.ensure_connection()
    with source:
        source.backup(connection.connection)
    source.close()
    connections.close_all()
