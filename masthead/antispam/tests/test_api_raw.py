"""The API with raw requests: WordPress's plugin's shape, bad input, limits, usage reports."""

from __future__ import annotations

import json
from urllib.parse import quote, urlencode

import httpx
import pytest
from django.test import Client

from masthead.antispam.models import ApiKey

from .conftest import BLOG, DISCARD_TEXT, HAM_TEXT, wsgi_transport

pytestmark = pytest.mark.django_db
IP = "198.51.100.23"


@pytest.fixture
def http():
    with httpx.Client(transport=wsgi_transport(), base_url="https://rest.akismet.com") as client:
        yield client


def wordpress_body(key: str | None, **overrides: str) -> str:
    """A comment-check body as WordPress's Akismet plugin builds it (http_build_query)."""
    fields = [
        ("comment_post_ID", "42"),
        ("comment_author", "Ann Reader"),
        ("comment_author_email", "ann@example.net"),
        ("comment_author_url", ""),
        ("comment_content", HAM_TEXT),
        ("comment_type", "comment"),
        ("comment_parent", "0"),
        ("user_ID", "0"),
        ("user_ip", IP),
        ("user_agent", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Firefox/131.0"),
        ("referrer", f"{BLOG}/2025/11/harbour-wall/"),
        ("blog", BLOG),
        ("blog_lang", "en_GB"),
        ("blog_charset", "UTF-8"),
        ("permalink", f"{BLOG}/2025/11/harbour-wall/"),
        ("akismet_comment_nonce", "passed"),
        ("POST_comment", HAM_TEXT),
        ("POST_ak_js", "1764400000123"),
        ("POST_ak_hp_textarea", ""),
        ("HTTP_HOST", "blog.example.org"),
        ("HTTP_USER_AGENT", "Mozilla/5.0"),
        ("HTTP_ACCEPT_LANGUAGE", "en-GB,en;q=0.9"),
        ("REMOTE_ADDR", IP),
        ("REQUEST_URI", "/wp-comments-post.php"),
        ("comment_post_modified_gmt", "2025-11-28 09:14:02"),
        ("comment_date_gmt", "2025-11-29T10:00:00+00:00"),
        ("comment_context[0]", "Local news"),
        ("comment_context[1]", "Harbour"),
        ("callback", f"{BLOG}/wp-json/akismet/v1/webhook"),
    ]
    if key is not None:
        fields.append(("api_key", key))
    data = dict(fields)
    data.update(overrides)
    return urlencode(list(data.items()), quote_via=quote)


def post(http, path: str, body: str | bytes, **headers: str) -> httpx.Response:
    headers.setdefault("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")
    headers.setdefault("User-Agent", "WordPress/6.8.1 | Akismet/5.5")
    return http.post(path, content=body, headers=headers)


def test_a_wordpress_comment_check(http, api_key):
    response = post(http, "/1.1/comment-check", wordpress_body(api_key))
    assert response.status_code == 200
    assert response.text == "false"
    assert response.headers["X-akismet-guid"]
    assert "private" in response.headers["Cache-Control"]


def test_the_key_may_come_in_the_host_header_as_wordpress_sends_it(http, api_key):
    response = post(
        http, "/1.1/comment-check", wordpress_body(None), Host=f"{api_key}.rest.akismet.com"
    )
    assert response.text == "false"


def test_wordpress_verify_key_sends_key_not_api_key(http, api_key):
    body = urlencode({"key": api_key, "blog": BLOG})
    assert post(http, "/1.1/verify-key", body).text == "valid"
    wrong = post(http, "/1.1/verify-key", urlencode({"key": api_key, "blog": "https://x.org"}))
    assert wrong.text == "invalid"
    assert "belongs to" in wrong.headers["X-akismet-debug-help"]


def test_administrators_comma_separated_roles_are_ham(http, api_key):
    body = wordpress_body(api_key, comment_content=DISCARD_TEXT, user_role="editor,administrator")
    assert post(http, "/1.1/comment-check", body).text == "false"


def test_blatant_spam_carries_the_discard_pro_tip(http, api_key):
    response = post(
        http, "/1.1/comment-check", wordpress_body(api_key, comment_content=DISCARD_TEXT)
    )
    assert response.text == "true"
    assert response.headers["X-akismet-pro-tip"] == "discard"


def test_a_filled_honeypot_is_spam(http, api_key):
    body = wordpress_body(
        api_key, honeypot_field_name="ak_hp_textarea", ak_hp_textarea="http://spam.example"
    )
    response = post(http, "/1.1/comment-check", body)
    assert response.text == "true"
    assert "X-akismet-pro-tip" not in response.headers


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"user_ip": ""}, "user_ip"),
        ({"user_ip": "not-an-address"}, "not an IP address"),
        ({"blog": ""}, "blog"),
        ({"blog": "https://elsewhere.example.com"}, "belongs to"),
        ({"api_key": "0123456789ab"}, "Invalid API key"),
        ({"api_key": ""}, "api_key"),
    ],
)
def test_bad_fields_answer_invalid_with_a_reason(http, api_key, change, reason):
    response = post(http, "/1.1/comment-check", wordpress_body(api_key, **change))
    assert response.status_code == 200
    assert response.text == "invalid"
    assert reason in response.headers["X-akismet-debug-help"]
    assert response.headers["X-akismet-guid"]


def test_a_body_over_64_kb_is_refused_unread(http, api_key):
    body = wordpress_body(api_key, comment_content="x" * (64 * 1024))
    response = post(http, "/1.1/comment-check", body)
    assert (response.status_code, response.text) == (200, "invalid")
    assert "64 KB" in response.headers["X-akismet-debug-help"]


def test_a_body_just_under_64_kb_is_checked(http, api_key):
    body = wordpress_body(api_key)
    body += "&comment_content=" + "y" * (64 * 1024 - len(body) - 20)
    assert len(body) <= 64 * 1024
    assert post(http, "/1.1/comment-check", body).text in {"true", "false"}


def test_invalid_utf8_is_refused(http, api_key):
    body = wordpress_body(api_key).encode() + b"&comment_author=%FF%FEbad"
    response = post(http, "/1.1/comment-check", body)
    assert response.text == "invalid"
    assert "UTF-8" in response.headers["X-akismet-debug-help"]


def test_a_declared_latin1_charset_is_honoured(http, api_key):
    body = wordpress_body(api_key, blog_charset="ISO-8859-1").encode() + b"&comment_author=Ren%E9"
    assert post(http, "/1.1/comment-check", body).text == "false"


def test_multipart_bodies_are_refused(http, api_key):
    response = http.post(
        "/1.1/comment-check", data={"api_key": api_key, "blog": BLOG}, files={"f": b"x"}
    )
    assert response.text == "invalid"
    assert "x-www-form-urlencoded" in response.headers["X-akismet-debug-help"]


def test_the_wrong_method_is_refused_politely(http, api_key):
    response = http.get("/1.1/comment-check", params={"api_key": api_key})
    assert (response.status_code, response.text) == (405, "invalid")
    assert response.headers["Allow"] == "POST"


def test_a_revoked_key_stops_working(http, api_key):
    from masthead.antispam.keys import api_key_revoke

    api_key_revoke(key=api_key)
    assert post(http, "/1.1/comment-check", wordpress_body(api_key)).text == "invalid"
    assert post(http, "/1.1/verify-key", urlencode({"key": api_key, "blog": BLOG})).text == (
        "invalid"
    )


def test_the_rate_limit_of_a_key(http, api_key):
    ApiKey.objects.update(rate_limit=2)
    answers = [post(http, "/1.1/comment-check", wordpress_body(api_key)) for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 429]
    assert answers[2].text == "invalid"
    assert answers[2].headers["Retry-After"] == "60"


def test_the_monthly_limit_throttles_at_the_limit(http, api_key):
    ApiKey.objects.update(monthly_limit=2)
    codes = [post(http, "/1.1/comment-check", wordpress_body(api_key)).status_code for _ in "abc"]
    assert codes == [200, 200, 429]
    usage = http.get("/1.2/usage-limit", params={"api_key": api_key}).json()
    assert usage == {"limit": 2, "usage": 2, "percentage": "100.00", "throttled": True}


def test_key_sites_reports_each_site_as_akismet_does(http, api_key):
    post(http, "/1.1/comment-check", wordpress_body(api_key))
    post(http, "/1.1/comment-check", wordpress_body(api_key, comment_content=DISCARD_TEXT))
    post(http, "/1.1/submit-ham", wordpress_body(api_key))
    report = http.get("/1.2/key-sites", params={"api_key": api_key}).json()
    (month,) = [k for k in report if k not in {"limit", "offset", "total"}]
    assert report[month] == [
        {"site": "blog.example.org", "api_calls": "2", "spam": "1", "ham": "1",
         "missed_spam": "0", "false_positives": "1", "is_revoked": False}
    ]  # fmt: skip
    assert (report["limit"], report["offset"], report["total"]) == (500, 0, 1)
    csv_text = http.get("/1.2/key-sites", params={"api_key": api_key, "format": "csv"}).text
    assert csv_text.splitlines()[1].startswith("Site,Total API Calls,Spam,Ham")
    assert csv_text.splitlines()[2] == "blog.example.org,2,1,1,0,1,false"


def test_usage_endpoints_answer_invalid_for_an_unknown_key(http, db):
    response = http.get("/1.2/usage-limit", params={"api_key": "0123456789ab"})
    assert response.text == "invalid"
    response = http.get("/1.2/key-sites", params={"api_key": "0123456789ab", "month": "2025-13"})
    assert response.text == "invalid"


def test_through_the_full_middleware_stack_too(api_key):
    """Without masthead.wsgi's shortcut (e.g. runserver) the API still works: CSRF-exempt,
    and never stored by the page cache."""
    client = Client(enforce_csrf_checks=True)
    body = wordpress_body(api_key)
    response = client.post(
        "/1.1/comment-check", body, content_type="application/x-www-form-urlencoded"
    )
    assert response.content == b"false"
    first = client.get("/1.2/usage-limit", {"api_key": api_key})
    client.post("/1.1/comment-check", body, content_type="application/x-www-form-urlencoded")
    second = client.get("/1.2/usage-limit", {"api_key": api_key})
    assert json.loads(first.content)["usage"] == 1
    assert json.loads(second.content)["usage"] == 2
    assert "no-store" in second["Cache-Control"]
