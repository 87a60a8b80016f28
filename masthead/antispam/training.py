"""Training a ``SpamModel``: model selection, calibration and thresholds by cross-validation.

Everything that is chosen (the regularisation ``C``, the weights of the feature blocks,
the Platt calibration and the two decision thresholds) is chosen on out-of-fold scores
*inside* the training data. When the samples come from several sites (``groups``: one per
CSV file, e.g. one per YouTube video), the folds leave one site out, so the choice favours
what carries over to a site the model has never seen.
"""

from __future__ import annotations

import hashlib
import itertools
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import NamedTuple

import numpy as np
import scipy.sparse as sp
from scipy.special import expit
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold

from .errors import DataError
from .evaluation import metrics_from_scores, threshold_for_fpr
from .features import FeatureConfig, Featurizer
from .linear import fit_logistic, fit_platt, platt
from .model import SpamModel
from .samples import CommentSample

__all__ = ["DEFAULT_CONFIG", "DEFAULT_GRID", "cv_folds", "train"]

# Disguised links and words are undone, and "like this" counts as self-promotion only when
# it asks for likes (chosen by inner CV: bench/results/spam_design.md).
DEFAULT_CONFIG = FeatureConfig(
    link_weight=1.0, shape_weight=0.25, deobfuscate=True, strict_like=True
)
# Candidates tried by cross-validation when ``train`` is not told the parameters. The prior
# margin starts at 2: CV inside one site cannot see what the prior on generic spam evidence
# is worth on another site (that site's own data pin those tokens down), and chose 0 or 1
# there; across sites 2 and 3 do better (chosen by inner CV: bench/results/spam_design.md).
DEFAULT_GRID: dict[str, list[object]] = {
    "C": [10.0, 30.0, 100.0],
    "prior_margin": [2.0, 3.0],
    "shape_weight": [0.25, 0.5],
    "char_weight": [0.5, 1.0],
}
MIN_PER_CLASS = 5


def train(
    samples: Sequence[CommentSample],
    labels: Sequence[int] | np.ndarray,
    *,
    groups: Sequence[object] | np.ndarray | None = None,
    config: FeatureConfig | None = None,
    C: float | None = None,
    prior_margin: float | None = None,
    grid: Mapping[str, Iterable[object]] | None = None,
    n_folds: int = 5,
    seed: int = 0,
    target_fpr: float = 0.01,
    discard_fpr: float = 0.001,
    feedback_weight: float = 1.0,
    prior_decisions: float = 100.0,
    trained_at: datetime | None = None,
    progress: Callable[[Iterable[object]], Iterable[object]] | None = None,
) -> SpamModel:
    """Train a spam model on labelled comments (1 = spam, 0 = ham).

    Parameters not given (``C``, ``prior_margin``, and the block weights when ``config``
    is None) are chosen from ``grid`` (default ``DEFAULT_GRID``) by the mean partial ROC
    AUC (false-positive rate up to 5%) over cross-validation folds: leave-one-group-out
    when ``groups`` has two or more distinct values, else ``n_folds`` stratified folds
    shuffled with ``seed``.
    Training is deterministic for the same data and arguments.

    ``prior_margin`` is the prior mean, in log-odds, of the weight of each token listed in
    ``patterns.SPAM_EVIDENCE`` (self-promotion patterns, links, phone numbers...): what the
    model believes about them before the data speaks.

    ``prior_decisions`` sets how much the training data weighs against a site's own
    moderator decisions in ``SpamModel.update``: the prior keeps the curvature of the
    training log-loss scaled down so that the whole training set counts as much as that
    many decisions (a power prior). The site's decisions outweigh it once there are more.
    ``progress`` wraps the candidate loop (e.g. ``tqdm``).
    """
    y = _check_labels(samples, labels)
    folds = cv_folds(y, groups, n_folds=n_folds, seed=seed)
    rows, origin, row_weight = _with_context_copies(samples)
    y_rows = y[origin]
    candidates = _candidates(config, C, prior_margin, grid)
    loop: Iterable[object] = progress(candidates) if progress else candidates
    features: dict[FeatureConfig, sp.csr_matrix] = {}
    best: tuple[float, float, Candidate, np.ndarray] | None = None
    for candidate in loop:
        cand = Candidate(*candidate)  # type: ignore[misc]
        if cand.config not in features:
            features[cand.config] = Featurizer(cand.config).transform(rows)
        margins = _out_of_fold(features[cand.config], y_rows, origin, row_weight, folds, cand)
        partial, full = _fold_scores(y, margins, folds)
        if best is None or (partial, full) > best[:2]:
            best = (partial, full, cand, margins)
    assert best is not None
    chosen, oof_margins = best[2], best[3]
    chosen_config, chosen_C = chosen.config, chosen.C
    X = features[chosen_config]

    weights, bias = fit_logistic(
        X,
        y_rows,
        C=chosen_C,
        sample_weight=row_weight,
        prior_weights=Featurizer(chosen_config).prior_weights(chosen.prior_margin),
    )
    probabilities = expit(X @ weights + bias)
    power = min(1.0, prior_decisions / len(y))
    curvature = power * row_weight * probabilities * (1.0 - probabilities)
    precision = np.asarray(X.multiply(X).T @ curvature).ravel() + 1.0 / chosen_C
    calibration = fit_platt(oof_margins, y)
    oof_prob = platt(oof_margins, *calibration)
    threshold = max(0.5, threshold_for_fpr(y, oof_prob, target_fpr))
    discard = min(0.999, max(threshold, 0.9, threshold_for_fpr(y, oof_prob, discard_fpr)))
    weights32 = weights.astype(np.float32)
    digest = hashlib.sha256(weights32.tobytes() + np.float64(bias).tobytes()).hexdigest()
    when = trained_at or datetime.now(UTC)
    return SpamModel(
        config=chosen_config,
        weights=weights32,
        bias=bias,
        prior_weights=weights32,
        prior_bias=bias,
        prior_precision=precision,
        prior_bias_precision=float(curvature.sum() + 1.0 / chosen_C),
        calibration=calibration,
        threshold=threshold,
        discard_threshold=discard,
        C=chosen_C,
        version=f"1.{digest[:10]}",
        trained_at=when.isoformat(timespec="seconds"),
        n_train=len(y),
        evaluation=metrics_from_scores(y, oof_prob, threshold),
        params={
            "C": chosen_C,
            "prior_margin": chosen.prior_margin,
            "cv": "leave-one-group-out" if _n_groups(groups) >= 2 else f"{n_folds}-fold",
            "cv_partial_auc_5pct": round(best[0], 6),
            "cv_roc_auc": round(best[1], 6),
            "target_fpr": target_fpr,
            "discard_fpr": discard_fpr,
            "feedback_weight": feedback_weight,
            "prior_decisions": prior_decisions,
            "seed": seed,
        },
    )


def cv_folds(
    y: np.ndarray,
    groups: Sequence[object] | np.ndarray | None,
    *,
    n_folds: int = 5,
    seed: int = 0,
) -> list[tuple[np.ndarray, np.ndarray]]:
    """(train, test) index pairs: one per group if there are 2+ groups, else stratified."""
    if _n_groups(groups) >= 2:
        assert groups is not None
        keys = np.asarray([str(g) for g in groups])
        return [
            (np.flatnonzero(keys != key), np.flatnonzero(keys == key))
            for key in sorted(set(keys.tolist()))
        ]
    n_splits = max(2, min(n_folds, int(np.bincount(y, minlength=2).min())))
    splitter = StratifiedKFold(n_splits=n_splits, shuffle=True, random_state=seed)
    return list(splitter.split(np.zeros(len(y)), y))


def _n_groups(groups: Sequence[object] | np.ndarray | None) -> int:
    return 0 if groups is None else len({str(g) for g in groups})


def _check_labels(
    samples: Sequence[CommentSample], labels: Sequence[int] | np.ndarray
) -> np.ndarray:
    y = np.asarray(labels).ravel()
    if len(y) != len(samples):
        raise DataError(f"{len(samples)} comments but {len(y)} labels: give one label each.")
    if not np.isin(y, (0, 1)).all():
        raise DataError("Labels must be 1 (spam) or 0 (ham).")
    y = y.astype(np.int8)
    counts = np.bincount(y, minlength=2)
    if counts.min() < MIN_PER_CLASS:
        raise DataError(
            f"Training needs at least {MIN_PER_CLASS} spam and {MIN_PER_CLASS} ham comments; "
            f"got {counts[1]} spam and {counts[0]} ham. Add labelled comments of both kinds."
        )
    return y


class Candidate(NamedTuple):
    """One combination of parameters tried by cross-validation."""

    config: FeatureConfig
    C: float
    prior_margin: float


def _candidates(
    config: FeatureConfig | None,
    C: float | None,
    prior_margin: float | None,
    grid: Mapping[str, Iterable[object]] | None,
) -> list[Candidate]:
    grid = dict(DEFAULT_GRID if grid is None else grid)
    c_values = [float(c) for c in grid.pop("C", [30.0])]  # type: ignore[union-attr]
    m_values = [float(m) for m in grid.pop("prior_margin", [0.0])]  # type: ignore[union-attr]
    c_values = [float(C)] if C is not None else c_values
    m_values = [float(prior_margin)] if prior_margin is not None else m_values
    if config is not None:
        configs = [config]
    else:
        names = sorted(grid)
        configs = [
            DEFAULT_CONFIG.replace(**dict(zip(names, values, strict=True)))
            for values in itertools.product(*(list(grid[name]) for name in names))
        ]
    return [Candidate(cfg, c, m) for cfg in configs for c in c_values for m in m_values]


def _with_context_copies(
    samples: Sequence[CommentSample],
) -> tuple[list[CommentSample], np.ndarray, np.ndarray]:
    """Add a copy without page context (permalink, article text) of each sample that has it.

    The two copies share the sample's weight, so the model learns to score a comment both
    with and without context: a site that sends no article text is scored as well as one
    that does, and the context features' absence does not read as a signal.
    Returns the rows (originals first), the original index of each row and row weights.
    """
    rows = list(samples)
    origin = list(range(len(samples)))
    weight = [1.0] * len(samples)
    for i, sample in enumerate(samples):
        if sample.article_text.strip() or sample.permalink.strip():
            rows.append(replace(sample, article_text="", permalink=""))
            origin.append(i)
            weight[i] = 0.5
            weight.append(0.5)
    return rows, np.asarray(origin), np.asarray(weight)


def _out_of_fold(
    X: sp.csr_matrix,
    y_rows: np.ndarray,
    origin: np.ndarray,
    row_weight: np.ndarray,
    folds: list[tuple[np.ndarray, np.ndarray]],
    cand: Candidate,
) -> np.ndarray:
    """Out-of-fold margins of the original samples (the first rows of ``X``)."""
    n_samples = int(origin.max()) + 1
    margins = np.zeros(n_samples)
    prior = Featurizer(cand.config).prior_weights(cand.prior_margin)
    for train_idx, test_idx in folds:
        in_train = np.isin(origin, train_idx)
        if len(np.unique(y_rows[in_train])) < 2:
            raise DataError(
                "A cross-validation fold has only one class: every group (CSV file) "
                "needs spam and ham, or pass a single file to use stratified folds."
            )
        w, b = fit_logistic(
            X[in_train],
            y_rows[in_train],
            C=cand.C,
            sample_weight=row_weight[in_train],
            prior_weights=prior,
        )
        margins[test_idx] = X[test_idx] @ w + b
    return margins


def _fold_scores(
    y: np.ndarray, margins: np.ndarray, folds: list[tuple[np.ndarray, np.ndarray]]
) -> tuple[float, float]:
    """Mean partial AUC (FPR <= 5%, McClish-standardised) and mean AUC over the folds."""
    partial, full = [], []
    for _, test_idx in folds:
        if len(np.unique(y[test_idx])) == 2:
            partial.append(roc_auc_score(y[test_idx], margins[test_idx], max_fpr=0.05))
            full.append(roc_auc_score(y[test_idx], margins[test_idx]))
    if not partial:
        return -math.inf, -math.inf
    return float(np.mean(partial)), float(np.mean(full))
