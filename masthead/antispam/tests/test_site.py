"""The filter on the site's own comment form, and learning from its moderators end to end."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from masthead.antispam.models import DailyCount, SpamDecision, SpamModelVersion
from masthead.antispam.stats import buffer
from masthead.discussion import moderation
from masthead.discussion.models import Comment, DiscussionSettings
from masthead.discussion.privacy import personal_data_erase, personal_data_export
from masthead.discussion.tests.conftest import issued
from masthead.newsroom.tests.factories import make_article

from .conftest import DISCARD_TEXT, HAM_TEXT, SPAM_TEXT

pytestmark = pytest.mark.django_db
Status = Comment.Status
BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:130.0) Gecko/20100101 Firefox/130.0"


@pytest.fixture
def story(db):
    config = DiscussionSettings.load()
    config.flood_seconds = 0
    config.save()
    return make_article(headline="Harbour wall vote passes")


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def post(story, body: str, n: int = 1, **fields):
    data = {
        "body": body,
        "author_name": fields.pop("author_name", f"Reader {n}"),
        "author_email": f"reader{n}@example.net",
        "issued": issued(story),
        **fields,
    }
    return Client().post(
        f"/comments/post/{story.pk}/", data, HTTP_USER_AGENT=BROWSER, REMOTE_ADDR=f"192.0.2.{n}"
    )


def test_a_genuine_comment_is_published_with_its_score(story):
    assert post(story, HAM_TEXT).status_code == 302
    comment = Comment.objects.get()
    assert comment.status == Status.APPROVED
    assert 0 <= comment.spam_score < 0.5
    assert comment.moderation_reasons == []


def test_spam_goes_to_the_spam_queue_with_its_reasons(story):
    post(story, SPAM_TEXT)
    comment = Comment.objects.get()
    assert comment.status == Status.SPAM
    assert comment.spam_score >= 0.79
    assert comment.moderation_reasons[0].startswith("spam filter: spam probability")


def test_blatant_spam_is_not_stored(story):
    response = post(story, DISCARD_TEXT)
    assert response.status_code == 302
    assert not Comment.objects.exists()


def test_blatant_spam_is_kept_when_discarding_is_off(story, settings):
    settings.MASTHEAD_SPAM_DISCARD = False
    post(story, DISCARD_TEXT)
    assert Comment.objects.get().status == Status.SPAM


def test_without_a_model_a_comment_is_held_never_lost_never_published(story, settings, tmp_path):
    settings.MASTHEAD_SPAM_BASE_MODEL = str(tmp_path / "missing.mhspam")
    post(story, HAM_TEXT, 1)
    post(story, DISCARD_TEXT, 2)
    comments = list(Comment.objects.order_by("pk"))
    assert [c.status for c in comments] == [Status.PENDING, Status.PENDING]
    assert all(c.spam_score is None for c in comments)
    reason = comments[0].moderation_reasons[0]
    assert reason.startswith("spam filter: not checked: the spam model is unavailable")


def test_moderator_marks_spam_then_the_retrain_learns_it(
    story, immediate_tasks, django_capture_on_commit_callbacks
):
    """Moderator marks spam → decision stored → retrain task → new model version."""
    text = "Honest question about fishing permits, answered by permitsfast, ask me"
    post(story, text)
    comment = Comment.objects.get()
    assert comment.status == Status.APPROVED  # the base model let it through
    score_before = comment.spam_score
    moderator = get_user_model().objects.create_superuser("mod", "mod@example.org", "pw")
    with django_capture_on_commit_callbacks(execute=True):
        assert moderation.comment_moderate(comment=comment, action="spam", user=moderator)
    decision = SpamDecision.objects.get()
    assert (decision.label, decision.source, decision.user) == ("spam", "moderator", moderator)
    assert decision.comment == comment
    assert decision.permalink.endswith(story.get_absolute_url())
    assert decision.user_agent == BROWSER
    assert decision.learned_in is None

    from masthead.antispam.tasks import spam_model_retrain

    result = spam_model_retrain.enqueue()
    assert result.return_value["learned"] == 1
    version = SpamModelVersion.objects.get(is_current=True)
    decision.refresh_from_db()
    assert decision.learned_in == version
    assert decision.score_before == pytest.approx(score_before, abs=0.05)
    post(story, text + " again", n=2)
    assert Comment.objects.latest("pk").spam_score > score_before


def test_a_rescued_comment_counts_as_a_false_positive(story, django_capture_on_commit_callbacks):
    post(story, SPAM_TEXT)
    comment = Comment.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        moderation.comment_moderate(comment=comment, action="not_spam")
    buffer.flush()
    assert DailyCount.objects.get(source="site").false_positives == 1
    assert SpamDecision.objects.get().label == "ham"


def test_published_spam_counts_as_missed_and_approving_a_held_one_as_approved(
    story, django_capture_on_commit_callbacks
):
    config = DiscussionSettings.load()
    post(story, HAM_TEXT, 1)
    config.hold_all, config.auto_approve_known = True, False
    config.save()
    post(story, HAM_TEXT + " Also the ferry.", 2)
    published, held = Comment.objects.order_by("pk")
    assert held.status == Status.PENDING
    with django_capture_on_commit_callbacks(execute=True):
        moderation.comment_moderate(comment=published, action="spam")
        moderation.comment_moderate(comment=held, action="approve")
    buffer.flush()
    row = DailyCount.objects.get(source="site")
    assert (row.missed, row.approved, row.false_positives) == (1, 1, 0)
    assert row.checked == 2


def test_restoring_a_published_comment_from_the_trash_is_no_decision_for_the_filter(
    story, django_capture_on_commit_callbacks
):
    """Trashed and restored, a published comment is published again: nobody approved a held
    comment, so the filter learns nothing and the dashboard counts no approval."""
    post(story, HAM_TEXT)
    comment = Comment.objects.get()
    assert comment.status == Status.APPROVED
    with django_capture_on_commit_callbacks(execute=True):
        moderation.comment_moderate(comment=comment, action="trash")
        moderation.comment_moderate(comment=comment, action="restore")
    buffer.flush()
    comment.refresh_from_db()
    assert comment.status == Status.APPROVED
    assert not SpamDecision.objects.exists()
    assert DailyCount.objects.get(source="site").approved == 0


def test_erasing_a_commenters_data_erases_the_filters_copy(
    story, django_capture_on_commit_callbacks
):
    post(story, HAM_TEXT)
    comment = Comment.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        moderation.comment_moderate(comment=comment, action="spam")
    exported = personal_data_export(email="reader1@example.net")
    assert exported["spam_filter"][0]["label"] == "spam"
    assert exported["spam_filter"][0]["comment_author_email"] == "0@example.net"  # reader1@
    counts = personal_data_erase(email="READER1@example.net")
    assert counts["spam_filter"] == 1
    assert not SpamDecision.objects.exists()


def test_the_privacy_page_says_what_the_filter_keeps(client, db):
    page = client.get("/privacy/").content.decode()
    assert "not sent to any third party" in page
    assert "approves a held comment, or marks a comment as spam or not spam" in page
    assert "a copy is kept to teach the spam filter" in page
    assert "The copy is deleted after 365 days" in page
