"""Metrics of ``evaluate`` and the curve plot."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from masthead.antispam.evaluation import (
    METRIC_KEYS,
    evaluate,
    metrics_from_scores,
    plot_curves,
    recall_at_fpr,
    threshold_for_fpr,
)
from masthead.antispam.model import SpamModel


def test_evaluate_returns_exactly_the_contract_keys(trained: SpamModel, corpus) -> None:
    samples, labels = corpus
    result = evaluate(trained, samples, labels)
    assert list(result) == list(METRIC_KEYS)
    assert set(result) == {"precision", "recall", "f1", "roc_auc", "fpr", "recall_at_fpr_1pct", "n"}
    assert result["n"] == len(samples)
    assert result["roc_auc"] > 0.95


def test_metrics_on_a_hand_counted_example() -> None:
    y = np.array([1, 1, 1, 1, 0, 0, 0, 0, 0, 0])
    scores = np.array([0.9, 0.8, 0.6, 0.2, 0.7, 0.3, 0.2, 0.1, 0.1, 0.0])
    m = metrics_from_scores(y, scores, threshold=0.5)
    # flagged: 0.9, 0.8, 0.6 (spam) and 0.7 (ham) -> tp 3, fp 1, fn 1
    assert m["precision"] == pytest.approx(3 / 4)
    assert m["recall"] == pytest.approx(3 / 4)
    assert m["f1"] == pytest.approx(3 / 4)
    assert m["fpr"] == pytest.approx(1 / 6)
    # With no ham allowed above the threshold, only 0.9 and 0.8 are caught.
    assert m["recall_at_fpr_1pct"] == pytest.approx(0.5)
    assert m["roc_auc"] == pytest.approx(1 - 3.5 / 24)
    assert m["n"] == 10


def test_metrics_with_a_single_class_are_nan_not_errors() -> None:
    m = metrics_from_scores(np.array([0, 0, 0]), np.array([0.1, 0.2, 0.9]), 0.5)
    assert math.isnan(m["roc_auc"])
    assert math.isnan(m["recall"])
    assert m["fpr"] == pytest.approx(1 / 3)


def test_recall_at_fpr_counts_ties_against_the_model() -> None:
    y = np.array([1, 0, 1])
    scores = np.array([0.5, 0.5, 0.4])
    assert recall_at_fpr(y, scores, 0.01) == 0.0


@pytest.mark.parametrize(
    ("max_fpr", "expected_flagged_ham"),
    [(0.0, 0), (0.01, 0), (0.1, 1), (0.2, 2), (1.0, 10)],
)
def test_threshold_for_fpr_flags_at_most_that_share_of_ham(
    max_fpr: float, expected_flagged_ham: int
) -> None:
    ham_scores = np.linspace(0.05, 0.95, 10)
    y = np.zeros(10, dtype=int)
    threshold = threshold_for_fpr(y, ham_scores, max_fpr)
    assert int(np.sum(ham_scores >= threshold)) == expected_flagged_ham


def test_plot_curves_writes_a_png(tmp_path: Path) -> None:
    y = np.array([0, 0, 1, 1, 0, 1])
    path = plot_curves(
        y, np.array([0.1, 0.4, 0.35, 0.8, 0.2, 0.9]), tmp_path / "c.png", threshold=0.5
    )
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
