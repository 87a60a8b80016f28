"""The Python client over a real connection, through the transport docs/akismet-api.md
gives for pointing it at a Masthead site (here, the live test server)."""

from __future__ import annotations

import akismet
import httpx
import pytest

from .conftest import BLOG, HAM_TEXT


class ToMasthead(httpx.HTTPTransport):
    """As in docs/akismet-api.md."""

    def __init__(self, site: str) -> None:
        super().__init__()
        self.site = httpx.URL(site)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.url = request.url.copy_with(
            scheme=self.site.scheme, host=self.site.host, port=self.site.port
        )
        request.headers["Host"] = self.site.netloc.decode()
        return super().handle_request(request)


@pytest.mark.django_db(transaction=True)
def test_the_documented_transport_reaches_a_live_site(live_server):
    from masthead.antispam.keys import api_key_create

    _row, key = api_key_create(site=BLOG)
    http = httpx.Client(transport=ToMasthead(live_server.url), timeout=10)
    client = akismet.SyncClient.validated_client(
        config=akismet.Config(key=key, url=BLOG), http_client=http
    )
    assert client.comment_check("203.0.113.7", comment_content=HAM_TEXT) == (
        akismet.CheckResponse.HAM
    )
    assert client.comment_check("203.0.113.7", comment_author="akismet-guaranteed-spam") == (
        akismet.CheckResponse.SPAM
    )
    http.close()
