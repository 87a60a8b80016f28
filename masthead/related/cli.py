"""Command line for the related-stories engine: ``masthead related eval``.

``main(argv)`` is the stable entry point the Django management command calls::

    eval --jsonl FILE [--k 5] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from .engine.evaluation import DataError, evaluate_jsonl


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if number < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return number


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="masthead related", description="Related-stories engine tools."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    evaluate = commands.add_parser(
        "eval",
        help="measure precision@k on labelled stories",
        description=(
            "Index the stories of a JSON-lines file (one object a line with title, body "
            "and label), find each one's k related stories, and report the share that "
            "carry its label, for the engine and for a YARPP-style baseline."
        ),
    )
    evaluate.add_argument("--jsonl", required=True, metavar="FILE", help="labelled stories")
    evaluate.add_argument("--k", type=_positive, default=5, help="related stories per story")
    evaluate.add_argument("--json", action="store_true", help="print one JSON object")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        result = evaluate_jsonl(args.jsonl, k=args.k)
    except DataError as err:
        print(f"masthead related eval: error: {err}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(result))
    else:
        print(f"precision@{result['k']} on {result['n']} stories from {args.jsonl}")
        print(f"  related-stories engine  {result['precision_at_k']:.4f}")
        print(f"  YARPP-style baseline    {result['baseline_precision_at_k']:.4f}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
