"""``masthead import wordpress FILE.xml``, ``masthead import disqus FILE.xml`` and
``masthead import media``."""

import argparse

from django.core.management.base import BaseCommand, CommandError

from masthead.importers.xmlsafe import ImportFailed


class Command(BaseCommand):
    help = (
        "Import content from another platform: a WordPress export (WXR 1.0–1.2) or a Disqus "
        "export, then the pictures of the imported stories (media). Importing the same file "
        "again updates what it imported before."
    )

    def add_arguments(self, parser):
        sources = parser.add_subparsers(dest="source", required=True, metavar="SOURCE")
        wordpress = sources.add_parser(
            "wordpress",
            help="posts, pages, authors, categories, tags and comments from a WXR file",
        )
        wordpress.add_argument("file", metavar="FILE.xml", help="the file from Tools → Export")
        wordpress.add_argument(
            "--dry-run", action="store_true", help="report what would happen; write nothing"
        )
        wordpress.add_argument(
            "--pages",
            action="store_true",
            help="also import pages (as articles in a “Pages” section kept off the home page)",
        )
        disqus = sources.add_parser(
            "disqus", help="comments from a Disqus export, matched to articles by URL or title"
        )
        disqus.add_argument("file", metavar="FILE.xml", help="the Disqus export (XML)")
        disqus.add_argument(
            "--dry-run", action="store_true", help="report what would happen; write nothing"
        )

        media = sources.add_parser(
            "media",
            help="download the pictures of imported stories from the old site (after wordpress)",
        )
        media.add_argument(
            "--dry-run", action="store_true", help="list what would be downloaded; write nothing"
        )
        media.add_argument(
            "--host",
            action="append",
            default=[],
            dest="hosts",
            metavar="HOST",
            help="another host whose pictures are the old site's (a CDN, say); repeatable",
        )
        media.add_argument(
            "--mirror",
            action="append",
            default=[],
            type=_mirror,
            dest="mirrors",
            metavar="OLD=NEW",
            help="download addresses starting with OLD from NEW instead (a copy of the old "
            "site's uploads, say); repeatable",
        )
        media.add_argument(
            "--timeout",
            type=_positive(float),
            default=20.0,
            metavar="SECONDS",
            help="give up on a picture after this long (default 20)",
        )
        media.add_argument(
            "--max-bytes",
            type=_positive(int),
            default=20 * 1024 * 1024,
            metavar="N",
            help="give up on a picture larger than this (default 20 MB)",
        )

    def handle(self, *args, source: str, file: str = "", dry_run: bool = False, **options):
        progress = options.get("verbosity", 1) > 0
        # tqdm writes to the raw stream: the wrapper would end each redraw with a newline.
        stream = self.stderr._out
        try:
            if source == "wordpress":
                from masthead.importers.wordpress import wordpress_import

                report = wordpress_import(
                    path=file,
                    dry_run=dry_run,
                    pages=options.get("pages", False),
                    progress=progress,
                    stderr=stream,
                )
            elif source == "media":
                from masthead.importers.media import media_import

                report = media_import(
                    dry_run=dry_run,
                    hosts=options["hosts"],
                    mirrors=options["mirrors"],
                    timeout=options["timeout"],
                    max_bytes=options["max_bytes"],
                    progress=progress,
                    stderr=stream,
                )
            else:
                from masthead.importers.disqus import disqus_import

                report = disqus_import(path=file, dry_run=dry_run, progress=progress, stderr=stream)
        except ImportFailed as err:
            raise CommandError(str(err)) from err
        except KeyboardInterrupt:
            stream.write("\n")
            raise CommandError(
                "Interrupted. What was imported so far is kept: run the same import again to "
                "finish it (what is already there is updated, never duplicated)."
                if not dry_run
                else "Interrupted; nothing was written (dry run)."
            ) from None
        self.stdout.write(report.render())


def _positive(kind):
    def parse(value: str):
        try:
            number = kind(value)
        except ValueError:
            number = 0
        if number <= 0:
            raise argparse.ArgumentTypeError(f"“{value}” is not a number above 0.")
        return number

    return parse


def _mirror(value: str) -> tuple[str, str]:
    old, _, new = value.partition("=")
    old, new = old.strip(), new.strip()
    for part in (old, new):
        if not part.lower().startswith(("http://", "https://")):
            raise argparse.ArgumentTypeError(
                f"“{value}” is not OLD=NEW with two http(s) addresses, e.g. "
                "https://old.example.org/wp-content/uploads/=http://127.0.0.1:8000/"
            )
    return old, new
