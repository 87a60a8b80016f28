"""How fast the shipped spam model adapts to a new site from moderator decisions.

Start from the default model (trained on the three YouTube videos), then replay the SMS Spam
Collection in file order as a stream of moderator decisions, one ``SpamModel.update()`` call
per decision, exactly as the site calls it. After 0, 50, 200 and 500 decisions, measure
recall at 1% false-positive rate (and ROC AUC) on the messages not yet seen.

For reference, a model of the same features trained from scratch on the same decisions
(no YouTube prior, C = 30) is measured at the same points; and the same replay is run
inside YouTube (train on two videos, stream the third) to show the other case, a new site
that looks like the training data.

Run: ``.venv/bin/python bench/spam_adaptation.py``. Writes bench/results/spam_adaptation.md.
"""

from __future__ import annotations

import argparse
import csv
import math
import sys
import time
from pathlib import Path

import numpy as np
from sklearn.metrics import roc_auc_score
from tqdm import tqdm

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from masthead.antispam.cli import load_labelled  # noqa: E402
from masthead.antispam.errors import DataError  # noqa: E402
from masthead.antispam.evaluation import metrics_from_scores, recall_at_fpr  # noqa: E402
from masthead.antispam.features import Featurizer  # noqa: E402
from masthead.antispam.linear import fit_logistic  # noqa: E402
from masthead.antispam.model import SpamModel  # noqa: E402
from masthead.antispam.samples import CommentSample, parse_label  # noqa: E402
from masthead.antispam.training import train  # noqa: E402

SMS = ROOT.parent / "shared" / "data" / "sms-spam" / "SMSSpamCollection.tsv"
MODEL = ROOT / "masthead" / "antispam" / "data" / "default.mhspam"
OUT = ROOT / "bench" / "results" / "spam_adaptation.md"
YOUTUBE = ROOT.parent / "shared" / "data" / "youtube-spam"
VIDEOS = ("Youtube01-Psy.csv", "Youtube02-KatyPerry.csv", "Youtube03-LMFAO.csv")
CONTEXT = ROOT / "bench" / "youtube_pages.json"
CHECKPOINTS = (0, 50, 200, 500)


def read_sms_tsv(path: Path) -> tuple[list[CommentSample], np.ndarray]:
    """Read ``label<TAB>text`` lines (label ``spam`` or ``ham``) in file order."""
    samples, labels = [], []
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            for line_no, row in enumerate(
                csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE), 1
            ):
                if not row:
                    continue
                if len(row) < 2:
                    raise DataError(f"{path}, line {line_no}: expected label<TAB>text.")
                label = parse_label(row[0])
                if label is None:
                    raise DataError(
                        f"{path}, line {line_no}: unknown label {row[0]!r}; use spam or ham."
                    )
                samples.append(CommentSample(comment_content="\t".join(row[1:])))
                labels.append(label)
    except OSError as err:
        raise DataError(f"{path}: cannot be read ({err}).") from err
    if not samples:
        raise DataError(f"{path}: no messages.")
    return samples, np.asarray(labels, dtype=np.int8)


def replay(
    model: SpamModel,
    samples: list[CommentSample],
    labels: np.ndarray,
    checkpoints: tuple[int, ...],
    bar: tqdm | None = None,
) -> list[dict[str, float]]:
    """Feed decisions one by one through ``update()``; measure on the unseen rest."""
    X_all = Featurizer(model.config).transform(samples)
    results = []
    seen = 0
    for checkpoint in checkpoints:
        while seen < checkpoint:
            model.update([samples[seen]], [int(labels[seen])])
            seen += 1
            if bar is not None:
                bar.update(1)
        rest, y_rest, y_seen = samples[seen:], labels[seen:], labels[:seen]
        probabilities = model.predict_proba(rest)
        at_threshold = metrics_from_scores(y_rest, probabilities, model.threshold)
        row = {
            "decisions": checkpoint,
            "spam_seen": int(y_seen.sum()),
            "unseen": len(rest),
            "recall": recall_at_fpr(y_rest, probabilities, 0.01),
            "auc": roc_auc_score(y_rest, probabilities),
            "recall_at_threshold": at_threshold["recall"],
            "fpr_at_threshold": at_threshold["fpr"],
            "scratch_recall": math.nan,
            "scratch_auc": math.nan,
        }
        if seen and 0 < y_seen.sum() < seen:
            w, b = fit_logistic(X_all[:seen], y_seen, C=30.0)
            scores = X_all[seen:] @ w + b
            row["scratch_recall"] = recall_at_fpr(y_rest, scores, 0.01)
            row["scratch_auc"] = roc_auc_score(y_rest, scores)
        results.append(row)
    return results


def in_domain() -> list[str]:
    """The same replay inside YouTube: train on two videos, stream the third."""
    if not YOUTUBE.is_dir():
        return ["(skipped: the YouTube data is missing)"]
    data = {v: load_labelled([str(YOUTUBE / v)], str(CONTEXT)) for v in VIDEOS}
    lines = [
        "| held-out video | decisions | of which spam | recall at 1% FPR | from scratch |",
        "|---|---|---|---|---|",
    ]
    for held_out in VIDEOS:
        train_videos = [v for v in VIDEOS if v != held_out]
        model = train(
            [s for v in train_videos for s in data[v][0]],
            np.concatenate([data[v][1] for v in train_videos]),
            groups=[g for v in train_videos for g in data[v][2]],
        )
        samples, labels, _ = data[held_out]
        for row in replay(model, samples, labels, (0, 50, 200)):
            lines.append(
                f"| {held_out.removesuffix('.csv')} | {row['decisions']} | {row['spam_seen']} | "
                f"**{row['recall']:.3f}** | {_cell(row['scratch_recall'])} |"
            )
    return lines


def _cell(value: float) -> str:
    return "n/a" if math.isnan(value) else f"{value:.3f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", type=Path, default=MODEL)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    if not SMS.is_file():
        print(f"skipped: {SMS} is missing (the shared data folder)", file=sys.stderr)
        return 1
    samples, labels = read_sms_tsv(SMS)
    model = SpamModel.load(args.model)
    started = time.perf_counter()
    with tqdm(total=CHECKPOINTS[-1], desc="moderator decisions", unit="decision") as bar:
        results = replay(model, samples, labels, CHECKPOINTS, bar)
    elapsed = time.perf_counter() - started
    rows = [
        f"| {r['decisions']} | {r['spam_seen']} | {r['unseen']} | **{r['recall']:.3f}** | "
        f"{r['auc']:.3f} | {r['recall_at_threshold']:.3f} / {r['fpr_at_threshold']:.4f} | "
        f"{_cell(r['scratch_recall'])} / {_cell(r['scratch_auc'])} |"
        for r in results
    ]
    shown = args.model.relative_to(ROOT) if args.model.is_relative_to(ROOT) else args.model
    lines = [
        "# Spam model: adapting to a new site (SMS Spam Collection as moderator decisions)",
        "",
        f"Start: `{shown}` (version {SpamModel.load(args.model).version}). "
        "Decisions fed one at a time "
        "through `SpamModel.update()`, in file order; metrics on the messages not yet seen.",
        "",
        "| decisions | of which spam | unseen messages | recall at 1% FPR | ROC AUC "
        "| recall / FPR at the model's threshold | from scratch: recall at 1% FPR / AUC |",
        "|---|---|---|---|---|---|---|",
        *rows,
        "",
        f"Local model's share of the mix after {CHECKPOINTS[-1]} decisions: "
        f"{model.local_share:.2f}. {CHECKPOINTS[-1]} updates and evaluations took {elapsed:.0f} s "
        f"({elapsed / CHECKPOINTS[-1] * 1000:.0f} ms per decision including evaluation).",
        "",
        "## For comparison: a new site like the training data",
        "",
        "Train on two YouTube videos (as `train()` does, CV inside them), then replay the "
        "third video's comments in file order the same way.",
        "",
        *in_domain(),
        "",
    ]
    report = "\n".join(lines)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(report, encoding="utf-8")
    print(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
