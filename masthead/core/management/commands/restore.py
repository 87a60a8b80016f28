from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from masthead.core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Replace the database and media with a backup's. A safety backup of the current "
        "state is written first."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="A file written by `masthead backup`.")
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")
        parser.add_argument(
            "--no-safety-backup", action="store_true", help="Skip the backup of the current state."
        )

    def handle(self, *args, path: Path, yes: bool, no_safety_backup: bool, **options):
        if not yes:
            answer = input(f"Replace this site's database and media with {path}? [y/N] ")
            if answer.strip().lower() not in {"y", "yes"}:
                raise CommandError("Restore cancelled; nothing was changed.")
        try:
            manifest, safety = backup_restore(path=path, safety_backup=not no_safety_backup)
        except BackupError as err:
            raise CommandError(str(err)) from err
        if safety:
            self.stdout.write(f"The previous state was saved to {safety}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored the {manifest.kind} backup of {manifest.created} "
                f"({manifest.media_files} media files)."
            )
        )
