"""If Redis goes away, pages are still served from the database."""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import time
from contextlib import contextmanager

import pytest
from django.core.cache import caches

from conftest import skip_or_fail
from masthead.core import cache as resilient
from masthead.newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def own_redis():
    """A private redis-server we can stop mid-test without disturbing anyone else's."""
    binary = shutil.which("redis-server")
    if not binary:
        skip_or_fail("redis-server is not installed")
    port = free_port()
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    yield process, f"redis://127.0.0.1:{port}/0"
    process.kill()
    process.wait()


def use_cache(settings, url: str) -> None:
    settings.CACHES = {
        "default": {
            "BACKEND": "masthead.core.cache.ResilientRedisCache",
            "LOCATION": url,
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    # Django's setting_changed handler rebuilds the cache connections.


def test_pages_are_served_when_redis_goes_away_mid_run(client, settings, own_redis, monkeypatch):
    process, url = own_redis
    use_cache(settings, url)
    monkeypatch.setattr(resilient, "RETRY_AFTER", 0.0)
    article = make_article(headline="Still here")
    cache = caches["default"]
    cache.set("probe", 1)
    assert cache.get("probe") == 1, "the private Redis works"
    assert client.get(article.get_absolute_url()).status_code == 200

    process.kill()
    process.wait()
    assert cache.get("probe") is None
    assert cache.get("probe", "fallback") == "fallback"
    cache.set("probe", 2)  # dropped, not raised
    for url_path in ("/", article.get_absolute_url(), "/search/?q=still", "/feed/"):
        response = client.get(url_path)
        assert response.status_code == 200, url_path
    assert "Still here" in client.get(article.get_absolute_url()).content.decode()


def test_an_unreachable_redis_is_not_retried_on_every_call(settings, monkeypatch):
    use_cache(settings, "redis://127.0.0.1:9/0")  # nothing listens on the discard port
    cache = caches["default"]
    calls = []
    original = resilient.RedisCache.get

    def counting(self, *args, **kwargs):
        calls.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(
        resilient.ResilientRedisCache, "get", resilient._degrade(resilient._default)(counting)
    )
    for _ in range(20):
        assert cache.get("anything") is None
    assert len(calls) == 1


@pytest.fixture
def cached_story(client, settings, own_redis, monkeypatch):
    """A story whose page is in the private Redis's page cache: (redis process, story)."""
    process, url = own_redis
    use_cache(settings, url)
    settings.MASTHEAD_PAGE_CACHE_SECONDS = 600
    monkeypatch.setattr(resilient, "RETRY_AFTER", 0.0)
    article = make_article(headline="Changed in the outage")
    client.get(article.get_absolute_url())
    assert client.get(article.get_absolute_url())["X-Page-Cache"] == "hit"
    return process, article


def test_a_purge_made_during_an_outage_reaches_the_cache_when_it_is_back(
    client, cached_story, django_capture_on_commit_callbacks
):
    """Otherwise the pages stored before the outage are served again once Redis returns:
    an unpublished story stays readable for the cache's lifetime."""
    from masthead.core import pagecache
    from masthead.newsroom import services

    process, article = cached_story
    path = article.get_absolute_url()
    process.send_signal(signal.SIGSTOP)  # Redis stops answering, and keeps its data
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.article_unpublish(article=article)
        assert pagecache._unpurged
        assert client.get(path).status_code == 404  # from the database meanwhile
    finally:
        process.send_signal(signal.SIGCONT)
    assert pagecache.retry_purges()  # what the worker does every tick
    assert not pagecache._unpurged
    assert client.get(path).status_code == 404


def test_the_first_cached_page_after_an_outage_sends_the_held_purges(client, cached_story):
    from masthead.core import pagecache

    process, article = cached_story
    path = article.get_absolute_url()
    process.send_signal(signal.SIGSTOP)
    try:
        pagecache._renew([f"article:{article.pk}", pagecache.ALWAYS])
        assert pagecache._unpurged
    finally:
        process.send_signal(signal.SIGCONT)
    response = client.get(path)  # this process held a purge back: it sends it first
    assert response["X-Page-Cache"] != "hit"
    assert not pagecache._unpurged


@contextmanager
def unreachable(settings, url: str):
    """Redis out of reach (the cache pointed at a port nobody listens on), its data kept;
    unlike a stopped process, nothing sent meanwhile is applied when it is back."""
    use_cache(settings, "redis://127.0.0.1:9/0")
    try:
        yield
    finally:
        use_cache(settings, url)


def test_a_purge_outlives_the_process_that_could_not_send_it(
    client, settings, own_redis, cached_story, django_capture_on_commit_callbacks
):
    """A ``masthead restore`` or import run during the outage ends before Redis is back: its
    purge is in the database, and the worker's next tick sends it."""
    from masthead.core import pagecache, postponed
    from masthead.core.models import PostponedCacheDelete
    from masthead.newsroom import services

    _, article = cached_story
    path = article.get_absolute_url()
    with unreachable(settings, own_redis[1]):
        with django_capture_on_commit_callbacks(execute=True):
            services.article_unpublish(article=article)
        assert not postponed.retry()  # still unreachable: kept
        pagecache._unpurged.clear()  # the process that failed has ended
    kept = set(PostponedCacheDelete.objects.values_list("key", flat=True))
    assert {f"pagecache:v:article:{article.slug}", "pagecache:v:home"} <= kept
    stale = client.get(path)
    assert (stale.status_code, stale["X-Page-Cache"]) == (200, "hit")  # what it prevents
    assert postponed.retry()  # the worker's tick
    assert not PostponedCacheDelete.objects.exists()
    assert client.get(path).status_code == 404


def test_a_cache_delete_made_during_an_outage_is_made_when_the_cache_is_back(
    settings, own_redis, monkeypatch
):
    from masthead.core import postponed
    from masthead.core.models import PostponedCacheDelete

    url = own_redis[1]
    use_cache(settings, url)
    monkeypatch.setattr(resilient, "RETRY_AFTER", 0.0)
    key = "newsroom:navigation:v2"
    caches["default"].set(key, ["stale sections"])
    postponed.delete_keys(key)  # reached: nothing kept
    assert caches["default"].get(key) is None
    assert not PostponedCacheDelete.objects.exists()
    caches["default"].set(key, ["stale sections"])
    with unreachable(settings, url):
        postponed.delete_keys(key)
    assert caches["default"].get(key) == ["stale sections"]
    assert postponed.retry()
    assert caches["default"].get(key) is None
    assert not PostponedCacheDelete.objects.exists()
