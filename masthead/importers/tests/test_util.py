"""Small conversions: dates, slugs, site keys, addresses."""

from datetime import UTC, datetime

import pytest

from masthead.importers.util import (
    anonymise_ip,
    make_slug,
    parse_rfc822,
    parse_wp_date,
    query_post_id,
    site_key,
    url_path,
)


def test_wordpress_dates():
    assert parse_wp_date("2024-06-05 16:04:48") == datetime(2024, 6, 5, 16, 4, 48, tzinfo=UTC)
    assert parse_wp_date("0000-00-00 00:00:00") is None
    assert parse_wp_date("2024-02-30 00:00:00") is None
    assert parse_wp_date("") is None


def test_rss_dates_keep_their_offset_and_1970_means_none():
    assert parse_rfc822("Wed, 05 Jun 2024 18:04:48 +0200") == datetime(
        2024, 6, 5, 16, 4, 48, tzinfo=UTC
    )
    assert parse_rfc822("Thu, 01 Jan 1970 00:00:00 +0000") is None
    assert parse_rfc822("not a date") is None


def test_slugs_are_ascii_and_fall_back():
    assert make_slug("%e2%80%9chello%e2%80%9d-world", fallback="x") == "hello-world"
    assert make_slug("", "Déjà vu", fallback="x") == "deja-vu"
    # WordPress keeps non-Latin slugs percent-encoded; they come in transliterated.
    assert make_slug("%d0%bd%d0%be%d0%b2%d1%8b%d0%b9-%d0%bc%d0%be%d1%81%d1%82", fallback="x") == (
        "novyy-most"
    )
    assert make_slug("", "中文", fallback="post-12") == "zhongwen"
    assert make_slug("", "!?", fallback="post-12") == "post-12"
    assert make_slug("", "🔥 Fire", fallback="x") == "fire"  # pictographs are not spelled out
    assert make_slug("🔥", "", fallback="post-12") == "post-12"
    assert len(make_slug("a" * 300, fallback="x")) == 200


@pytest.mark.parametrize(
    "url",
    [
        "https://Old.Example.org/blog/",
        "http://old.example.org/blog",
        "https://www.old.example.org/blog",
    ],
)
def test_the_same_site_over_http_or_https_is_one_source(url):
    assert site_key(url) == "old.example.org/blog"


def test_site_key_takes_the_first_usable_address():
    assert site_key("", "not a url", "https://b.example") == "b.example"
    assert site_key("", "") == ""


def test_paths_and_query_ids():
    assert url_path("https://e.org/2019/04/%C3%A9t%C3%A9/") == "/2019/04/été/"
    assert url_path("") == ""
    assert query_post_id("https://e.org/?p=19") == "19"
    assert query_post_id("https://e.org/?page_id=7") == "7"
    assert query_post_id("https://e.org/?p=abc") == ""


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("192.0.2.77", "192.0.2.0"),
        ("::ffff:86.56.63.9", "86.56.63.0"),
        ("2001:db8:abcd:12::1", "2001:db8:abcd::"),
        ("not an address", ""),
        ("", ""),
    ],
)
def test_addresses_are_shortened_before_storage(given, kept):
    assert anonymise_ip(given) == kept
