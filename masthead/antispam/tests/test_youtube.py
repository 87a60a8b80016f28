"""Checks on the real data in ../shared/data and on the shipped default model."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from masthead.antispam.evaluation import evaluate
from masthead.antispam.model import DEFAULT_MODEL_PATH, SpamModel
from masthead.antispam.samples import CommentSample, read_csv
from masthead.antispam.training import train

DEFAULT_MODEL = DEFAULT_MODEL_PATH


def test_youtube_files_read_as_documented(youtube_dir: Path) -> None:
    counts = {}
    for name in ("Youtube01-Psy", "Youtube02-KatyPerry", "Youtube03-LMFAO"):
        _, labels = read_csv(youtube_dir / f"{name}.csv")
        counts[name] = (int(labels.sum()), int((labels == 0).sum()))
    assert counts == {
        "Youtube01-Psy": (175, 175),
        "Youtube02-KatyPerry": (175, 175),
        "Youtube03-LMFAO": (236, 202),
    }


@pytest.mark.slow
def test_cross_video_quality_does_not_regress(youtube_dir: Path) -> None:
    """Train on Psy + KatyPerry, test on LMFAO (the hard rotation); baseline AUC is 0.95."""
    samples, labels = read_csv(
        [youtube_dir / "Youtube01-Psy.csv", youtube_dir / "Youtube02-KatyPerry.csv"]
    )
    groups = ["psy"] * 350 + ["katy"] * 350
    model = train(samples, labels, groups=groups, C=30.0, grid={"link_weight": [1.0]})
    test_samples, test_labels = read_csv(youtube_dir / "Youtube03-LMFAO.csv")
    result = evaluate(model, test_samples, test_labels)
    assert result["roc_auc"] > 0.97
    assert result["recall_at_fpr_1pct"] > 0.8


def test_shipped_model_loads_and_separates_obvious_cases() -> None:
    if not DEFAULT_MODEL.is_file():
        pytest.fail(f"{DEFAULT_MODEL} is missing: build it with the command in docs/antispam.md")
    model = SpamModel.load(DEFAULT_MODEL)
    assert model.n_train == 1138
    spam = model.score(CommentSample("Check out my channel and subscribe! http://bit.ly/xyz"))
    ham = model.score(CommentSample("Thanks for the clear explanation of the new bus timetable."))
    assert spam > model.threshold > ham
    assert model.memory_bytes() < 50 * 2**20
    assert np.isfinite(model.weights).all()


def test_shipped_model_uses_metadata_it_never_saw_in_training() -> None:
    """YouTube has no user agents or author URLs: their weight is the hand-made prior."""
    model = SpamModel.load(DEFAULT_MODEL_PATH)
    text = "Nice article, thanks for writing it."
    browser = CommentSample(text, user_agent="Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0")
    script = CommentSample(text, user_agent="python-requests/2.31")
    shortener = CommentSample(text, comment_author_url="http://bit.ly/abc")
    plain = CommentSample(text)
    assert model.score(script) > model.score(browser) + 0.05
    assert model.score(shortener) > model.score(plain) + 0.05
    assert model.score(browser) == pytest.approx(model.score(plain), abs=0.02)


def test_the_shipped_model_sees_through_a_disguised_link() -> None:
    """A link written "site dot com" scores as a link does, not as plain words."""
    model = SpamModel.load(DEFAULT_MODEL)
    assert model.config.deobfuscate
    plain = CommentSample("Loving the harbour photos, more of my own on harbourpix, come see")
    disguised = CommentSample("Loving the harbour photos, more of my own at harbourpix dot com")
    assert model.score(plain) < model.threshold <= model.score(disguised)
