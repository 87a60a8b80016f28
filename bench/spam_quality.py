"""Cross-site quality of the spam model: leave one YouTube video out.

For each of the three videos: train on the other two, evaluate once on it. Everything the
model chooses (C, feature block weights, calibration, thresholds) is chosen by ``train``
itself, by leave-one-video-out cross-validation *inside* the two training videos; the
held-out video is scored once, by the finished model.

Rows:
* baseline: word TF-IDF + logistic regression (scikit-learn defaults), and the same with
  character 2-5-grams added, measured the same way;
* Masthead: the model as shipped, given each comment's page context as the site would
  (the video's URL as ``permalink`` and its title as ``article_text``,
  from ``bench/youtube_pages.json``);
* Masthead, text only: the same with no page context at all, in training and evaluation.

Run: ``.venv/bin/python bench/spam_quality.py`` (about a minute on 2 cores). Writes
``bench/results/spam_quality.md``.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from masthead.antispam.cli import load_labelled  # noqa: E402
from masthead.antispam.evaluation import evaluate, recall_at_fpr  # noqa: E402
from masthead.antispam.training import train  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "youtube-spam"
VIDEOS = ("Youtube01-Psy.csv", "Youtube02-KatyPerry.csv", "Youtube03-LMFAO.csv")
CONTEXT = ROOT / "bench" / "youtube_pages.json"
OUT = ROOT / "bench" / "results" / "spam_quality.md"

# How the model's design was chosen (issue 4): kept with the figures it explains.
NOTES = """\
## Notes: how the model's design was chosen

The held-out video of each rotation is scored once, by the finished model; nothing was chosen
by these figures. Changes to the model were chosen by `bench/spam_design.py`, which runs the
inner leave-one-video-out CV inside each rotation's two training videos (train on one,
score the other, both ways) and averages over the three rotations; the log with every run is
`bench/results/spam_design.md`. Inner CV on one training video is much noisier than this
benchmark: the 5-fold split `train` uses inside one video (`seed`) moves the inner mean
recall at 1% FPR by up to 0.08, as much as any design did. So a design was adopted only if
it was better for each seed, not just on average.

Inner CV, means over the three rotations (ROC AUC / recall at 1% FPR / partial AUC to 5% FPR):

- before this work: 0.9777 / 0.769 / 0.9302 (seed 0), 0.9778 / 0.776 / 0.9321 (seed 1);
- **undo disguised links and words** (`FeatureConfig.deobfuscate`, "site . com", "w w w",
  "you[tube]", bare "watch?v=", "s u b s c r i b e", "ch3ck", look-alike Cyrillic letters):
  0.9868 / 0.843 / 0.9492 (seed 0), 0.9800 / 0.777 / 0.9344 (seed 1): higher AUC and partial
  AUC for both seeds, **adopted** (also 0.9765 / 0.759 / 0.9267 with seed 2);
- with word 1-3-grams: 0.9859 / 0.835 / 0.9485, 0.9807 / 0.775 / 0.9351: no gain, not adopted;
- with character 3-6-grams instead of 2-5: 0.9809 / 0.843 / 0.9394, 0.9876 / 0.895 / 0.9594,
  0.9767 / 0.751 / 0.9242 (seeds 0, 1, 2): a better mean from seed 1 alone, worse for seeds 0
  and 2: not adopted;
- logistic regression on top of a naive-Bayes part (weights 0.5, 1, 2): 0.9790 / 0.761 /
  0.9123, 0.9816 / 0.779, 0.9727 / 0.699 / 0.8878: not adopted; class-balanced weights: no
  change (the classes are near balanced): not adopted;
- **the prior on generic spam evidence kept at a margin of 2 or 3** (the grid tried 0 to 3;
  inside one video CV sometimes chose 0 or 1, which does worse on the other video):
  0.9888 / 0.879 / 0.9584, 0.9886 / 0.905 / 0.9621, 0.9875 / 0.858 / 0.9537 (seeds 0, 1,
  2): better on all three for each seed, **adopted** (the shipped model, trained on all
  three videos, already chose 2: it retrains byte for byte the same);
- **"like this" as self-promotion only when it asks for likes** (`strict_like`: "like this
  comment", "like if…", "like my…", not "a song like this" or "I like this song"), on top of
  the margin of 2-3: 0.9896 / 0.898 / 0.9644, 0.9897 / 0.906 / 0.9665, 0.9893 / 0.909 /
  0.9656: better on all three for each seed, **adopted**; with the full 0-3 grid it was
  worse for seed 0 (the margin-0 choice above);
- a "link and little else" flag (`link_only`): no gain on top of the margin, not adopted.

This benchmark was then run once with the adopted design: mean 0.993 / 0.952 (it read
0.993 / 0.936 with the design before).
"""


def baseline_scores(train_text: list[str], y: np.ndarray, test_text: list[str], chars: bool):
    words = TfidfVectorizer(sublinear_tf=True)
    A, B = words.fit_transform(train_text), words.transform(test_text)
    if chars:
        grams = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True)
        A = sp.hstack([A, grams.fit_transform(train_text)]).tocsr()
        B = sp.hstack([B, grams.transform(test_text)]).tocsr()
    model = LogisticRegression(max_iter=2000).fit(A, y)
    return model.predict_proba(B)[:, 1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    if not DATA.is_dir():
        print(f"skipped: {DATA} is missing (the shared data folder)", file=sys.stderr)
        return 1
    started = time.perf_counter()
    data = {video: load_labelled([str(DATA / video)], str(CONTEXT)) for video in VIDEOS}
    systems = (
        "baseline: word TF-IDF + LR",
        "baseline: word + char 2-5 TF-IDF + LR",
        "Masthead (page context)",
        "Masthead (text only)",
    )
    results: dict[str, dict[str, tuple[float, float]]] = {name: {} for name in systems}
    chosen: dict[str, str] = {}
    for held_out in VIDEOS:
        train_videos = [v for v in VIDEOS if v != held_out]
        samples = [s for v in train_videos for s in data[v][0]]
        labels = np.concatenate([data[v][1] for v in train_videos])
        groups = [g for v in train_videos for g in data[v][2]]
        test_samples, test_labels, _ = data[held_out]

        texts = [s.comment_content for s in samples]
        test_texts = [s.comment_content for s in test_samples]
        for name, chars in ((systems[0], False), (systems[1], True)):
            scores = baseline_scores(texts, labels, test_texts, chars)
            results[name][held_out] = (
                roc_auc_score(test_labels, scores),
                recall_at_fpr(test_labels, scores, 0.01),
            )

        for name, strip in ((systems[2], False), (systems[3], True)):
            tr = [replace(s, permalink="", article_text="") for s in samples] if strip else samples
            te = (
                [replace(s, permalink="", article_text="") for s in test_samples]
                if strip
                else test_samples
            )
            model = train(tr, labels, groups=groups, seed=0)
            metrics = evaluate(model, te, test_labels)
            results[name][held_out] = (metrics["roc_auc"], metrics["recall_at_fpr_1pct"])
            cfg = model.config
            chosen[f"{name} / {held_out}"] = (
                f"C={model.C:g}, prior_margin={model.params['prior_margin']:g}, "
                f"char_weight={cfg.char_weight}, shape_weight={cfg.shape_weight}, "
                f"deobfuscate={cfg.deobfuscate}; "
                f"threshold {model.threshold:.3f}: precision {metrics['precision']:.3f}, "
                f"recall {metrics['recall']:.3f}, FPR {metrics['fpr']:.4f}"
            )
        print(f"held out {held_out}: done ({time.perf_counter() - started:.0f} s)", file=sys.stderr)

    short = [v.split("-", 1)[1].removesuffix(".csv") for v in VIDEOS]
    lines = [
        "# Spam model: cross-site quality (leave one YouTube video out)",
        "",
        "Train on two videos, evaluate once on the third; parameters, calibration and "
        "thresholds chosen by leave-one-video-out CV inside the two training videos. "
        "Cells: ROC AUC / recall at 1% false-positive rate.",
        "Target: mean recall at 1% FPR >= 0.95 and mean ROC AUC >= 0.99.",
        "",
        "| system | " + " | ".join(f"held out: {v}" for v in short) + " | mean |",
        "|---|" + "---|" * (len(VIDEOS) + 1),
    ]
    for name in systems:
        cells = [results[name][v] for v in VIDEOS]
        mean = np.mean(cells, axis=0)
        row = " | ".join(f"{auc:.3f} / {rec:.3f}" for auc, rec in cells)
        lines.append(f"| {name} | {row} | **{mean[0]:.3f} / {mean[1]:.3f}** |")
    lines += ["", "Chosen per rotation (by CV inside the training videos):", ""]
    lines += [f"- {key}: {value}" for key, value in chosen.items()]
    lines += ["", f"Run time: {time.perf_counter() - started:.0f} s.", "", NOTES]
    report = "\n".join(lines)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(report, encoding="utf-8")
    print(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
