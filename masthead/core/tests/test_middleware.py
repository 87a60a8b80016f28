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
