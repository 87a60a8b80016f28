"""Pages answered from the cache before Django runs (``masthead.wsgi``'s fast path) carry
the same security headers as the page Django made."""

import httpx
import pytest
from django.core.handlers.wsgi import WSGIHandler

from masthead.core.pagecache import PageCacheApplication
from masthead.newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db(transaction=True)
SECURITY = [
    "Strict-Transport-Security",
    "X-Content-Type-Options",
    "X-Frame-Options",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
]


@pytest.mark.parametrize("https", [True, False])
def test_a_cached_page_has_the_headers_of_the_page_django_made(settings, https):
    settings.MASTHEAD_PAGE_CACHE_SECONDS = 600
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")  # a trusted proxy
    settings.ALLOWED_HOSTS = ["news.example.org"]
    path = make_article().get_absolute_url()
    headers = {"Host": "news.example.org", "X-Forwarded-Proto": "https" if https else "http"}
    # Django's middleware reads its settings when the handler is made: made here, after them.
    application = PageCacheApplication(WSGIHandler())
    transport = httpx.WSGITransport(app=application)
    with httpx.Client(transport=transport, base_url="http://news.example.org") as client:
        made = client.get(path, headers=headers)
        cached = client.get(path, headers=headers)
    assert made.status_code == cached.status_code == 200
    assert made.headers.get("X-Page-Cache") != "hit"
    assert cached.headers["X-Page-Cache"] == "hit"
    for name in SECURITY:
        assert cached.headers.get(name) == made.headers.get(name), name
    assert ("Strict-Transport-Security" in cached.headers) is https  # only over https
    assert cached.headers["X-Frame-Options"] == "DENY"
