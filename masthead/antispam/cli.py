"""``masthead spam train`` and ``masthead spam eval`` as plain argparse functions.

The Django management command (and ``python -m masthead.antispam.cli``) call ``main``;
it returns the exit status: 0 on success, 2 when the data or the model cannot be used (the
message, saying how to fix it, goes to stderr).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

import numpy as np
from tqdm import tqdm

from .errors import AntispamError, DataError
from .evaluation import METRIC_KEYS, metrics_from_scores, plot_curves
from .model import SpamModel
from .samples import CommentSample, read_csv
from .training import train

__all__ = ["build_parser", "load_labelled", "main"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="masthead spam", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)

    train_cmd = commands.add_parser("train", help="train a model on labelled CSV files")
    train_cmd.add_argument(
        "--csv",
        nargs="+",
        required=True,
        metavar="FILE",
        help="labelled comments; each file is one site for cross-validation",
    )
    train_cmd.add_argument("--out", required=True, metavar="PATH", help="model file to write")
    train_cmd.add_argument(
        "--context",
        metavar="JSON",
        help="page context per CSV file name: {name: {permalink, article_text}}",
    )
    train_cmd.add_argument("--C", type=float, help="regularisation (default: chosen by CV)")
    train_cmd.add_argument("--seed", type=int, default=0, help="seed of the CV folds")
    _common(train_cmd)

    eval_cmd = commands.add_parser("eval", help="measure a model on labelled CSV files")
    eval_cmd.add_argument("--model", required=True, metavar="PATH", help="model file to read")
    eval_cmd.add_argument("--csv", nargs="+", required=True, metavar="FILE")
    eval_cmd.add_argument("--context", metavar="JSON", help="as for train")
    eval_cmd.add_argument(
        "--threshold", type=float, help="decision threshold (default: the model's own)"
    )
    eval_cmd.add_argument("--json", action="store_true", help="print the metrics as JSON")
    eval_cmd.add_argument("--plot", metavar="OUT.png", help="draw ROC and PR curves (matplotlib)")
    _common(eval_cmd)
    return parser


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--key-env",
        metavar="VAR",
        help="sign/verify the model with HMAC, key read from this variable",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bars")


def main(argv: Sequence[str] | None = None, *, stdout: TextIO | None = None) -> int:
    args = build_parser().parse_args(argv)
    out = stdout or sys.stdout
    try:
        key = _key(args.key_env)
        if args.command == "train":
            return _train(args, key, out)
        return _eval(args, key, out)
    except (AntispamError, ImportError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2


def load_labelled(
    csv_paths: Sequence[str], context_path: str | None = None
) -> tuple[list[CommentSample], np.ndarray, list[str]]:
    """Read CSV files; return samples, labels and the file name of each sample (its group)."""
    context = _read_context(context_path) if context_path else {}
    samples: list[CommentSample] = []
    labels: list[np.ndarray] = []
    groups: list[str] = []
    for path in csv_paths:
        file_samples, file_labels = read_csv(path)
        page = context.get(Path(path).name, {})
        if page:
            file_samples = [
                replace(
                    s,
                    permalink=s.permalink or page.get("permalink", ""),
                    article_text=s.article_text or page.get("article_text", ""),
                )
                for s in file_samples
            ]
        samples.extend(file_samples)
        labels.append(file_labels)
        groups.extend([Path(path).name] * len(file_samples))
    return samples, np.concatenate(labels), groups


def _read_context(path: str) -> dict[str, dict[str, str]]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise DataError(f"{path}: cannot read the page context JSON ({err}).") from err
    if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
        raise DataError(
            f"{path}: expected a JSON object mapping CSV file names to "
            '{"permalink": "...", "article_text": "..."}.'
        )
    return {
        str(k): {f: str(v.get(f, "")) for f in ("permalink", "article_text")}
        for k, v in data.items()
    }


def _key(variable: str | None) -> bytes | None:
    if not variable:
        return None
    value = os.environ.get(variable)
    if not value:
        raise DataError(f"--key-env {variable}: the environment variable is not set or empty.")
    return value.encode("utf-8")


def _train(args: argparse.Namespace, key: bytes | None, out: TextIO) -> int:
    samples, labels, groups = load_labelled(args.csv, args.context)
    # SOURCE_DATE_EPOCH makes the shipped model file reproducible byte for byte.
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    trained_at = datetime.fromtimestamp(int(epoch), UTC) if epoch else None

    def progress(items: Sequence[object]) -> object:
        return tqdm(items, desc="choosing parameters", unit="candidate", disable=args.quiet)

    model = train(
        samples,
        labels,
        groups=groups,
        C=args.C,
        seed=args.seed,
        trained_at=trained_at,
        progress=progress,
    )  # type: ignore[arg-type]
    model.save(args.out, key=key)
    cv = model.evaluation
    print(
        f"wrote {args.out}: version {model.version}, {model.n_train} comments "
        f"({int(labels.sum())} spam), C={model.C:g}, threshold {model.threshold:.3f}, "
        f"discard above {model.discard_threshold:.3f}\n"
        f"cross-validated ({model.params['cv']}): ROC AUC {cv['roc_auc']:.3f}, "
        f"recall at 1% FPR {cv['recall_at_fpr_1pct']:.3f}",
        file=out,
    )
    return 0


def _eval(args: argparse.Namespace, key: bytes | None, out: TextIO) -> int:
    model = SpamModel.load(args.model, key=key)
    samples, labels, _ = load_labelled(args.csv, args.context)
    chunk = 500
    scores = np.concatenate(
        [
            model.predict_proba(samples[start : start + chunk])
            for start in tqdm(
                range(0, len(samples), chunk),
                desc="scoring",
                unit="chunk",
                disable=args.quiet or len(samples) <= chunk,
            )
        ]
    )
    threshold = model.threshold if args.threshold is None else args.threshold
    metrics = metrics_from_scores(labels, scores, threshold)
    if args.plot:
        plot_curves(
            labels, scores, args.plot, title=f"Spam model {model.version}", threshold=threshold
        )
    if args.json:
        clean = {
            k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in metrics.items()
        }
        print(json.dumps(clean, sort_keys=False), file=out)
    else:
        print(
            f"model {model.version} (trained {model.trained_at}), threshold {threshold:.3f}",
            file=out,
        )
        for name in METRIC_KEYS:
            value = metrics[name]
            print(f"  {name:<20} {value if name == 'n' else f'{value:.4f}'}", file=out)
        if args.plot:
            print(f"  curves written to {args.plot}", file=out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
