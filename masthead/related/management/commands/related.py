"""``masthead related``: rebuild every stored related list, or measure quality.

masthead related rebuild [--no-progress]
masthead related eval --jsonl FILE [--k 5] [--json]
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from masthead.related import cli
from masthead.related.engine import DataError, evaluate_jsonl

PHASES = {
    "reading": "Reading stories",
    "analysis": "Analysing",
    "candidates": "Finding related",
    "storing": "Storing lists",
}


class Command(BaseCommand):
    help = "Related stories: rebuild every stored list, or measure quality on labelled stories."
    # ``eval`` measures a file and needs no site; ``rebuild`` runs the checks itself.
    requires_system_checks = []

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="action", required=True, metavar="COMMAND")
        rebuild = commands.add_parser(
            "rebuild",
            help="re-index every live story and recompute every stored list",
            description="Re-index every live story and recompute every stored related "
            "list, with a progress bar. Safe while the site runs.",
        )
        rebuild.add_argument("--no-progress", action="store_true", help="no progress bar")
        evaluate = commands.add_parser(
            "eval",
            help="measure precision@k on labelled stories",
            description=cli.EVAL_DESCRIPTION,
        )
        cli.add_eval_arguments(evaluate)

    def handle(self, *args, action: str, **options):
        if action == "eval":
            return self.evaluate(options)
        self.check()
        return self.rebuild(quiet=options["no_progress"] or options["verbosity"] == 0)

    def evaluate(self, options) -> None:
        try:
            result = evaluate_jsonl(options["jsonl"], k=options["k"])
        except DataError as err:
            raise CommandError(f"masthead related eval: {err}", returncode=2) from None
        cli.report_eval(result, options["jsonl"], options["json"], self.stdout.write)

    def rebuild(self, *, quiet: bool) -> None:
        from masthead.related.lease import IndexBusy
        from masthead.related.services import related_rebuild

        bars: dict[str, tqdm] = {}

        def progress(phase: str, done: int, total: int) -> None:
            if quiet:
                return
            bar = bars.get(phase)
            if bar is None:
                bar = bars[phase] = tqdm(
                    total=total, desc=PHASES.get(phase, phase), unit=" stories", leave=True
                )
            bar.update(done - bar.n)
            if done >= total:
                bar.close()

        try:
            report = related_rebuild(progress=progress)
        except IndexBusy as err:
            raise CommandError(f"{err} Try again when it is done.") from None
        finally:
            for bar in bars.values():
                bar.close()
        self.stdout.write(
            self.style.SUCCESS(
                f"Related stories rebuilt: {report['stories']} stories, "
                f"{report['written']} lists changed, in {report['seconds']:.0f} s."
            )
        )
