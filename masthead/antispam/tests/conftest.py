"""Fixtures for the spam classifier tests: a small hand-made corpus and the shared data."""

from __future__ import annotations

from contextlib import contextmanager
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


# -- the Django side --------------------------------------------------------------------

BLOG = "https://blog.example.org"
# Scored by the shipped model: far below the spam threshold, between it and the discard
# threshold, and above that.
HAM_TEXT = "I think the council is wrong about the harbour wall; the costs were never published."
SPAM_TEXT = "Nice post! Follow me back"
DISCARD_TEXT = "Check out my channel http://bit.ly/xyz and subscribe!!"


@pytest.fixture(autouse=True)
def _fresh_filter_state(settings):
    """Each test starts with no loaded model, no cached keys and no buffered counts."""
    from masthead.antispam import keys, registry, selectors, stats

    settings.MASTHEAD_SPAM_RELOAD_SECONDS = 0
    settings.MASTHEAD_SPAM_USAGE_FLUSH_SECONDS = 0
    registry.registry.reset()
    keys.lookups.forget()
    stats.buffer.clear()
    selectors._usage_cache.clear()
    yield
    stats.buffer.clear()
    registry.registry.reset()


@pytest.fixture
def api_key(db) -> str:
    from masthead.antispam.keys import api_key_create

    _row, key = api_key_create(site=BLOG)
    return key


@contextmanager
def connections_kept():
    """As Django's test client does: a request must not close the test's connection (it
    would, being inside the test's transaction)."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def wsgi_transport():
    """An httpx transport into ``masthead.wsgi.application``, the production entry point."""
    import httpx

    from masthead.wsgi import application

    def app(environ, start_response):
        with connections_kept():
            result = application(environ, start_response)
            try:
                return [b"".join(result)]
            finally:
                if hasattr(result, "close"):
                    result.close()

    return httpx.WSGITransport(app=app)


@pytest.fixture
def akismet_client(api_key):
    import akismet
    import httpx

    http = httpx.Client(transport=wsgi_transport(), headers={"User-Agent": akismet.USER_AGENT})
    client = akismet.SyncClient(config=akismet.Config(key=api_key, url=BLOG), http_client=http)
    yield client
    http.close()
