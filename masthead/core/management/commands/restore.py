import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from masthead.core.backup import BackupError
from masthead.core.restore import backup_restore


class Command(BaseCommand):
    help = (
        "Replace the database and media with a backup's, after checking the whole backup. "
        "A safety backup of the current state is written first; media added since the backup "
        "are removed from MEDIA_ROOT (they are in the safety backup)."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="A file written by `masthead backup`.")
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")
        parser.add_argument(
            "--no-safety-backup",
            action="store_true",
            help="Skip the backup of the current state (replaced media are then moved to "
            "var/backups/media-before-restore-…, never deleted).",
        )

    def handle(self, *args, path: Path, yes: bool, no_safety_backup: bool, **options):
        if not yes and not sys.stdin.isatty():
            raise CommandError(
                "No terminal to ask for confirmation on: add --yes to restore. Nothing was changed."
            )
        try:
            restored = backup_restore(
                path=path,
                safety_backup=not no_safety_backup,
                confirm=None if yes else self._confirm,
            )
        except BackupError as err:
            raise CommandError(str(err)) from err
        except KeyboardInterrupt:
            raise CommandError(
                "Stopped by Ctrl+C before the restore finished. The database is either as it "
                "was or fully restored (each is one transaction), and the newest backup in "
                "var/backups holds the state before; run the restore again to finish it."
            ) from None
        manifest = restored.manifest
        if restored.safety:
            self.stdout.write(f"The previous state was saved to {restored.safety}")
        if restored.kept_media:
            self.stdout.write(
                f"Media files the backup did not have were moved to {restored.kept_media}"
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored the {manifest.kind} backup of {manifest.created} "
                f"({manifest.media_files} media files)."
            )
        )
        for note in restored.notes:
            self.stdout.write(f"- {note}")

    def _confirm(self, manifest) -> bool:
        try:
            answer = input(
                f"Replace this site's database and media with the {manifest.kind} backup of "
                f"{manifest.created} ({manifest.media_files} media files)? [y/N] "
            )
        except (EOFError, KeyboardInterrupt):
            self.stdout.write("")
            return False
        return answer.strip().lower() in {"y", "yes"}
