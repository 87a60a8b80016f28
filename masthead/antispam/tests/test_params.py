"""Reading Akismet request bodies: arrays, charsets, dates, roles, limits."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from masthead.antispam.api import params as p


def test_form_encoding_and_php_arrays():
    got = p.parse(
        b"comment_content=Hello+there%21&comment_context%5B%5D=News&comment_context%5B1%5D=Harbour"
        b"&POST_ak_js=123&HTTP_ACCEPT=text%2Fhtml&empty=&bare"
    )
    assert got.get("comment_content") == "Hello there!"
    assert got.arrays["comment_context"] == ["News", "Harbour"]
    assert got.get("POST_ak_js") == ""  # not read: nothing uses it
    assert got.other("POST_ak_js") == "123"
    assert got.other("HTTP_ACCEPT") == "text/html"


def test_fields_nobody_reads_are_not_decoded():
    got = p.parse(b"comment_content=ok&POST_junk=%FF%FE&HTTP_X=%E9")
    assert got.get("comment_content") == "ok"


def test_the_body_wins_over_the_query_string():
    assert p.parse(b"blog=https://b.org", b"blog=https://q.org&api_key=k").get("blog") == (
        "https://b.org"
    )


def test_limits_on_size_and_fields():
    field = b"comment_content="
    assert p.parse(field + b"x" * (p.MAX_BODY - len(field))).get("comment_content")
    with pytest.raises(p.BadRequest, match="64 KB"):
        p.parse(field + b"x" * (p.MAX_BODY - len(field) + 1))
    with pytest.raises(p.BadRequest, match="1000 fields"):
        p.parse(b"&".join(b"f%d=1" % i for i in range(p.MAX_FIELDS + 1)))


def test_field_lengths_are_bounded():
    assert len(p.parse(b"user_agent=" + b"u" * 2000).get("user_agent")) == 500


def test_charsets():
    with pytest.raises(p.BadRequest, match="UTF-8"):
        p.parse(b"comment_author=Ren%E9")
    assert p.parse(b"comment_author=Ren%E9&blog_charset=ISO-8859-1").get("comment_author") == "René"
    header = "application/x-www-form-urlencoded; charset=windows-1252"
    assert p.parse(b"comment_author=%93hi%94", content_type=header).get("comment_author") == "“hi”"
    assert (
        p.parse(b"comment_author=Ren%C3%A9&blog_charset=nonsense").get("comment_author") == "René"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-11-29 10:15:00", datetime(2025, 11, 29, 10, 15, tzinfo=UTC)),
        ("2025-11-29T10:15:00Z", datetime(2025, 11, 29, 10, 15, tzinfo=UTC)),
        ("2025-11-29T11:15:00+01:00", datetime(2025, 11, 29, 10, 15, tzinfo=UTC)),
        ("2025-11-29", datetime(2025, 11, 29, tzinfo=UTC)),
        ("yesterday", None),
        ("", None),
    ],
)
def test_dates(text, expected):
    assert p.parse_date(text) == expected


def test_roles_and_flags():
    assert p.roles(" Editor, administrator ,") == frozenset({"editor", "administrator"})
    values = ["1", "true", "TRUE", "0", "false", "", None]
    flags = [p.parse(b"" if v is None else f"is_test={v}".encode()).flag("is_test") for v in values]
    assert flags == [True, True, True, False, False, False, False]


def test_the_honeypot_field_is_named_by_the_client():
    assert p.honeypot(p.parse(b"x=1")) is None
    assert p.honeypot(p.parse(b"honeypot_field_name=hp&hp=")) == ""
    assert p.honeypot(p.parse(b"honeypot_field_name=hp&hp=bot")) == "bot"
    assert p.honeypot(p.parse(b"honeypot_field_name=hp&hidden_honeypot_field=bot")) == "bot"


@pytest.mark.parametrize("ip", ["192.0.2.1", "2001:db8::1", " 192.0.2.1 "])
def test_user_ip_must_be_an_address(ip):
    assert p.require_ip(p.parse(f"user_ip={ip}".encode()))
