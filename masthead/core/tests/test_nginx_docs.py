"""The nginx configuration docs/deployment.md gives for serving cached pages from disk, run
as written with Debian's nginx in front of Masthead: anonymous pages come from disk, with
Masthead's security headers; everything else (sign-ins, comment posts, searches, signed-in
editors, pages with a query) reaches Masthead. Operators copy this block: it must work."""

from __future__ import annotations

import shutil
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from conftest import skip_or_fail
from masthead.newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def nginx(live_server, settings):
    if not (shutil.which("nginx") or Path("/usr/sbin/nginx").exists()):
        skip_or_fail("nginx is not installed (Debian: apt install nginx-light)")
    from bench.http import nginx_fronting

    # nginx's workers run as an unprivileged user: pytest's own folders are closed to them.
    home = Path(tempfile.mkdtemp(prefix="masthead-nginx-test-"))
    home.chmod(0o755)
    mirror = home / "pages"
    settings.MASTHEAD_PAGE_CACHE_SECONDS = 600
    settings.MASTHEAD_PAGE_CACHE_DIR = str(mirror)
    upstream = urllib.parse.urlsplit(live_server.url).netloc
    try:
        with nginx_fronting(upstream, mirror, workers=1) as url:
            yield url, mirror
    finally:
        shutil.rmtree(home, ignore_errors=True)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch(url: str, *, data: bytes | None = None, cookie: str = ""):
    request = urllib.request.Request(url, data=data, headers={"Cookie": cookie} if cookie else {})
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=20) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, err.headers, err.read().decode()


def test_the_docs_nginx_block_serves_pages_from_disk_and_passes_the_rest(nginx):
    url, mirror = nginx
    article = make_article(headline="Harbour wall opens")
    path = article.get_absolute_url()

    status, headers, body = fetch(url + path)  # first: Masthead makes it and writes it
    assert (status, "Harbour wall opens" in body) == (200, True)
    assert any(mirror.rglob("index.html"))
    status, headers, body = fetch(url + path)  # then: nginx, from disk
    assert status == 200
    assert "Harbour wall opens" in body
    assert "X-Page-Cache" not in headers  # not from Masthead at all
    assert headers["Cache-Control"] == "public, max-age=60"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"

    # What must never come from disk reaches Masthead (an nginx 404 is the failure here).
    status, _, body = fetch(url + "/admin/login/", data=b"username=a&password=b")
    assert status == 403  # Masthead's CSRF refusal: it got there
    assert "Your form was not sent" in body
    status, _, body = fetch(url + "/search/?q=harbour")
    assert status == 200
    assert "Harbour wall opens" in body
    status, headers, _ = fetch(url + path, cookie="sessionid=abc")
    assert status == 200
    assert "Cross-Origin-Opener-Policy" in headers  # Masthead's own answer
    status, _, _ = fetch(url + f"/comments/post/{article.pk}/", data=b"body=x")
    assert status in (302, 400)  # refused or redirected by Masthead, not nginx's 404
    status, _, _ = fetch(url + "/no-such-page/")
    assert status == 404
