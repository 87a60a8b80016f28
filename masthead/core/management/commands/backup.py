from django.core.management.base import BaseCommand, CommandError

from masthead.core.backup import BackupError, backup_create, secret_key_source


class Command(BaseCommand):
    help = (
        "Back up the database and uploaded media into one .tar.gz file. SECRET_KEY is not in "
        "it: keep a copy of the key apart from the backups."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--out",
            help="File to write, or a directory to write it in (an existing one, or a path "
            "ending in /; default: var/backups/…).",
        )
        parser.add_argument(
            "--portable",
            action="store_true",
            help="A database-independent JSON dump (to move from SQLite to PostgreSQL). It "
            "leaves out sessions, the admin's log and the task queue.",
        )

    def handle(self, *args, out: str | None, portable: bool, **options):
        try:
            path = backup_create(out=out, portable=portable)
        except BackupError as err:
            raise CommandError(str(err)) from err
        self.stdout.write(self.style.SUCCESS(f"Backup written to {path}"))
        self.stdout.write(
            f"It does not hold SECRET_KEY ({secret_key_source()}): keep a copy of the key "
            "somewhere safe, apart from the backups. A restored site needs the same key for "
            "its spam model and the links it sent."
        )
