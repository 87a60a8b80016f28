"""Measuring a spam model: the metrics behind ``masthead spam eval`` and the curves."""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from sklearn.metrics import roc_auc_score, roc_curve

from .errors import DataError
from .samples import CommentSample

if TYPE_CHECKING:
    from .model import SpamModel

__all__ = [
    "METRIC_KEYS",
    "evaluate",
    "metrics_from_scores",
    "plot_curves",
    "recall_at_fpr",
    "threshold_for_fpr",
]

# The keys of evaluate()'s result: a stable contract for the CLI's --json output.
METRIC_KEYS = ("precision", "recall", "f1", "roc_auc", "fpr", "recall_at_fpr_1pct", "n")


def evaluate(
    model: SpamModel,
    samples: Sequence[CommentSample],
    labels: Sequence[int] | np.ndarray,
    threshold: float | None = None,
) -> dict[str, float]:
    """Score ``samples`` and compare with ``labels`` (1 = spam).

    Precision, recall, F1 and the false-positive rate are taken at ``threshold`` (the
    model's own decision threshold when None); ``recall_at_fpr_1pct`` is the share of spam
    caught by the best threshold that flags at most 1% of the ham.
    """
    y = np.asarray(labels).ravel()
    if len(y) != len(samples):
        raise DataError(f"{len(samples)} comments but {len(y)} labels.")
    probabilities = model.predict_proba(samples)
    return metrics_from_scores(
        y, probabilities, model.threshold if threshold is None else threshold
    )


def metrics_from_scores(y: np.ndarray, scores: np.ndarray, threshold: float) -> dict[str, float]:
    """The metrics of ``evaluate`` from labels and spam scores (NaN where undefined)."""
    y = np.asarray(y).ravel().astype(int)
    scores = np.asarray(scores, dtype=np.float64).ravel()
    flagged = scores >= threshold
    spam = y == 1
    tp = int(np.sum(flagged & spam))
    fp = int(np.sum(flagged & ~spam))
    fn = int(np.sum(~flagged & spam))
    n_ham = int(np.sum(~spam))
    precision = tp / (tp + fp) if tp + fp else math.nan
    recall = tp / (tp + fn) if tp + fn else math.nan
    if tp:
        f1 = 2 * precision * recall / (precision + recall)
    else:
        f1 = 0.0 if (tp + fp and tp + fn) else math.nan
    both = 0 < spam.sum() < len(y)
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "roc_auc": float(roc_auc_score(y, scores)) if both else math.nan,
        "fpr": fp / n_ham if n_ham else math.nan,
        "recall_at_fpr_1pct": recall_at_fpr(y, scores, 0.01) if both else math.nan,
        "n": len(y),
    }


def recall_at_fpr(y: np.ndarray, scores: np.ndarray, max_fpr: float = 0.01) -> float:
    """Highest recall over thresholds whose false-positive rate is at most ``max_fpr``."""
    fpr, tpr, _ = roc_curve(y, scores, drop_intermediate=False)
    return float(tpr[fpr <= max_fpr + 1e-12].max())


def threshold_for_fpr(y: np.ndarray, scores: np.ndarray, max_fpr: float) -> float:
    """The lowest threshold (``score >= t`` is spam) that flags at most ``max_fpr`` of ham."""
    ham = np.sort(np.asarray(scores, dtype=np.float64)[np.asarray(y) == 0])[::-1]
    allowed = math.floor(max_fpr * len(ham) + 1e-9)
    if allowed >= len(ham):
        return 0.0
    return float(np.nextafter(ham[allowed], np.inf))


def plot_curves(
    y: np.ndarray,
    scores: np.ndarray,
    out: str | os.PathLike[str],
    *,
    title: str = "Spam model",
    threshold: float | None = None,
) -> Path:
    """Draw the ROC and precision-recall curves side by side into a PNG file."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as err:
        raise ImportError(
            "Plotting needs matplotlib, which is not installed: pip install matplotlib"
        ) from err
    from sklearn.metrics import precision_recall_curve

    y = np.asarray(y).ravel()
    fpr, tpr, _ = roc_curve(y, scores)
    precision, recall, _ = precision_recall_curve(y, scores)
    figure, (left, right) = plt.subplots(1, 2, figsize=(10, 4.5))
    left.plot(fpr, tpr, lw=2)
    left.plot([0, 1], [0, 1], ls=":", color="grey")
    left.axvline(0.01, ls="--", color="tab:red", lw=1, label="1% false positives")
    left.set(xlabel="False-positive rate", ylabel="Recall (true-positive rate)", title="ROC")
    left.set_xscale("symlog", linthresh=0.01)
    left.set_xlim(0, 1)
    right.plot(recall, precision, lw=2)
    right.set(xlabel="Recall", ylabel="Precision", title="Precision-recall")
    if threshold is not None:
        flagged = np.asarray(scores) >= threshold
        if flagged.any():
            tp = np.sum(flagged & (y == 1))
            right.plot(tp / max(np.sum(y == 1), 1), tp / flagged.sum(), "o", color="tab:red")
            right.annotate(
                f"threshold {threshold:.2f}", (tp / max(np.sum(y == 1), 1), tp / flagged.sum())
            )
    left.legend(loc="lower right")
    figure.suptitle(f"{title} (n = {len(y)}, ROC AUC {roc_auc_score(y, scores):.3f})")
    figure.tight_layout()
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return path
