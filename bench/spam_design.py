"""Choosing the spam model's design without looking at the video it is measured on.

``bench/spam_quality.py`` trains on two YouTube videos and measures once on the third. A
change to the model (a feature, a parameter in the grid, another kind of classifier) must
not be chosen because it raised that figure. This script is how such changes are chosen:
for each of the three outer rotations it runs the *inner* leave-one-video-out CV inside the
two training videos only (train on one, score the other, both ways) and never reads the
held-out video. A design is a set of arguments to ``train``: mostly a parameter grid, which
``train`` itself then searches by its own CV inside the one training video.

Cells: ROC AUC / recall at 1% FPR / partial ROC AUC up to 5% FPR (McClish), each the mean
of the two inner folds of one outer rotation; "mean" averages the three rotations.

Run: ``.venv/bin/python bench/spam_design.py DESIGN ...`` (``--list`` names them; about
three minutes per design on 2 cores). Appends to ``bench/results/spam_design.md``.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
from sklearn.metrics import roc_auc_score

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.spam_quality import CONTEXT, DATA, VIDEOS  # noqa: E402  (the same data and pages)
from masthead.antispam.cli import load_labelled  # noqa: E402
from masthead.antispam.evaluation import recall_at_fpr  # noqa: E402
from masthead.antispam.training import train  # noqa: E402

OUT = ROOT / "bench" / "results" / "spam_design.md"


# The grid and feature options every design starts from: the defaults of ``train`` when
# this log began, written out so that a design keeps its meaning when a default changes.
BASE_GRID: dict[str, list[object]] = {
    "C": [10.0, 30.0, 100.0],
    "prior_margin": [0.0, 1.0, 2.0, 3.0],
    "shape_weight": [0.25, 0.5],
    "char_weight": [0.5, 1.0],
    "link_only": [False],
    "strict_like": [False],
}


def _design(seed: int = 0, **changes: list[object]) -> Callable[[], dict[str, object]]:
    return lambda: {"grid": {**BASE_GRID, **changes}, "seed": seed}


def _seeds(name: str, **changes: list[object]) -> dict[str, Callable[[], dict[str, object]]]:
    """A design under the fold seeds 0, 1 and 2 ("NAME", "NAME, seed 1", "NAME, seed 2")."""
    return {
        name + (f", seed {seed}" if seed else ""): _design(seed, **changes) for seed in range(3)
    }


MARGIN: list[object] = [2.0, 3.0]

# Each design: the keyword arguments of ``train`` it stands for. "before" is the model as it
# was before issue 4's work (no deobfuscation); ``seed`` shuffles the 5 stratified folds that
# ``train`` uses inside one video, a measure of how much of a difference is chance.
DESIGNS: dict[str, Callable[[], dict[str, object]]] = {
    "before": _design(deobfuscate=[False]),
    "before, seed 1": _design(1, deobfuscate=[False]),
    "deobfuscate": _design(deobfuscate=[True]),
    "deobfuscate, seed 1": _design(1, deobfuscate=[True]),
    "deobfuscate, seed 2": _design(2, deobfuscate=[True]),
    "deobfuscate + words 1-3": _design(deobfuscate=[True], word_ngrams=[(1, 3)]),
    "deobfuscate + words 1-3, seed 1": _design(1, deobfuscate=[True], word_ngrams=[(1, 3)]),
    "deobfuscate + chars 3-6": _design(deobfuscate=[True], char_ngrams=[(3, 6)]),
    "deobfuscate + chars 3-6, seed 1": _design(1, deobfuscate=[True], char_ngrams=[(3, 6)]),
    "deobfuscate + chars 3-6, seed 2": _design(2, deobfuscate=[True], char_ngrams=[(3, 6)]),
    # The hand-made prior on generic spam evidence (SPAM_EVIDENCE) at least 2 log-odds: CV
    # inside one video cannot see its worth, as that video's own data pin those tokens down.
    **_seeds("deobfuscate + prior margin 2-3", deobfuscate=[True], prior_margin=MARGIN),
    # A comment that is little but a link to another site, as evidence of spam.
    **_seeds("deobfuscate + link only", deobfuscate=[True], link_only=[True]),
    # "like_this" only for requests to like, not "a song like this" / "I like this song".
    **_seeds("deobfuscate + strict like", deobfuscate=[True], strict_like=[True]),
    **_seeds(
        "deobfuscate + link only + strict like",
        deobfuscate=[True],
        link_only=[True],
        strict_like=[True],
    ),
    **_seeds(
        "prior margin 2-3 + strict like",
        deobfuscate=[True],
        prior_margin=MARGIN,
        strict_like=[True],
    ),
    **_seeds(
        "prior margin 2-3 + link only + strict like",
        deobfuscate=[True],
        prior_margin=MARGIN,
        link_only=[True],
        strict_like=[True],
    ),
    **_seeds(
        "prior margin 2-3 + link only", deobfuscate=[True], prior_margin=MARGIN, link_only=[True]
    ),
}


def inner_fold(job: tuple[str, str, str]) -> tuple[str, str, str, float, float, float]:
    """Train ``design`` on video ``fit`` alone, score video ``score``."""
    design, fit, score = job
    samples, labels, _ = load_labelled([str(DATA / fit)], str(CONTEXT))
    test_samples, test_labels, _ = load_labelled([str(DATA / score)], str(CONTEXT))
    model = train(samples, labels, **DESIGNS[design]())  # type: ignore[arg-type]
    p = model.predict_proba(test_samples)
    return (
        design,
        fit,
        score,
        roc_auc_score(test_labels, p),
        recall_at_fpr(test_labels, p, 0.01),
        roc_auc_score(test_labels, p, max_fpr=0.05),
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("designs", nargs="*", metavar="DESIGN")
    parser.add_argument("--list", action="store_true", help="name the designs and stop")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    if args.list or not args.designs:
        print("\n".join(DESIGNS))
        return 0
    unknown = [d for d in args.designs if d not in DESIGNS]
    if unknown:
        parser.error(f"unknown design(s) {', '.join(unknown)}; --list names them")
    started = time.perf_counter()
    # Every ordered pair of videos is the inner fold of exactly one outer rotation: the one
    # holding out the third video.
    jobs = [(d, a, b) for d in args.designs for a in VIDEOS for b in VIDEOS if a != b]
    with ProcessPoolExecutor(args.jobs, max_tasks_per_child=1) as pool:
        results = list(pool.map(inner_fold, jobs))
    short = {v: v.split("-", 1)[1].removesuffix(".csv") for v in VIDEOS}
    lines = []
    for design in args.designs:
        scores = {(a, b): np.array(r) for d, a, b, *r in results if d == design}
        outer = []
        for held_out in VIDEOS:
            one, two = (v for v in VIDEOS if v != held_out)
            outer.append((scores[(one, two)] + scores[(two, one)]) / 2)
        mean = np.mean(outer, axis=0)
        cells = " | ".join("{:.4f} / {:.3f} / {:.4f}".format(*o) for o in outer)
        pairs = ", ".join(
            f"{short[a]}→{short[b]} {s[1]:.3f}" for (a, b), s in sorted(scores.items())
        )
        lines.append(
            f"| {design} | {cells} | **{mean[0]:.4f} / {mean[1]:.3f} / {mean[2]:.4f}** | {pairs} |"
        )
    header = [
        "| design | outer: Psy held out (inner: KatyPerry ↔ LMFAO) "
        "| outer: KatyPerry held out (inner: Psy ↔ LMFAO) "
        "| outer: LMFAO held out (inner: Psy ↔ KatyPerry) | mean | recall at 1% FPR "
        "per inner fold |",
        "|---|---|---|---|---|---|",
    ]
    if not args.out.exists():
        args.out.parent.mkdir(parents=True, exist_ok=True)
        intro = __doc__.split("\n\n")[1:3]
        args.out.write_text(
            "# Spam model: design choices by inner CV\n\n" + "\n\n".join(intro) + "\n",
            encoding="utf-8",
        )
    with args.out.open("a", encoding="utf-8") as handle:
        elapsed = time.perf_counter() - started
        handle.write("\n" + "\n".join(header + lines) + f"\n\nRun time: {elapsed:.0f} s.\n")
    print("\n".join(header + lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
