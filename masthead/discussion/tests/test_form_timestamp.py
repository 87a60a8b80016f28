"""The comment form's signed timestamp: too fast, too old, missing or forged is refused."""

from __future__ import annotations

import re
import time
from datetime import datetime, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from masthead.discussion import services, tokens
from masthead.discussion.models import Comment
from masthead.discussion.services import CommentInput
from masthead.discussion.spam import RequestMeta
from masthead.discussion.tests.conftest import post
from masthead.newsroom.tests.factories import make_article

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_spam_filter")]
NOW = timezone.make_aware(datetime(2025, 11, 29, 12, 0, 0))


def submit(article, issued: str, *, now=NOW, user=None) -> services.PostResult:
    return services.comment_post(
        article=article,
        data=CommentInput(
            body="Ordinary words.", author_name="Reader", author_email="r@example.net",
            issued=issued,
        ),
        meta=RequestMeta(ip="203.0.113.40"),
        user=user,
        now=now,
    )  # fmt: skip


def made(article, seconds_before: float) -> str:
    return tokens.form_token(article.pk, issued_at=NOW.timestamp() - seconds_before)


@pytest.mark.parametrize(("seconds", "stored"), [(0, False), (2, False), (3, True), (4, True)])
def test_a_form_sent_faster_than_three_seconds_is_refused(article, config, seconds, stored):
    result = submit(article, made(article, seconds))
    assert (result.comment is not None) is stored
    if not stored:
        assert "wait a few seconds" in result.rejected


@pytest.mark.parametrize(
    ("age", "stored"),
    [(timedelta(hours=24) - timedelta(seconds=1), True), (timedelta(hours=24), True),
     (timedelta(hours=24, seconds=1), False)],
)  # fmt: skip
def test_a_form_older_than_a_day_has_expired(article, config, age, stored):
    result = submit(article, made(article, age.total_seconds()))
    assert (result.comment is not None) is stored
    if not stored:
        assert "expired" in result.rejected


def test_the_limits_are_settings(article, config, settings):
    settings.MASTHEAD_COMMENT_FORM_MIN_SECONDS = 10
    settings.MASTHEAD_COMMENT_FORM_MAX_HOURS = 1
    assert submit(article, made(article, 9)).rejected
    assert submit(article, made(article, 3601)).rejected
    assert submit(article, made(article, 10)).comment is not None


@pytest.mark.parametrize("issued", ["", "garbage", "1234:abc"])
def test_a_post_without_a_genuine_timestamp_is_refused(article, config, issued):
    result = submit(article, issued)
    assert result.comment is None
    assert "not sent whole" in result.rejected


def test_a_timestamp_made_for_another_story_is_refused(article, config):
    other = make_article(headline="Another story")
    assert "not sent whole" in submit(article, made(other, 60)).rejected


def test_moderators_are_not_timed(article, config):
    editor = get_user_model().objects.create_superuser("ed", "ed@example.org", "pw")
    assert submit(article, "", user=editor).comment is not None


def test_the_form_carries_a_fresh_timestamp(client, article, config):
    page = client.get(article.get_absolute_url()).content.decode()
    token = re.search(r'name="issued" value="([^"]+)"', page).group(1)
    issued = tokens.form_issued_at(token, article.pk)
    assert abs(issued - time.time()) < 5


def test_a_refused_post_keeps_the_text_and_gets_a_new_timestamp(client, article, config):
    response = post(client, article, body="My careful words", issued=tokens.form_token(
        article.pk, issued_at=time.time()))  # fmt: skip
    assert response.status_code == 400
    page = response.content.decode()
    assert "wait a few seconds" in page
    assert "My careful words" in page
    assert not Comment.objects.exists()
    # The form shown again can be sent once the reader has waited.
    token = re.search(r'name="issued" value="([^"]+)"', page).group(1)
    assert tokens.form_issued_at(token, article.pk) is not None


def test_the_script_gets_the_form_back_with_a_new_timestamp(client, article, config):
    response = post(client, article, issued="", HTTP_X_REQUESTED_WITH="masthead-comments")
    assert response.status_code == 400
    assert 'name="issued" value="' in response.json()["form"]
