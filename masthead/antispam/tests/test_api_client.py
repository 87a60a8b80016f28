"""The API driven by the real ``akismet`` client from PyPI, sync and async, its requests
routed to Masthead (``masthead.wsgi`` / Django's ASGI handler) through httpx transports."""

from __future__ import annotations

import akismet
import httpx
import pytest
from asgiref.sync import async_to_sync
from django.core.handlers.asgi import ASGIHandler

from masthead.antispam.models import ApiUsage, SpamDecision

from .conftest import BLOG, DISCARD_TEXT, HAM_TEXT, SPAM_TEXT, connections_kept

pytestmark = pytest.mark.django_db
IP = "203.0.113.7"
BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:130.0) Gecko/20100101 Firefox/130.0"


def test_verify_key_accepts_the_key_for_its_site(akismet_client, api_key):
    assert akismet_client.verify_key() is True
    assert akismet_client.verify_key(api_key, "https://other.example.org") is False
    assert akismet_client.verify_key("0123456789ab", BLOG) is False


def test_validated_client_refuses_a_wrong_key():
    http = httpx.Client(transport=_transport())
    with pytest.raises(akismet.APIKeyError):
        akismet.SyncClient.validated_client(
            config=akismet.Config(key="0123456789ab", url=BLOG), http_client=http
        )


def _transport():
    from .conftest import wsgi_transport

    return wsgi_transport()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (HAM_TEXT, akismet.CheckResponse.HAM),
        (SPAM_TEXT, akismet.CheckResponse.SPAM),
        (DISCARD_TEXT, akismet.CheckResponse.DISCARD),
    ],
)
def test_comment_check_answers_ham_spam_and_discard(akismet_client, text, expected):
    result = akismet_client.comment_check(
        IP,
        comment_content=text,
        comment_author="Sam Jones",
        comment_type="comment",
        user_agent=BROWSER,
        permalink=f"{BLOG}/2025/harbour-wall/",
    )
    assert result == expected


def test_documented_test_triggers(akismet_client):
    spam = akismet_client.comment_check(IP, comment_author="akismet-guaranteed-spam", is_test=1)
    by_email = akismet_client.comment_check(
        IP, comment_author_email="akismet-guaranteed-spam@example.com", is_test=True
    )
    admin = akismet_client.comment_check(
        IP, comment_content=DISCARD_TEXT, user_role="administrator", is_test=1
    )
    assert spam == by_email == akismet.CheckResponse.SPAM
    assert admin == akismet.CheckResponse.HAM


def test_submissions_are_stored_as_training_data(akismet_client):
    assert akismet_client.submit_spam(IP, comment_content="Buy followers now", user_agent=BROWSER)
    assert akismet_client.submit_ham(IP, comment_content=HAM_TEXT, comment_author="Ann")
    decisions = {d.comment_content: d for d in SpamDecision.objects.all()}
    assert decisions["Buy followers now"].label == "spam"
    assert decisions[HAM_TEXT].label == "ham"
    assert {d.source for d in decisions.values()} == {"api"}


def test_test_submissions_are_not_learnt(akismet_client):
    assert akismet_client.submit_spam(IP, comment_content="Buy followers now", is_test=1)
    assert akismet_client.submit_ham(IP, comment_content=HAM_TEXT, is_test=True)
    assert not SpamDecision.objects.exists()


def test_usage_limit_counts_this_months_checks(akismet_client):
    for _ in range(3):
        akismet_client.comment_check(IP, comment_content=HAM_TEXT)
    akismet_client.comment_check(IP, comment_content=HAM_TEXT, is_test=1)  # not counted
    usage = akismet_client.usage_limit()
    assert usage == {"limit": "none", "usage": 3, "percentage": "0.00", "throttled": False}
    row = ApiUsage.objects.get()
    assert (row.site, row.checks, row.ham) == ("blog.example.org", 3, 3)


def test_the_async_client_through_asgi(api_key):
    async def run():
        transport = httpx.ASGITransport(app=ASGIHandler())
        async with httpx.AsyncClient(transport=transport) as http:
            client = akismet.AsyncClient(
                config=akismet.Config(key=api_key, url=BLOG), http_client=http
            )
            return (
                await client.verify_key(),
                await client.comment_check(IP, comment_content=HAM_TEXT),
                await client.comment_check(IP, comment_content=SPAM_TEXT),
                await client.comment_check(IP, comment_content=DISCARD_TEXT),
                await client.submit_spam(IP, comment_content="Buy followers now"),
                await client.submit_ham(IP, comment_content=HAM_TEXT),
                await client.usage_limit(),
            )

    with connections_kept():
        verified, ham, spam, discard, spammed, hammed, usage = async_to_sync(run)()
    assert verified is True
    assert (ham, spam, discard) == (
        akismet.CheckResponse.HAM,
        akismet.CheckResponse.SPAM,
        akismet.CheckResponse.DISCARD,
    )
    assert spammed is hammed is True
    assert usage["usage"] == 3
    assert SpamDecision.objects.count() == 2
