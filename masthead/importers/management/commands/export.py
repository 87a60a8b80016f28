"""``masthead export wordpress [--out FILE.xml]``."""

import os
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Export the newsroom for another platform: a WordPress export file (WXR 1.2) with "
        "articles, authors, sections (as categories), tags and comments."
    )

    def add_arguments(self, parser):
        targets = parser.add_subparsers(dest="target", required=True, metavar="TARGET")
        wordpress = targets.add_parser(
            "wordpress", help="a WXR 1.2 file for WordPress's Tools → Import → WordPress"
        )
        wordpress.add_argument(
            "--out", metavar="FILE.xml", help="write to this file (default: standard output)"
        )

    def handle(self, *args, target: str, out: str | None = None, **options):
        from masthead.importers.export import wordpress_export

        if out is None:
            try:
                counts = wordpress_export(write=lambda chunk: self.stdout.write(chunk, ending=""))
            except BrokenPipeError:  # `masthead export wordpress | head`: the reader left
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
                return
        else:
            path = Path(out)
            try:
                with path.open("w", encoding="utf-8") as handle:
                    counts = wordpress_export(write=handle.write)
            except OSError as err:
                raise CommandError(f"Cannot write {path}: {err.strerror or err}.") from err
        if options.get("verbosity", 1) > 0:
            made = ", ".join(f"{n} {kind}" for kind, n in counts.items())
            self.stderr.write(f"Exported {made}" + (f" to {out}." if out else "."))
