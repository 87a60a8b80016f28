"""Training: parameter choice by cross-validation, thresholds, bad input."""

from __future__ import annotations

import numpy as np
import pytest

from masthead.antispam.errors import DataError
from masthead.antispam.samples import CommentSample
from masthead.antispam.training import cv_folds, train

from .conftest import toy_corpus


def test_grid_search_picks_one_of_the_candidates() -> None:
    samples, labels = toy_corpus(20)
    model = train(samples, labels, grid={"C": [1.0, 100.0], "link_weight": [0.5, 1.0]})
    assert model.C in (1.0, 100.0)
    assert model.config.link_weight in (0.5, 1.0)
    assert model.params["cv"] == "5-fold"


def test_groups_give_leave_one_group_out_folds() -> None:
    y = np.array([0, 1, 0, 1, 0, 1])
    folds = cv_folds(y, ["a", "a", "b", "b", "c", "c"])
    assert [test.tolist() for _, test in folds] == [[0, 1], [2, 3], [4, 5]]
    samples, labels = toy_corpus(15)
    groups = ["one" if i < 15 else "two" for i in range(30)]
    model = train(samples, labels, groups=groups, C=10.0)
    assert model.params["cv"] == "leave-one-group-out"


def test_context_copies_make_scores_without_context_close() -> None:
    samples, labels = toy_corpus(20)
    model = train(samples, labels, C=10.0)
    with_context = [s for s in samples if s.article_text]
    without = [CommentSample(s.comment_content, s.comment_author) for s in with_context]
    gap = np.abs(model.predict_proba(with_context) - model.predict_proba(without))
    assert gap.mean() < 0.1


@pytest.mark.parametrize("n_spam", [0, 1, 4])
def test_too_few_of_one_class(n_spam: int) -> None:
    samples = [CommentSample(f"comment {i}") for i in range(20)]
    labels = [1] * n_spam + [0] * (20 - n_spam)
    with pytest.raises(DataError, match="at least 5 spam and 5 ham"):
        train(samples, labels)


def test_labels_must_match_samples() -> None:
    with pytest.raises(DataError, match="3 comments but 2 labels"):
        train([CommentSample("a")] * 3, [0, 1])
    with pytest.raises(DataError, match="1 \\(spam\\) or 0"):
        train([CommentSample("a")] * 2, [0, 3])


def test_a_group_with_one_class_is_reported() -> None:
    samples, labels = toy_corpus(10)
    groups = ["spam-only" if y else "ham-only" for y in labels]
    with pytest.raises(DataError, match="only one class"):
        train(samples, labels, groups=groups, C=10.0)
