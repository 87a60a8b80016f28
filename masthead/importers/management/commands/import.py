"""``masthead import wordpress FILE.xml`` and ``masthead import disqus FILE.xml``."""

from django.core.management.base import BaseCommand, CommandError

from masthead.importers.xmlsafe import ImportFailed


class Command(BaseCommand):
    help = (
        "Import content from another platform: a WordPress export (WXR 1.0–1.2) or a Disqus "
        "export. Importing the same file again updates what it imported before."
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

    def handle(self, *args, source: str, file: str, dry_run: bool = False, **options):
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
            else:
                from masthead.importers.disqus import disqus_import

                report = disqus_import(path=file, dry_run=dry_run, progress=progress, stderr=stream)
        except ImportFailed as err:
            raise CommandError(str(err)) from err
        self.stdout.write(report.render())
