from django.conf import settings
from django.core.management.base import BaseCommand

from masthead.newsroom.demo.loader import load_demo


class Command(BaseCommand):
    help = "Load the demo site (idempotent) and create an editor account, printing its login."

    def add_arguments(self, parser):
        parser.add_argument("--no-editor", action="store_true", help="Do not create the editor.")

    def handle(self, *args, no_editor: bool, **options):
        report = load_demo(with_editor=not no_editor)
        if report.created:
            made = ", ".join(report.describe())
            self.stdout.write(self.style.SUCCESS(f"Demo content loaded: {made}."))
        else:
            self.stdout.write("Demo content already loaded; nothing changed.")
        if report.editor_password:
            self.stdout.write(
                f"\nNewsroom: {settings.SITE_URL}/admin/\n"
                f"  username: editor\n  password: {report.editor_password}\n"
                f"  (kept in {report.login_file}; change it in the admin)\n"
            )
