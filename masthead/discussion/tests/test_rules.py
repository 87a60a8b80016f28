"""Each discussion setting and moderation rule, at its edges."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from masthead.discussion import services, tokens
from masthead.discussion.models import Comment, DiscussionSettings
from masthead.discussion.services import CommentInput
from masthead.discussion.spam import RequestMeta
from masthead.discussion.tests.conftest import make_comment, post, update
from masthead.newsroom.tests.factories import make_article

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_spam_filter")]
Status = Comment.Status
META = RequestMeta(ip="203.0.113.7", user_agent="Mozilla/5.0 Test", referrer="")


def submit(article, *, meta=META, now=None, **values) -> services.PostResult:
    values.setdefault("body", "A perfectly ordinary comment.")
    values.setdefault("author_name", "Ordinary Reader")
    values.setdefault("author_email", "ordinary@example.net")
    sent = (now or timezone.now()).timestamp()
    values.setdefault("issued", tokens.form_token(article.pk, issued_at=sent - 60))
    return services.comment_post(article=article, data=CommentInput(**values), meta=meta, now=now)


def test_by_default_a_comment_is_published(article, config):
    result = submit(article)
    assert result.comment.status == Status.APPROVED
    assert result.comment.moderation_reasons == []


def test_hold_all_holds_every_comment(article, config):
    update(config, hold_all=True, auto_approve_known=False)
    make_comment(article, author_email="ordinary@example.net")
    result = submit(article)
    assert result.comment.status == Status.PENDING
    assert result.comment.moderation_reasons == ["every comment is held for approval"]


def test_hold_all_lets_an_author_with_an_approved_comment_through(article, config):
    update(config, hold_all=True, auto_approve_known=True)
    assert submit(article).comment.status == Status.PENDING  # not known yet
    make_comment(article, author_email="ORDINARY@example.net", status=Status.APPROVED)
    assert submit(article, body="Another one").comment.status == Status.APPROVED


def test_a_pending_or_spam_comment_does_not_make_an_author_known(article, config):
    update(config, hold_all=True, auto_approve_known=True)
    make_comment(article, author_email="ordinary@example.net", status=Status.SPAM)
    make_comment(article, author_email="ordinary@example.net", status=Status.PENDING)
    assert submit(article).comment.status == Status.PENDING


@pytest.mark.parametrize(
    ("links", "status"),
    [(0, Status.APPROVED), (1, Status.APPROVED), (2, Status.PENDING), (3, Status.PENDING)],
)
def test_comments_with_n_or_more_links_are_held(article, config, links, status):
    body = "Sources: " + " ".join(f"https://example.org/{i}" for i in range(links))
    result = submit(article, body=body)
    assert result.comment.status == status
    if status == Status.PENDING:
        assert result.comment.moderation_reasons == [
            f"{links} links (comments with 2 or more are held)"
        ]


def test_a_link_limit_of_zero_turns_the_rule_off(article, config):
    update(config, hold_links=0)
    body = " ".join(f"https://example.org/{i}" for i in range(10))
    assert submit(article, body=body).comment.status == Status.APPROVED


@pytest.mark.parametrize(
    ("field", "where"),
    [
        ({"body": "Visit my CASINO"}, "text"),
        ({"author_name": "Casino King"}, "name"),
        ({"author_email": "casino@example.net"}, "email"),
        ({"author_url": "https://casino.example.net"}, "website"),
    ],
)
def test_moderation_words_hold_a_comment_wherever_they_appear(article, config, field, where):
    update(config, moderation_words="poker\ncasino\n")
    result = submit(article, **field)
    assert result.comment.status == Status.PENDING
    assert result.comment.moderation_reasons == [f"moderation word “casino” in the {where}"]


def test_moderation_words_match_the_ip_address_and_user_agent(article, config):
    update(config, moderation_words="203.0.113.\n")
    result = submit(article)
    assert result.comment.moderation_reasons == ["moderation word “203.0.113.” in the IP address"]
    update(config, moderation_words="EvilBot")
    meta = RequestMeta(ip="198.51.100.1", user_agent="evilbot/2.0")
    assert submit(article, meta=meta, body="Other").comment.status == Status.PENDING


def test_disallowed_words_send_a_comment_to_the_trash(article, config):
    update(config, disallowed_words="scam", moderation_words="scam")
    result = submit(article, body="Not a SCAM, honest")
    assert result.comment.status == Status.TRASH
    assert "disallowed word “scam” in the text" in result.comment.moderation_reasons


def test_closing_after_n_days_closes_at_exactly_n_days(config):
    update(config, close_after_days=14)
    published = timezone.now() - timedelta(days=20)
    article = make_article(published_at=published)
    just_before = published + timedelta(days=14) - timedelta(seconds=1)
    assert submit(article, now=just_before).comment is not None
    at_the_day = published + timedelta(days=14)
    result = submit(article, now=at_the_day, body="Too late")
    assert result.rejected == "Comments are closed on this story."


def test_close_after_zero_days_never_closes(config):
    article = make_article(age=timedelta(days=3650))
    assert submit(article).comment is not None


def test_a_story_can_close_its_own_comments(config):
    article = make_article(comments_open=False)
    assert submit(article).rejected == "Comments are closed on this story."


def test_comments_can_be_closed_site_wide(article, config):
    update(config, comments_enabled=False)
    assert submit(article).rejected == "Comments are closed on this story."


def test_a_closed_story_shows_no_form(client, config):
    article = make_article(comments_open=False)
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Comments are closed." in html
    assert 'id="commentform"' not in html


def test_the_honeypot_refuses_programs(article, config):
    result = submit(article, honeypot="http://spam.example")
    assert "Leave this empty" in result.rejected
    assert not Comment.objects.exists()


def test_duplicates_are_refused_with_a_clear_message(article, config):
    submit(article, body="Same words")
    result = submit(article, body="Same words", author_email="Ordinary@Example.net")
    assert result.rejected == "You have already posted this comment here."
    assert Comment.objects.count() == 1
    assert submit(article, body="Same words", author_email="other@example.net").comment


def test_duplicates_without_an_email_are_matched_by_name(article, config):
    assert submit(article, body="Same words", author_email="").comment
    again = submit(article, body="Same words", author_email="")
    assert again.rejected == "You have already posted this comment here."
    assert submit(article, body="Same words", author_email="", author_name="Another").comment
    # A reader who gives an email is not the nameless one, nor is the text on another story.
    assert submit(article, body="Same words", author_name="Another").comment
    assert submit(make_article(), body="Same words", author_email="").comment
    assert Comment.objects.count() == 4


def test_a_trashed_comment_may_be_posted_again(article, config):
    make_comment(article, body="Same words", author_email="ordinary@example.net",
                 status=Status.TRASH)  # fmt: skip
    assert submit(article, body="Same words").comment is not None


def test_flood_control_per_ip_address(article, config):
    update(config, flood_seconds=15)
    now = timezone.now()
    assert submit(article, now=now, author_email="one@example.net").comment
    late = submit(article, now=now + timedelta(seconds=14), author_email="two@example.net")
    assert late.rejected.startswith("You are posting comments too quickly")
    assert "same connection" in late.rejected
    assert submit(
        article, now=now + timedelta(seconds=15), author_email="three@example.net"
    ).comment


def test_flood_control_per_email_address(article, config):
    update(config, flood_seconds=15)
    now = timezone.now()
    assert submit(article, now=now).comment
    other_ip = RequestMeta(ip="198.51.100.9")
    result = submit(article, now=now + timedelta(seconds=1), meta=other_ip, body="Again")
    assert "same email address" in result.rejected


def test_flood_control_zero_turns_it_off(article, config):
    update(config, flood_seconds=0)
    for i in range(3):
        assert submit(article, body=f"Comment {i}").comment


def test_the_reader_sees_the_rejection_next_to_the_form(client, article, config):
    update(config, flood_seconds=15)
    assert post(client, article).status_code == 302
    response = post(client, article)
    assert response.status_code == 400
    assert "You are posting comments too quickly" in response.content.decode()


def test_the_ip_address_is_stored_by_policy(article, config):
    assert submit(article).comment.ip_address == "203.0.113.0"
    update(config, ip_policy=DiscussionSettings.IPPolicy.HASH)
    hashed = submit(article, body="Second").comment.ip_address
    assert hashed.startswith("hash:")
    assert "203.0.113" not in hashed
    update(config, ip_policy=DiscussionSettings.IPPolicy.NONE)
    assert submit(article, body="Third").comment.ip_address == ""


def test_ipv6_is_truncated_to_a_48(article, config):
    meta = RequestMeta(ip="2001:db8:85a3:8d3:1319:8a2e:370:7348")
    assert submit(article, meta=meta).comment.ip_address == "2001:db8:85a3::"


def test_posting_does_not_wait_for_email(article, config, django_capture_on_commit_callbacks):
    """The moderator email is sent by a task after commit, never during the request."""
    from django.contrib.auth.models import User
    from django.core import mail

    User.objects.create_superuser("chief", "chief@example.org", "pw")
    update(config, notify_on_comment=True)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        submit(article)
    assert mail.outbox == []
    for callback in callbacks:
        callback()
    assert [m.to for m in mail.outbox] == [["chief@example.org"]]
