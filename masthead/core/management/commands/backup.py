from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from masthead.core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "Back up the database and uploaded media into one .tar.gz file."

    def add_arguments(self, parser):
        parser.add_argument("--out", type=Path, help="File to write (default: var/backups/…).")
        parser.add_argument(
            "--portable",
            action="store_true",
            help="A database-independent JSON dump (to move from SQLite to PostgreSQL).",
        )

    def handle(self, *args, out: Path | None, portable: bool, **options):
        try:
            path = backup_create(out=out, portable=portable)
        except BackupError as err:
            raise CommandError(str(err)) from err
        self.stdout.write(self.style.SUCCESS(f"Backup written to {path}"))
