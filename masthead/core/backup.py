"""Backups of the database and uploaded media, and checking them.

A backup is one ``.tar.gz`` holding the database, ``media/`` and ``manifest.json``:

* ``database.sqlite3`` — an online copy made with SQLite's backup API (safe while serving);
* ``database.pgdump`` — ``pg_dump --format=custom`` of a PostgreSQL database;
* ``data.json`` — with ``--portable``: Django's ``dumpdata``, restorable into any supported
  database, which is how a site moves from SQLite to PostgreSQL.

The manifest (the last member since checksums were added; the first in older backups) lists
every other member with its SHA-256, and a fingerprint of the SECRET_KEY the site used — not
the key itself, which is kept apart from backups (see docs/deployment.md). Restoring
(:mod:`masthead.core.restore`) reads and checks the whole archive before changing anything.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone
from django.utils.crypto import salted_hmac

FORMAT_VERSION = 1
DATABASE_MEMBERS = {
    "sqlite": "database.sqlite3",
    "postgresql": "database.pgdump",
    "portable": "data.json",
}
# Not in a --portable backup: rebuilt by `migrate` (content types, permissions), or state
# of this running site rather than its content (sessions, the admin's log, the task queue).
PORTABLE_EXCLUDES = [
    "contenttypes",
    "auth.permission",
    "sessions",
    "admin.logentry",
    "django_tasks_database",
    "core.periodictaskstate",
]
CHUNK = 1 << 20


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why and what to do."""


@dataclass(frozen=True)
class Manifest:
    kind: str  # "sqlite", "postgresql" or "portable"
    created: str
    site_url: str
    media_files: int
    checksums: dict[str, str] | None = None  # member name → SHA-256 (None in older backups)
    key_id: str = ""  # fingerprint of the SECRET_KEY in use when it was made

    @classmethod
    def parse(cls, data: object) -> Manifest:
        """The manifest in ``data`` (from manifest.json), or BackupError saying what is wrong."""
        if not isinstance(data, dict):
            raise BackupError("Its manifest.json is not a Masthead manifest (not a JSON object).")
        if data.get("format") != FORMAT_VERSION:
            raise BackupError(f"Unknown backup format {data.get('format')!r}; expected 1.")
        kind = data.get("kind")
        if kind not in DATABASE_MEMBERS:
            raise BackupError(
                f"Its manifest.json names an unknown kind of backup ({kind!r}); expected "
                "sqlite, postgresql or portable."
            )
        created, media = data.get("created"), data.get("media_files")
        if not isinstance(created, str) or type(media) is not int or media < 0:
            raise BackupError("Its manifest.json is damaged: `created` or `media_files` is wrong.")
        checksums = data.get("checksums")
        if checksums is not None and not (
            isinstance(checksums, dict)
            and all(isinstance(k, str) and isinstance(v, str) for k, v in checksums.items())
        ):
            raise BackupError("Its manifest.json is damaged: `checksums` is not a list of files.")
        return cls(
            kind, created, str(data.get("site_url", "")), media, checksums,
            str(data.get("secret_key_id", "")),
        )  # fmt: skip


def secret_key_id() -> str:
    """A fingerprint of SECRET_KEY: tells whether two sites share a key, reveals nothing of it."""
    return salted_hmac("masthead.backup.secret-key-id", "v1").hexdigest()[:16]


def secret_key_source() -> str:
    """Where this site's SECRET_KEY comes from, for messages to the operator."""
    key_file = Path(settings.VAR_DIR) / "secret_key"
    try:
        if key_file.read_text().strip() == settings.SECRET_KEY:
            return str(key_file)
    except OSError:
        pass
    return "the SECRET_KEY setting"


def _pg_env() -> dict[str, str]:
    db = settings.DATABASES["default"]
    env = dict(os.environ)
    for key, var in [("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"),
                     ("PASSWORD", "PGPASSWORD"), ("NAME", "PGDATABASE")]:  # fmt: skip
        if db.get(key):
            env[var] = str(db[key])
    return env


def run_tool(tool: str, *args: str) -> None:
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
    path = workdir / DATABASE_MEMBERS[kind]
    if kind == "portable":
        try:
            with path.open("w") as out:
                call_command(
                    "dumpdata", natural_foreign=True, natural_primary=True,
                    exclude=PORTABLE_EXCLUDES, stdout=out, verbosity=0,
                )  # fmt: skip
        except CommandError as err:  # e.g. a table an unapplied migration would add
            from masthead.core.dbstatus import database_problem

            raise BackupError(f"{database_problem() or err}") from err
    elif kind == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(path)
        with target:
            connection.connection.backup(target)
        target.close()
    else:
        run_tool("pg_dump", "--format=custom", "--no-owner", f"--file={path}")
    return path


class _Hashing:
    """A file read through, hashing what is read (what tarfile copies into the archive)."""

    def __init__(self, handle, digest) -> None:
        self.handle, self.digest = handle, digest

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.digest.update(data)
        return data


def _add(archive: tarfile.TarFile, path: Path, name: str, checksums: dict[str, str]) -> None:
    try:
        handle = path.open("rb")
    except FileNotFoundError:  # a media file deleted since the listing: not part of the site
        return
    with handle:
        info = archive.gettarinfo(arcname=name, fileobj=handle)
        digest = hashlib.sha256()
        archive.addfile(info, _Hashing(handle, digest))
    checksums[name] = digest.hexdigest()


def _target(out: str | Path | None) -> Path:
    """Where the backup goes: ``out`` itself, or a new file in it if it is a directory
    (one that exists, or a path written with a trailing slash)."""
    name = f"masthead-{timezone.now():%Y%m%d-%H%M%S}.tar.gz"
    if out is None:
        return Path(settings.VAR_DIR) / "backups" / name
    directory = str(out).endswith(("/", os.sep)) or Path(out).is_dir()
    return Path(out) / name if directory else Path(out)


def nothing_to_back_up() -> str:
    """Why this database is no site to back up (never migrated: a command run outside the
    site's directory opens a new, empty SQLite file there), or empty."""
    from django.db.migrations.recorder import MigrationRecorder

    recorder = MigrationRecorder(connection)
    if recorder.has_table() and any(app == "newsroom" for app, _ in recorder.applied_migrations()):
        return ""
    return (
        f"Nothing to back up: the database {connection.settings_dict['NAME']} holds no "
        "Masthead site (it was never migrated). Check DATABASE_URL, and run the command in the "
        "site's directory or set MASTHEAD_HOME to it."
    )


def backup_create(*, out: str | Path | None = None, portable: bool = False) -> Path:
    """Write a backup and return its path. ``out`` may be a file or a directory to put it in.

    On any failure (a full disk, an unwritable directory) nothing is left behind.
    """
    vendor = connection.vendor
    if vendor not in {"sqlite", "postgresql"}:
        raise BackupError(f"Backups of {vendor} databases are not supported; use --portable.")
    kind = "portable" if portable else vendor
    if problem := nothing_to_back_up():
        raise BackupError(problem)
    out = _target(out)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise BackupError(f"Cannot create the directory {out.parent}: {err.strerror}.") from err
    media_root = Path(settings.MEDIA_ROOT)
    media = sorted(p for p in media_root.rglob("*") if p.is_file()) if media_root.exists() else []
    partial = out.with_name(out.name + ".partial")
    try:
        with tempfile.TemporaryDirectory() as tmp:
            dump = _dump_database(kind, Path(tmp))
            fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "wb") as raw:
                with tarfile.open(fileobj=raw, mode="w:gz") as archive:
                    checksums: dict[str, str] = {}
                    _add(archive, dump, dump.name, checksums)
                    for path in media:
                        _add(archive, path, f"media/{path.relative_to(media_root)}", checksums)
                    manifest = {
                        "format": FORMAT_VERSION,
                        "kind": kind,
                        "created": timezone.now().isoformat(),
                        "site_url": settings.SITE_URL,
                        "media_files": len(checksums) - 1,
                        "secret_key_id": secret_key_id(),
                        "checksums": checksums,
                    }
                    data = json.dumps(manifest, indent=2).encode()
                    info = tarfile.TarInfo("manifest.json")
                    info.size, info.mtime, info.mode = (
                        len(data),
                        int(timezone.now().timestamp()),
                        0o600,
                    )
                    archive.addfile(info, io.BytesIO(data))
                raw.flush()
                os.fsync(raw.fileno())
        partial.replace(out)
    except BaseException as err:
        partial.unlink(missing_ok=True)
        if isinstance(err, OSError):
            raise BackupError(
                f"Could not write the backup {out}: {err.strerror or err}. Nothing was kept."
            ) from err
        raise
    out.chmod(0o600)
    return out


def backup_unpack(path: Path, workdir: Path) -> Manifest:
    """Unpack the backup at ``path`` into ``workdir`` and check every byte of it.

    The whole gzip stream is read (its CRC checked), every member against its checksum in
    the manifest, and the database member for being there and loadable. Raises BackupError
    if anything is wrong; changes nothing but ``workdir``.
    """
    if not path.exists():
        raise BackupError(f"{path} does not exist.")
    if path.is_dir():
        raise BackupError(f"{path} is a directory; give the backup file in it.")
    try:
        with gzip.open(path, "rb") as stream:
            with tarfile.open(fileobj=stream, mode="r|") as archive:
                archive.extractall(workdir, filter="data")
            while stream.read(CHUNK):  # past tar's end marker: the gzip trailer has the CRC
                pass
    except (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile) as err:
        detail = "it ends too soon (truncated)" if isinstance(err, EOFError) else err
        raise BackupError(
            f"{path} is not a readable backup: {detail}. Nothing was changed."
        ) from err
    except OSError as err:
        raise BackupError(
            f"Could not unpack {path} into {workdir}: {err.strerror or err}. Nothing was changed."
        ) from err
    manifest = _read_manifest(path, workdir)
    _check_members(path, workdir, manifest)
    _check_database(path, manifest.kind, workdir / DATABASE_MEMBERS[manifest.kind])
    return manifest


def _read_manifest(path: Path, workdir: Path) -> Manifest:
    try:
        data = json.loads((workdir / "manifest.json").read_bytes())
    except FileNotFoundError as err:
        raise BackupError(
            f"{path} is not a Masthead backup (no manifest.json). Nothing was changed."
        ) from err
    except (ValueError, OSError) as err:
        raise BackupError(f"{path} has a damaged manifest.json: {err}") from err
    try:
        return Manifest.parse(data)
    except BackupError as err:
        raise BackupError(f"{path}: {err} Nothing was changed.") from err


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def _check_members(path: Path, workdir: Path, manifest: Manifest) -> None:
    if manifest.checksums is None:  # an older backup: the gzip CRC was all it had
        return
    found = {p.relative_to(workdir).as_posix() for p in workdir.rglob("*") if p.is_file()}
    found.discard("manifest.json")
    listed = set(manifest.checksums)
    if missing := sorted(listed - found):
        raise BackupError(
            f"{path} is incomplete: {missing[0]} (and {len(missing) - 1} more) listed in its "
            "manifest is missing. Nothing was changed."
        )
    if extra := sorted(found - listed):
        raise BackupError(
            f"{path} holds {extra[0]}, which its manifest does not list. Nothing was changed."
        )
    for name in sorted(listed):
        if file_sha256(workdir / name) != manifest.checksums[name].lower():
            raise BackupError(
                f"{path} is damaged: {name} does not match its checksum. Nothing was changed."
            )


def _check_database(path: Path, kind: str, db: Path) -> None:
    if not db.is_file():
        raise BackupError(
            f"{path} holds no database ({db.name} is missing): restoring it would empty the "
            "site. Nothing was changed."
        )
    if kind == "postgresql":
        try:
            run_tool("pg_restore", "--list", f"--file={os.devnull}", str(db))
        except BackupError as err:
            raise BackupError(f"{path}: its database cannot be read. {err}") from err
    elif kind == "sqlite":
        _check_sqlite(path, db)
    else:
        _check_portable(path, db)


def _check_sqlite(path: Path, db: Path) -> None:
    try:
        source = sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True)
        try:
            problems = [row[0] for row in source.execute("PRAGMA integrity_check")]
            source.execute("SELECT count(*) FROM django_migrations").fetchone()
        finally:
            source.close()
    except sqlite3.Error as err:
        raise BackupError(
            f"{path}: its database is damaged or not Masthead's ({err}). Nothing was changed."
        ) from err
    if problems != ["ok"]:
        raise BackupError(f"{path}: its database is damaged ({problems[0]}). Nothing was changed.")


def _check_portable(path: Path, db: Path) -> None:
    try:
        with db.open("rb") as handle:
            rows = json.load(handle)
    except (ValueError, OSError) as err:
        raise BackupError(
            f"{path}: its data.json is damaged ({err}). Nothing was changed."
        ) from err
    if not isinstance(rows, list) or not all(
        isinstance(row, dict) and isinstance(row.get("model"), str) for row in rows
    ):
        raise BackupError(f"{path}: its data.json is not a Masthead dump. Nothing was changed.")
    for label in sorted({row["model"] for row in rows}):
        try:
            apps.get_model(label)
        except (LookupError, ValueError) as err:
            raise BackupError(
                f"{path} holds data for {label!r}, which this version of Masthead does not "
                "have; restore it with the version that made it. Nothing was changed."
            ) from err
