import pytest

from masthead.core.middleware import client_address


@pytest.mark.parametrize(
    ("proxies", "meta", "expected"),
    [
        ([], {"REMOTE_ADDR": "203.0.113.9", "HTTP_X_FORWARDED_FOR": "1.2.3.4"}, "203.0.113.9"),
        (["127.0.0.1"], {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "1.2.3.4"}, "1.2.3.4"),
        (
            ["127.0.0.1", "10.0.0.0/8"],
            {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "6.6.6.6, 1.2.3.4, 10.1.1.1"},
            "1.2.3.4",
        ),
        (
            ["127.0.0.1"],
            {"REMOTE_ADDR": "198.51.100.7", "HTTP_X_FORWARDED_FOR": "1.2.3.4"},
            "198.51.100.7",
        ),
        (
            ["127.0.0.1"],
            {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "garbage"},
            "127.0.0.1",
        ),
        (["127.0.0.1"], {"REMOTE_ADDR": "127.0.0.1"}, "127.0.0.1"),
        (["::1"], {"REMOTE_ADDR": "::1", "HTTP_X_FORWARDED_FOR": "2001:db8::5"}, "2001:db8::5"),
    ],
)
def test_forwarded_for_is_trusted_only_from_configured_proxies(settings, proxies, meta, expected):
    settings.TRUSTED_PROXIES = proxies
    assert client_address(meta) == expected


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["put", "delete", "patch", "options"])
def test_a_method_a_reader_page_does_not_take_gets_a_page_not_an_empty_body(client, method):
    from masthead.newsroom.tests.factories import make_article

    article = make_article()
    for path in (article.get_absolute_url(), f"/comments/post/{article.pk}/", "/privacy/"):
        response = getattr(client, method)(path)
        assert response.status_code == 405
        assert "GET" in response["Allow"]
        assert "That cannot be done at this address" in response.content.decode()
        assert response["Cache-Control"] == "private, no-store"
