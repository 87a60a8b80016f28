"""Fixtures for the spam classifier tests: a small hand-made corpus and the shared data."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from conftest import skip_or_fail
from masthead.antispam.model import SpamModel
from masthead.antispam.samples import CommentSample
from masthead.antispam.training import train

REPO = Path(__file__).resolve().parents[3]
SHARED_DATA = REPO.parent / "shared" / "data"
YOUTUBE = SHARED_DATA / "youtube-spam"

ARTICLE = (
    "City council approves new cycle lanes on the high street. The council voted 7 to 2 "
    "on Tuesday to build protected cycle lanes, after a year of consultation with residents "
    "and shop owners about parking and deliveries."
)
_SPAM = (
    "Check out my channel and subscribe!! http://promo{i}.example.biz/watch?ref=a{i}",
    "Earn money from home, $500 a day, visit www.cash-{i}.info now",
    "please subscribe to my music channel, i'm a rapper with {i}00 subscribers",
    "FREE gift cards!!! click http://bit.ly/x{i}y",
    "Follow me on instagram @promo_{i} for follow back",
    "Hey guys check out my new video, it would mean a lot http://youtu.be/abc{i}",
)
_HAM = (
    "The council should have asked the delivery drivers first, parking is already hard.",
    "Great to see cycle lanes finally; my kids can ride to school safely now.",
    "Seven votes to two is a clear result, but what about the side streets?",
    "I run a shop on the high street and the consultation did listen to us.",
    "Protected lanes work well in other cities, hope this one gets finished on time.",
    "Who pays for this? The article does not say what the lanes will cost.",
)


def toy_corpus(n_each: int = 30) -> tuple[list[CommentSample], np.ndarray]:
    """A deterministic mix of spam and ham comments under one article."""
    samples: list[CommentSample] = []
    labels: list[int] = []
    for i in range(n_each):
        samples.append(
            CommentSample(
                comment_content=_SPAM[i % len(_SPAM)].format(i=i),
                comment_author=f"Promo Music {i}",
                article_text=ARTICLE if i % 2 else "",
            )
        )
        labels.append(1)
        samples.append(
            CommentSample(
                comment_content=_HAM[i % len(_HAM)] + f" ({i})" * (i % 3),
                comment_author=f"Reader {chr(65 + i % 26)}",
                article_text=ARTICLE if i % 2 else "",
            )
        )
        labels.append(0)
    return samples, np.asarray(labels, dtype=np.int8)


@pytest.fixture(scope="session")
def corpus() -> tuple[list[CommentSample], np.ndarray]:
    return toy_corpus()


@pytest.fixture(scope="session")
def trained(corpus: tuple[list[CommentSample], np.ndarray]) -> SpamModel:
    samples, labels = corpus
    return train(samples, labels, C=10.0, grid={"link_weight": [1.0]})


@pytest.fixture
def model(tmp_path: Path, trained: SpamModel) -> SpamModel:
    """A private copy of the trained model (tests may update it)."""
    path = tmp_path / "copy.mhspam"
    trained.save(path)
    return SpamModel.load(path)


@pytest.fixture(scope="session")
def youtube_dir() -> Path:
    if not YOUTUBE.is_dir():
        skip_or_fail(f"shared data not found at {YOUTUBE}: these tests need ../shared/data")
    return YOUTUBE
