"""How fast the shipped spam model adapts to a new site from moderator decisions.

Start from the default model (trained on the three YouTube videos), then replay the SMS Spam
Collection in file order as a stream of moderator decisions, one ``SpamModel.update()`` call
per decision, exactly as the site calls it. After 0, 50, 200 and 500 decisions, measure
recall at 1% false-positive rate (and ROC AUC) on the messages not yet seen.

For reference, a model of the same features trained from scratch on the same decisions
(no YouTube prior, C = 30) is measured at the same points.

Run: ``.venv/bin/python bench/spam_adaptation.py``. Writes bench/results/spam_adaptation.md.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from pathlib import Path

import numpy as np
from sklearn.metrics import roc_auc_score
from tqdm import tqdm

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from masthead.antispam.errors import DataError  # noqa: E402
from masthead.antispam.evaluation import metrics_from_scores, recall_at_fpr  # noqa: E402
from masthead.antispam.features import Featurizer  # noqa: E402
from masthead.antispam.linear import fit_logistic  # noqa: E402
from masthead.antispam.model import SpamModel  # noqa: E402
from masthead.antispam.samples import CommentSample, parse_label  # noqa: E402

SMS = ROOT.parent / "shared" / "data" / "sms-spam" / "SMSSpamCollection.tsv"
MODEL = ROOT / "masthead" / "antispam" / "data" / "default.mhspam"
OUT = ROOT / "bench" / "results" / "spam_adaptation.md"
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
    featurizer = Featurizer(model.config)
    X_all = featurizer.transform(samples)
    rows = []
    started = time.perf_counter()
    seen = 0
    bar = tqdm(total=CHECKPOINTS[-1], desc="moderator decisions", unit="decision")
    for checkpoint in CHECKPOINTS:
        while seen < checkpoint:
            model.update([samples[seen]], [int(labels[seen])])
            seen += 1
            bar.update(1)
        rest, y_rest = samples[seen:], labels[seen:]
        probabilities = model.predict_proba(rest)
        at_threshold = metrics_from_scores(y_rest, probabilities, model.threshold)
        fresh = "n/a"
        y_seen = labels[:seen]
        if seen and 0 < y_seen.sum() < seen:
            w, b = fit_logistic(X_all[:seen], y_seen, C=30.0)
            fresh_scores = X_all[seen:] @ w + b
            fresh_recall = recall_at_fpr(y_rest, fresh_scores, 0.01)
            fresh = f"{fresh_recall:.3f} / {roc_auc_score(y_rest, fresh_scores):.3f}"
        rows.append(
            f"| {checkpoint} | {int(y_seen.sum())} | {len(rest)} | "
            f"**{recall_at_fpr(y_rest, probabilities, 0.01):.3f}** | "
            f"{roc_auc_score(y_rest, probabilities):.3f} | "
            f"{at_threshold['recall']:.3f} / {at_threshold['fpr']:.4f} | {fresh} |"
        )
    bar.close()
    elapsed = time.perf_counter() - started
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
    ]
    report = "\n".join(lines)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(report, encoding="utf-8")
    print(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
