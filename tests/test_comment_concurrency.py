"""200 readers post at once, over real HTTP, to a live server: every comment is stored once.

Runs on whichever database the suite uses (CI runs it on SQLite and on PostgreSQL). Each
reader has an address of their own (sent through a trusted proxy header) and an email of
their own, and one in four sends the form twice at the same moment, as an impatient
double-click would: the second copy must be refused, never stored, and no reader may ever
see a server error such as "database is locked".
"""

from __future__ import annotations

import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest

from masthead.discussion.models import Comment, DiscussionSettings
from masthead.discussion.tokens import form_token
from masthead.newsroom.tests.factories import make_article

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]
READERS = 200
WORKERS = 16  # the live server accepts a backlog of 10; its threads take the rest at once


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def send(url: str, n: int, issued: str) -> tuple[int, int, str]:
    data = urllib.parse.urlencode(
        {
            "body": f"Concurrent comment number {n}.",
            "author_name": f"Reader {n}",
            "author_email": f"reader{n}@example.net",
            "issued": issued,
        }
    ).encode()
    request = urllib.request.Request(url, data=data, method="POST")
    request.add_header("X-Forwarded-For", f"2001:db8::{n:x}")
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=60) as response:
            return n, response.status, response.read().decode()
    except urllib.error.HTTPError as err:
        return n, err.code, err.read().decode()


def test_two_hundred_concurrent_comments_are_each_stored_exactly_once(live_server, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    config = DiscussionSettings.load()
    config.flood_seconds = 15
    config.save()
    article = make_article(headline="Busy story")
    url = f"{live_server.url}/comments/post/{article.pk}/"
    jobs = list(range(READERS)) + list(range(0, READERS, 4))  # every fourth twice
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        issued = form_token(article.pk, issued_at=time.time() - 60)
        results = list(pool.map(lambda n: send(url, n, issued), jobs))

    statuses = Counter(status for _, status, _ in results)
    assert set(statuses) <= {302, 400}, statuses
    assert statuses[302] == READERS
    assert not [body for _, _, body in results if "locked" in body.lower()]
    for _, status, body in results:
        if status == 400:
            assert "too quickly" in body or "already posted" in body
    stored = Counter(Comment.objects.filter(article=article).values_list("body", flat=True))
    assert len(stored) == READERS
    assert set(stored.values()) == {1}
