"""The spam hook: one verdict per posted comment, one report per moderator decision."""

from __future__ import annotations

import pytest
from django.core.checks import run_checks
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from masthead.discussion import moderation, spam
from masthead.discussion.models import Comment
from masthead.discussion.spam import SpamChecker, SpamVerdict
from masthead.discussion.tests.conftest import make_comment, post, update

pytestmark = pytest.mark.django_db
Status = Comment.Status
CALLS: list[tuple] = []


class Recorder(SpamChecker):
    verdict = SpamVerdict()

    def check(self, comment, article, meta):
        CALLS.append(
            (
                "check",
                comment.pk,
                comment.body,
                article.pk,
                meta,
                spam.akismet_fields(comment, article, meta),
            )
        )
        return self.verdict

    def report(self, comment, is_spam):
        CALLS.append(("report", comment.pk, is_spam))


class Broken(SpamChecker):
    def check(self, comment, article, meta):
        raise RuntimeError("model file missing")


@pytest.fixture
def recorder(settings):
    CALLS.clear()
    spam._load.cache_clear()
    settings.MASTHEAD_SPAM_CHECKER = f"{__name__}.Recorder"
    Recorder.verdict = SpamVerdict()
    yield Recorder
    spam._load.cache_clear()


def test_the_default_checker_is_the_local_filter(article, config):
    from masthead.antispam.checker import LocalSpamChecker

    spam._load.cache_clear()
    assert isinstance(spam.get_checker(), LocalSpamChecker)
    assert spam.get_checker().sends_to == ""  # nothing leaves the server
    verdict = spam.check(Comment(body="The vote was closer than the article says."), article,
                         spam.RequestMeta(ip="203.0.113.9"))  # fmt: skip
    assert verdict.action == "ham"
    assert 0 <= verdict.score < 0.5


def test_no_opinion_has_no_opinion(article, config):
    verdict = spam.NoOpinion().check(Comment(body="x"), article, spam.RequestMeta())
    assert verdict == SpamVerdict(score=None, action="ham", reasons=[])


def test_check_is_called_once_per_posted_comment_with_its_fields(client, article, config, recorder):
    post(client, article, body="Hello there", author_name="Ann", author_email="ann@example.net",
         HTTP_USER_AGENT="Firefox/130", HTTP_REFERER="https://news.example.org/x")  # fmt: skip
    checks = [c for c in CALLS if c[0] == "check"]
    assert len(checks) == 1
    _, pk, body, article_id, meta, fields = checks[0]
    assert pk is None  # asked before the comment is stored
    assert body == "Hello there"
    assert article_id == article.pk
    assert meta.ip == "127.0.0.1"
    assert fields["comment_author_email"] == "ann@example.net"
    assert fields["permalink"].endswith(article.get_absolute_url())


def test_rejected_comments_are_not_checked(client, article, config, recorder):
    post(client, article, leave_empty="bot")
    assert CALLS == []


@pytest.mark.parametrize(
    ("action", "status"),
    [("ham", Status.APPROVED), ("hold", Status.PENDING), ("spam", Status.SPAM)],
)
def test_the_verdict_decides_with_the_rules(client, article, config, recorder, action, status):
    recorder.verdict = SpamVerdict(score=0.87, action=action, reasons=["too many emoji"])
    post(client, article)
    comment = Comment.objects.get()
    assert comment.status == status
    assert comment.spam_score == 0.87
    assert comment.moderation_reasons == ["spam filter: too many emoji"]


def test_discard_stores_nothing(client, article, config, recorder):
    recorder.verdict = SpamVerdict(score=0.999, action="discard")
    response = post(client, article)
    assert response.status_code == 302
    assert not Comment.objects.exists()


def test_a_discarded_post_counts_towards_the_pause(client, article, config, recorder):
    """Otherwise a spammer could follow each dropped post at once with a milder one."""
    update(config, flood_seconds=15)
    recorder.verdict = SpamVerdict(score=0.999, action="discard")
    assert post(client, article).status_code == 302
    recorder.verdict = SpamVerdict(score=0.1, action="ham")
    again = post(client, article, body="A milder one, straight after")
    assert "You are posting comments too quickly" in again.content.decode()
    assert not Comment.objects.exists()
    assert post(Client(REMOTE_ADDR="192.0.2.7"), article).status_code == 302  # others may
    assert Comment.objects.count() == 1


def test_a_failing_checker_holds_the_comment(client, article, config, settings):
    spam._load.cache_clear()
    settings.MASTHEAD_SPAM_CHECKER = f"{__name__}.Broken"
    post(client, article)
    comment = Comment.objects.get()
    assert comment.status == Status.PENDING
    assert comment.moderation_reasons == ["spam filter: spam check failed: RuntimeError"]
    spam._load.cache_clear()


@pytest.mark.parametrize(
    ("start", "action", "is_spam"),
    [
        (Status.APPROVED, "spam", True),
        (Status.PENDING, "spam", True),
        (Status.SPAM, "not_spam", False),
        (Status.PENDING, "approve", False),
    ],
)
def test_moderator_decisions_are_reported_after_commit(
    article, config, recorder, django_capture_on_commit_callbacks, start, action, is_spam
):
    comment = make_comment(article, status=start)
    with django_capture_on_commit_callbacks(execute=True):
        assert moderation.comment_moderate(comment=comment, action=action)
    assert [("report", comment.pk, is_spam)] == CALLS


def test_trashing_is_not_a_spam_decision(
    article, config, recorder, django_capture_on_commit_callbacks
):
    comment = make_comment(article)
    with django_capture_on_commit_callbacks(execute=True):
        moderation.comment_moderate(comment=comment, action="trash")
    assert CALLS == []


def test_a_wrong_dotted_path_is_a_clear_error(settings):
    spam._load.cache_clear()
    settings.MASTHEAD_SPAM_CHECKER = "masthead.nowhere.Checker"
    with pytest.raises(ImproperlyConfigured, match="cannot be imported") as error:
        spam.get_checker()
    assert isinstance(error.value.__cause__, ImportError)
    messages = [m for m in run_checks() if m.id == "masthead.E301"]
    assert len(messages) == 1
    assert "Fix SPAM_CHECKER," in messages[0].hint  # the environment variable's name
    spam._load.cache_clear()


def test_a_checker_without_the_methods_is_refused(settings):
    spam._load.cache_clear()
    settings.MASTHEAD_SPAM_CHECKER = "collections.OrderedDict"
    with pytest.raises(ImproperlyConfigured, match="no check"):
        spam.get_checker()
    spam._load.cache_clear()


def test_a_checker_that_sends_data_away_must_say_so(client, article, config, settings):
    spam._load.cache_clear()
    settings.MASTHEAD_SPAM_CHECKER = f"{__name__}.Hosted"
    html = client.get(article.get_absolute_url()).content.decode()
    assert "comments are sent to Example Spam Service" in html
    assert "not sent to any third party" not in html
    assert "sent to Example Spam Service" in client.get("/privacy/").content.decode()
    spam._load.cache_clear()


class Hosted(SpamChecker):
    sends_to = "Example Spam Service"
