"""The WSGI fast path answers cached pages before Django builds a request."""

from __future__ import annotations

import io
from wsgiref.util import setup_testing_defaults

import pytest
from django.core.wsgi import get_wsgi_application

from masthead.core.pagecache import PageCacheApplication
from masthead.newsroom import services
from masthead.newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.MASTHEAD_PAGE_CACHE_SECONDS = 600


class Recorder:
    """The Django application, counting the requests that reach it."""

    def __init__(self):
        self.inner = get_wsgi_application()
        self.calls = 0

    def __call__(self, environ, start_response):
        self.calls += 1
        return self.inner(environ, start_response)


def call(app, path: str, **headers) -> tuple[str, dict, bytes]:
    environ = {"PATH_INFO": path, "HTTP_HOST": "news.example.org", "wsgi.input": io.BytesIO()}
    environ.update({f"HTTP_{k.upper()}": v for k, v in headers.items()})
    setup_testing_defaults(environ)
    result = {}

    def start_response(status, response_headers, exc_info=None):
        result["status"], result["headers"] = status, dict(response_headers)

    body = b"".join(app(environ, start_response))
    return result["status"], result["headers"], body


def test_a_cached_page_is_served_without_reaching_django():
    article = make_article(headline="Fast lane")
    django_app = Recorder()
    app = PageCacheApplication(django_app)
    status, headers, first = call(app, article.get_absolute_url())
    assert status.startswith("200")
    assert headers["X-Page-Cache"] == "miss"
    status, headers, second = call(app, article.get_absolute_url())
    assert headers["X-Page-Cache"] == "hit"
    assert second == first
    assert django_app.calls == 1
    assert headers["ETag"]
    assert "public" in headers["Cache-Control"]


def test_the_fast_path_answers_304_to_a_matching_etag():
    article = make_article()
    app = PageCacheApplication(Recorder())
    _, headers, _ = call(app, article.get_absolute_url())
    status, _, body = call(app, article.get_absolute_url(), if_none_match=headers["ETag"])
    assert status.startswith("304")
    assert body == b""


def test_a_purge_sends_the_next_request_to_django():
    article = make_article(headline="Before")
    django_app = Recorder()
    app = PageCacheApplication(django_app)
    call(app, article.get_absolute_url())
    article.headline = "After"
    services.article_save(article=article)
    _, headers, body = call(app, article.get_absolute_url())
    assert headers["X-Page-Cache"] == "miss"
    assert b"After" in body
    assert django_app.calls == 2


@pytest.mark.parametrize("cookie", ["sessionid=abc", "masthead_pending=x", "masthead_commenter=y"])
def test_readers_with_personal_cookies_always_reach_django(cookie):
    article = make_article()
    django_app = Recorder()
    app = PageCacheApplication(django_app)
    call(app, article.get_absolute_url())
    _, headers, _ = call(app, article.get_absolute_url(), cookie=cookie)
    assert headers.get("X-Page-Cache") != "hit"
    assert django_app.calls == 2


def test_unknown_hosts_are_never_answered_from_the_cache(settings):
    settings.ALLOWED_HOSTS = ["news.example.org"]
    article = make_article()
    app = PageCacheApplication(Recorder())
    call(app, article.get_absolute_url())
    status, _, _ = call(app, article.get_absolute_url(), host="evil.example")
    assert status.startswith("400")
