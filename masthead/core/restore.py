"""Putting a backup back: checked first, the site's current state saved, then replaced.

Nothing is changed until the whole archive has been read and checked
(:func:`masthead.core.backup.backup_unpack`) and a safety backup of the current state is
written. The database is replaced in one transaction; media are made the backup's exactly
(files added since go, into the safety backup or a directory kept aside); then what derives
from the database is reset: the page cache (and its mirror for nginx), cached navigation and
discussion settings, and the related-stories index of every worker.
"""

from __future__ import annotations

import contextlib
import filecmp
import shutil
import sqlite3
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connection, connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from masthead.core.backup import (
    DATABASE_MEMBERS,
    BackupError,
    Manifest,
    backup_create,
    backup_unpack,
    nothing_to_back_up,
    run_tool,
    secret_key_id,
    secret_key_source,
)


@dataclass
class Restored:
    manifest: Manifest
    safety: Path | None
    kept_media: Path | None = None  # where replaced media went when there is no safety backup
    notes: list[str] = field(default_factory=list)  # what was reset, what is left to do


def backup_restore(
    *,
    path: Path,
    safety_backup: bool = True,
    confirm: Callable[[Manifest], bool] | None = None,
) -> Restored:
    """Replace the database and media with the backup's; ``confirm`` is asked once it is checked."""
    from masthead.related.services import related_journal_mark, related_restored

    var_dir = Path(settings.VAR_DIR)
    try:
        var_dir.mkdir(parents=True, exist_ok=True)
        workdir = tempfile.TemporaryDirectory(dir=var_dir, prefix=".restore-")
    except OSError as err:
        raise BackupError(f"Cannot unpack the backup under {var_dir}: {err.strerror}.") from err
    with workdir as tmp:
        manifest = backup_unpack(path, Path(tmp))
        if manifest.kind != "portable" and manifest.kind != connection.vendor:
            raise BackupError(
                f"This is a {manifest.kind} backup and the site now uses {connection.vendor}. "
                "Restore it into the same kind of database, or make a --portable backup."
            )
        if confirm is not None and not confirm(manifest):
            raise BackupError("Restore cancelled; nothing was changed.")
        # A database that holds no site yet (a new one, before `masthead migrate`) has
        # nothing a safety backup could keep.
        wanted = safety_backup and not nothing_to_back_up()
        safety = backup_create(portable=manifest.kind == "portable") if wanted else None
        mark = related_journal_mark() if _has_related_tables() else (0, 0)
        try:
            _restore_database(manifest.kind, Path(tmp) / DATABASE_MEMBERS[manifest.kind])
        except Exception as err:
            raise BackupError(
                f"The database could not be restored and was left as it was: {err}"
            ) from err
        result = Restored(manifest, safety)
        if not safety:
            stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
            result.kept_media = var_dir / "backups" / f"media-before-restore-{stamp}"
        try:
            _replace_media(Path(tmp) / "media", keep=result.kept_media)
        except OSError as err:
            saved = f"; every file is in {safety}" if safety else ""
            raise BackupError(
                f"The database was restored, but the media could not all be put back "
                f"({err}){saved}. Free some space and run the restore again."
            ) from err
        if result.kept_media is not None and not result.kept_media.exists():
            result.kept_media = None
        result.notes = _reset_derived(mark, related_restored)
        result.notes += _advice(manifest)
    return result


def _has_related_tables() -> bool:
    from masthead.related.models import IndexState

    return IndexState._meta.db_table in connection.introspection.table_names()


def _restore_database(kind: str, db: Path) -> None:
    if kind == "portable":
        call_command("migrate", interactive=False, verbosity=0)
        with transaction.atomic():  # a load that fails leaves the site as it was
            call_command("flush", interactive=False, verbosity=0)
            call_command("loaddata", str(db), verbosity=0)
        return
    if kind == "postgresql":
        run_tool(
            "pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
            f"--dbname={settings.DATABASES['default']['NAME']}", str(db),
        )  # fmt: skip
        connections.close_all()
        return
    source = sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True)
    connection.ensure_connection()
    try:
        source.backup(connection.connection)  # one write transaction on the live database
    finally:
        source.close()
    connections.close_all()


def _replace_media(source: Path, *, keep: Path | None) -> None:
    """Make MEDIA_ROOT hold exactly the files under ``source``.

    A file that would be removed or overwritten is moved under ``keep`` if given (no safety
    backup holds it), else deleted (the safety backup holds it).
    """
    root = Path(settings.MEDIA_ROOT)
    root.mkdir(parents=True, exist_ok=True)
    incoming = {p.relative_to(source): p for p in source.rglob("*") if p.is_file()}
    for current in sorted(p for p in root.rglob("*") if p.is_file() or p.is_symlink()):
        relative = current.relative_to(root)
        wanted = incoming.get(relative)
        if wanted is not None and current.is_file() and filecmp.cmp(current, wanted, False):
            del incoming[relative]
            continue
        if keep is None:
            current.unlink()
        else:
            (keep / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.move(current, keep / relative)
    for relative, path in incoming.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.move(path, root / relative)
    for directory in sorted((p for p in root.rglob("*") if p.is_dir()), reverse=True):
        if directory.is_symlink() or (source / directory.relative_to(root)).is_dir():
            continue
        with contextlib.suppress(OSError):  # not empty: left as it is
            directory.rmdir()


def _reset_derived(mark, related_restored) -> list[str]:
    """Forget what was worked out from the database before it was replaced."""
    from masthead.core import pagecache, pagemirror
    from masthead.core.postponed import delete_keys
    from masthead.discussion.models import DiscussionSettings
    from masthead.newsroom.selectors import navigation_invalidate

    notes = []
    before = pagecache.site_version()
    pagecache.purge_everything()
    navigation_invalidate()
    delete_keys(DiscussionSettings.CACHE_KEY)
    if pagecache.site_version() in {None, before}:
        notes.append(
            "The cache (Redis) could not be reached. Until it is back, pages are served "
            "without it; the purge is kept in the database, and the worker (`masthead "
            "worker`, or `masthead serve`'s) sends it as soon as the cache answers."
        )
    else:
        notes.append("Purged the page cache.")
    mirror = pagemirror.root()
    if mirror is not None and mirror.is_dir():
        if any(mirror.rglob("index.html")):
            notes.append(
                f"Some pages under PAGE_CACHE_DIR ({mirror}) could not be deleted: delete them."
            )
        else:
            notes.append(f"Deleted the pages mirrored for nginx in {mirror}.")
    if _has_related_tables():
        related_restored(mark=mark)
        notes.append(
            "Reset the related-stories index: the worker re-reads the restored stories before "
            "its next change (no restart needed); `masthead related rebuild` does it now."
        )
    return notes


def _advice(manifest: Manifest) -> list[str]:
    notes = []
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        notes.append("The restored database is from an older version: run `masthead migrate`.")
    if manifest.key_id and manifest.key_id != secret_key_id():
        notes.append(
            "This backup was made with another SECRET_KEY: the spam model, preview and "
            "unsubscribe links signed with it will not verify. Set SECRET_KEY (here "
            f"{secret_key_source()}) to the key that site used."
        )
    return notes
