"""200 comments posted at once over real HTTP to a multi-process gunicorn server
(`masthead serve --workers 3`): each stored exactly once, no error reaches a reader.

Runs on SQLite (one file shared by three processes: WAL, busy timeout, immediate
transactions) and, in CI's PostgreSQL pass, on a fresh PostgreSQL database.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest

from bench.http import masthead_serving
from tests.test_comment_concurrency import READERS, send

pytestmark = pytest.mark.slow

SETUP = """
from masthead.discussion.models import DiscussionSettings
from masthead.newsroom.tests.factories import make_article
import time
from masthead.discussion.tokens import form_token
config = DiscussionSettings.load(); config.flood_seconds = 15; config.save()
article = make_article(headline="Busy story")
print(article.pk, form_token(article.pk, issued_at=time.time() - 60))
"""
COUNT = """
from collections import Counter
from masthead.discussion.models import Comment
counts = Counter(Comment.objects.values_list("body", flat=True))
print(len(counts), max(counts.values(), default=0))
"""


def shell(env: dict, code: str) -> str:
    return subprocess.run(
        [sys.executable, "-m", "masthead.cli", "shell", "-v", "0", "-c", code],
        env=env, capture_output=True, text=True, check=True, timeout=120,
    ).stdout.strip()  # fmt: skip


def test_two_hundred_concurrent_comments_across_processes(tmp_path, site_database_url):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(
        MASTHEAD_VAR_DIR=str(tmp_path),
        SECRET_KEY="concurrency-" + "x" * 40,
        DATABASE_URL=site_database_url,
        TRUSTED_PROXIES="127.0.0.1",
        PAGE_CACHE_SECONDS="0",
    )
    subprocess.run(
        [sys.executable, "-m", "masthead.cli", "migrate", "--noinput"],
        env=env, check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    article_id, issued = shell(env, SETUP).split()  # the form's timestamp, signed by the site
    with masthead_serving(env, workers=3) as base:
        url = f"{base}/comments/post/{article_id}/"
        jobs = list(range(READERS)) + list(range(0, READERS, 4))  # every fourth twice
        with ThreadPoolExecutor(max_workers=24) as pool:
            results = list(pool.map(lambda n: send(url, n, issued), jobs))

    statuses = Counter(status for _, status, _ in results)
    assert set(statuses) <= {302, 400}, statuses
    assert statuses[302] == READERS
    assert not [body for _, _, body in results if "locked" in body.lower()]
    distinct, most = map(int, shell(env, COUNT).split())
    assert distinct == READERS
    assert most == 1
