"""The privacy page, cookies only when asked, and export and erasure by email address."""

from __future__ import annotations

import base64
import json
import re
import time
from datetime import timedelta
from unittest import mock

import pytest
from django.contrib.auth.models import User
from django.core import mail, signing

from masthead.discussion.conf import PENDING_COOKIE, REMEMBER_COOKIE
from masthead.discussion.models import Comment, DiscussionSettings, ModerationLog, Subscription
from masthead.discussion.tests.conftest import make_comment, post, update

pytestmark = pytest.mark.django_db
Status = Comment.Status


def test_the_privacy_page_follows_the_live_configuration(client, config):
    html = client.get("/privacy/").content.decode()
    assert "stored truncated" in html
    assert "dropped after 30 days" in html
    assert "spam are deleted after 15 days" in html
    assert "trash after 30 days" in html
    assert "not sent to any third party" in html
    assert REMEMBER_COOKIE in html
    assert PENDING_COOKIE in html
    # Every cookie the page itself sets is on its list, and lasts as long as it says.
    response = client.get("/privacy/")
    for name, cookie in response.cookies.items():
        assert f"<code>{name}</code>" in html
        days = int(cookie["max-age"]) // 86400
        assert f"<code>{name}</code>: set by the pages with a form" in html
        assert f"expires after {days} days" in html
    assert "csrftoken" in response.cookies
    update(config, ip_policy=DiscussionSettings.IPPolicy.HASH, ip_retention_days=7,
           spam_purge_days=3)  # fmt: skip
    html = client.get("/privacy/").content.decode()
    assert "keyed hash" in html
    assert "dropped after 7 days" in html
    assert "spam are deleted after 3 days" in html
    update(config, ip_policy=DiscussionSettings.IPPolicy.NONE)
    assert "not stored at all" in client.get("/privacy/").content.decode()


def test_no_cookie_unless_the_box_is_ticked(client, article, config):
    response = post(client, article)
    assert REMEMBER_COOKIE not in response.cookies
    response = post(client, article, remember="yes", author_name="Ann", author_email="ann@x.org",
                    body="Remembered")  # fmt: skip
    cookie = response.cookies[REMEMBER_COOKIE]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    html = client.get(article.get_absolute_url()).content.decode()
    assert 'value="Ann"' in html
    assert 'name="remember" type="checkbox" value="yes" checked' in html
    response = post(client, article, body="Forget me now", author_email="ann@x.org")
    assert response.cookies[REMEMBER_COOKIE].value == ""  # deleted


def test_pending_cookie_only_for_held_comments(client, article, config):
    assert PENDING_COOKIE not in post(client, article).cookies
    update(config, hold_all=True, auto_approve_known=False)
    assert PENDING_COOKIE in post(client, article, body="Held").cookies


@pytest.fixture
def data_request(django_capture_on_commit_callbacks):
    """Ask for a copy or erasure; the email goes out once the request's transaction commits."""

    def ask(client, email: str, action: str):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post("/privacy/", {"email": email, "action": action})

    return ask


def confirm_link() -> str:
    return re.search(r"https://news\.example\.org(/privacy/confirm/\S+)", mail.outbox[-1].body)[1]


@pytest.fixture
def commenter_data(article, config):
    mine = [
        make_comment(article, author_email="me@example.net", author_name="Me", body="Published",
                     ip_address="203.0.113.0", user_agent="UA"),
        make_comment(article, author_email="ME@example.net", status=Status.PENDING, body="Held"),
    ]  # fmt: skip
    other = make_comment(article, author_email="other@example.net", body="Not mine")
    Subscription.objects.create(article=article, email="me@example.net")
    return mine, other


def test_export_by_email_after_confirmation(client, commenter_data, data_request):
    response = data_request(client, "me@example.net", "export")
    assert "Check your email" in response.content.decode()
    assert mail.outbox[-1].to == ["me@example.net"]
    url = confirm_link()
    assert "Download my data" in client.get(url).content.decode()  # a GET changes nothing
    download = client.post(url)
    assert download["Content-Type"].startswith("application/json")
    data = json.loads(download.content)
    assert sorted(c["comment"] for c in data["comments"]) == ["Held", "Published"]
    assert data["comments"][0]["ip_address"] == "203.0.113.0"
    assert len(data["subscriptions"]) == 1
    assert "Not mine" not in download.content.decode()


def test_erasure_by_email_after_confirmation(client, commenter_data, data_request):
    (published, held), other = commenter_data
    data_request(client, "me@example.net", "erase")
    url = confirm_link()
    assert "Erase my data" in client.get(url).content.decode()  # a GET changes nothing
    assert Comment.objects.filter(pk=held.pk).exists()
    assert "erased" in client.post(url).content.decode()
    assert not Comment.objects.filter(pk=held.pk).exists()
    published.refresh_from_db()
    assert (published.author_name, published.author_email, published.ip_address,
            published.user_agent) == ("", "", "", "")  # fmt: skip
    assert published.body == "Published"
    assert not Subscription.objects.exists()
    assert Comment.objects.get(pk=other.pk).author_email == "other@example.net"
    assert ModerationLog.objects.filter(action="erase").count() == 1


def test_unknown_addresses_get_the_same_answer_and_no_email(client, config, data_request):
    response = data_request(client, "nobody@example.net", "export")
    assert "Check your email" in response.content.decode()
    assert mail.outbox == []


def test_requests_are_rate_limited_per_address(client, commenter_data, data_request):
    data_request(client, "me@example.net", "export")
    data_request(client, "me@example.net", "export")
    assert len(mail.outbox) == 1


def test_the_link_does_not_reveal_the_address(client, commenter_data, data_request, settings):
    """Links end up in browser histories and mail scanners' logs: the address is encrypted,
    not just signed (a signed token is base64 anyone can read)."""
    data_request(client, "me@example.net", "erase")
    token = confirm_link().rstrip("/").rsplit("/", 1)[1]
    padded = token + "=" * (-len(token) % 4)
    assert b"me@example.net" not in base64.urlsafe_b64decode(padded)
    tampered = token[:-3] + ("AAA" if token[-3:] != "AAA" else "BBB")
    assert client.post(f"/privacy/confirm/{tampered}/").status_code == 404
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]  # a rotated key keeps links working
    settings.SECRET_KEY = "rotated-" + "k" * 50
    assert "Erase my data" in client.get(f"/privacy/confirm/{token}/").content.decode()


def test_links_expire_and_older_signed_links_still_work(client, commenter_data):
    from masthead.discussion import tokens

    old = signing.dumps(["me@example.net", "export"], salt="masthead.discussion.data-request")
    assert "Download my data" in client.get(f"/privacy/confirm/{old}/").content.decode()
    token = tokens.make("data-request", ["me@example.net", "export"])
    assert tokens.read("data-request", token, max_age=timedelta(days=7)) == [
        "me@example.net", "export",
    ]  # fmt: skip
    later = time.time() + 8 * 86400
    with mock.patch("cryptography.fernet.time.time", return_value=later):
        assert tokens.read("data-request", token, max_age=timedelta(days=7)) is None
    assert tokens.read("confirm", token) is None  # another purpose's key


def test_a_forged_confirmation_link_does_nothing(client, commenter_data):
    assert client.post("/privacy/confirm/not-a-token/").status_code == 404
    assert Comment.objects.count() == 3


def test_administrators_export_and_erase_in_the_admin(client, commenter_data):
    admin = User.objects.create_superuser("root", "root@example.org", "pw")
    client.force_login(admin)
    url = "/admin/discussion/comment/personal-data/"
    exported = client.post(url, {"email": "me@example.net", "action": "export"})
    assert len(json.loads(exported.content)["comments"]) == 2
    client.post(url, {"email": "me@example.net", "action": "erase"})
    assert not Comment.objects.filter(author_email__iexact="me@example.net").exists()
    assert ModerationLog.objects.filter(action="erase", user=admin).exists()


def test_editors_cannot_use_the_personal_data_tool(client, config):
    from django.contrib.auth.models import Group

    editor = User.objects.create_user("ed", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editor"))
    client.force_login(editor)
    assert client.get("/admin/discussion/comment/personal-data/").status_code == 403


def test_an_empty_address_never_matches_comments_without_one(article, config):
    from masthead.discussion.privacy import personal_data_erase

    make_comment(article, author_email="")
    with pytest.raises(ValueError, match="email address is needed"):
        personal_data_erase(email=" ")
    assert Comment.objects.count() == 1
