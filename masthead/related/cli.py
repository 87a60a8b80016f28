"""Command line for the related-stories engine: ``masthead related eval``.

``main(argv)`` runs it without Django; the ``related`` management command shares its
options and output through :func:`add_eval_arguments` and :func:`report_eval`::

    eval --jsonl FILE [--k 5] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence

from .engine.evaluation import DataError, evaluate_jsonl

EVAL_DESCRIPTION = (
    "Index the stories of a JSON-lines file (one object a line with title, body and "
    "label), find each one's k related stories, and report the share that carry its "
    "label, for the engine and for a YARPP-style baseline."
)


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if number < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return number


def add_eval_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--jsonl", required=True, metavar="FILE", help="labelled stories")
    parser.add_argument("--k", type=_positive, default=5, help="related stories per story")
    parser.add_argument("--json", action="store_true", help="print one JSON object")


def report_eval(result: dict, jsonl: str, as_json: bool, write: Callable[[str], object]) -> None:
    if as_json:
        write(json.dumps(result))
        return
    write(f"precision@{result['k']} on {result['n']} stories from {jsonl}")
    write(f"  related-stories engine  {result['precision_at_k']:.4f}")
    write(f"  YARPP-style baseline    {result['baseline_precision_at_k']:.4f}")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="masthead related", description="Related-stories engine tools."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    evaluate = commands.add_parser(
        "eval", help="measure precision@k on labelled stories", description=EVAL_DESCRIPTION
    )
    add_eval_arguments(evaluate)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        result = evaluate_jsonl(args.jsonl, k=args.k)
    except DataError as err:
        print(f"masthead related eval: error: {err}", file=sys.stderr)
        return 2
    report_eval(result, args.jsonl, args.json, print)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
