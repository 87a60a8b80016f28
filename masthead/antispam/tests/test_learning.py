"""Learning from moderators: decisions stored, retrained in the background, new versions."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from masthead.antispam import learning, registry
from masthead.antispam.guards import Candidate
from masthead.antispam.models import DailyCount, FilterState, SpamDecision, SpamModelVersion
from masthead.antispam.pipeline import spam_assess
from masthead.antispam.samples import CommentSample
from masthead.antispam.stats import buffer

from .conftest import HAM_TEXT

pytestmark = pytest.mark.django_db
PROMO = "Loving the harbour photos, more of my own on harbourpix, come see"


def record(text: str, is_spam: bool, **values) -> SpamDecision:
    sample = CommentSample(comment_content=text, **values)
    return learning.decision_record(sample=sample, is_spam=is_spam, source="api")


def score(text: str) -> float:
    sample = CommentSample(comment_content=text)
    return spam_assess(Candidate(sample=sample, source="site", now=timezone.now())).score


def test_a_decision_keeps_what_the_model_reads_and_little_else():
    decision = record(
        "Buy now", True, comment_author_email="Spammer123@Mail.Example.com",
        user_ip="203.0.113.5", comment_author="Shop",
    )  # fmt: skip
    decision.refresh_from_db()
    assert decision.comment_author_email == "000@mail.example.com"
    assert decision.email_hash == learning.email_hash("spammer123@mail.example.com")
    assert "203.0.113.5" not in str(vars(decision))
    assert learning.minimise_email("ann@example.net") == "x@example.net"
    assert learning.minimise_email("a1b2@example.net") == "00@example.net"
    assert learning.minimise_email("not an address") == ""


def test_nothing_to_learn_keeps_the_base_model():
    result = learning.model_retrain()
    assert result.status == "nothing new"
    assert not SpamModelVersion.objects.exists()


def test_a_retrain_learns_the_new_decisions_into_a_new_version():
    before = score(PROMO)
    for i in range(12):
        record(f"{PROMO} {i}", True)
        record(f"{HAM_TEXT} {i}", False)
    result = learning.model_retrain()
    assert (result.status, result.learned) == ("rebuilt", 24)  # the first one starts from base
    version = SpamModelVersion.objects.get(is_current=True)
    assert (version.n_new, version.n_updates, version.n_train) == (24, 24, 1138)
    assert version.version.endswith("+24")
    assert version.evaluation["n"] == 24
    assert "basis" in version.evaluation
    assert not SpamDecision.objects.filter(learned_in=None).exists()
    assert SpamDecision.objects.filter(score_before__isnull=True).count() == 0
    registry.registry.invalidate()
    assert score(PROMO) > before
    # Nothing new: no new version.
    assert learning.model_retrain().status == "nothing new"
    record("Another one", True)
    second = learning.model_retrain()
    assert (second.status, second.learned) == ("learnt", 1)
    assert second.version.n_updates == 25
    assert SpamModelVersion.objects.filter(is_current=True).get() == second.version


def test_only_one_retrain_at_a_time():
    record("x", True)
    FilterState.objects.update_or_create(pk=1, defaults={"retrain_started_at": timezone.now()})
    assert learning.model_retrain().status == "busy"
    FilterState.objects.filter(pk=1).update(
        retrain_started_at=timezone.now() - learning.STALE_CLAIM
    )
    assert learning.model_retrain().status == "rebuilt"  # a stale claim does not block


def test_a_reversed_decision_makes_the_next_retrain_a_rebuild(article_comment):
    user = get_user_model().objects.create_user("mod")
    sample = CommentSample(comment_content="Ambiguous words")
    first = learning.decision_record(
        sample=sample, is_spam=True, source="moderator", comment=article_comment, user=user
    )
    learning.model_retrain()
    learning.decision_record(
        sample=sample, is_spam=False, source="moderator", comment=article_comment
    )
    first.refresh_from_db()
    assert first.superseded
    assert FilterState.objects.get().rebuild_requested
    result = learning.model_retrain()
    assert (result.status, result.learned) == ("rebuilt", 1)  # the reversal, not both
    assert not FilterState.objects.get().rebuild_requested


def test_old_versions_keep_only_their_metadata(settings):
    settings.MASTHEAD_SPAM_KEEP_VERSIONS = 2
    for i in range(4):
        record(f"decision {i}", bool(i % 2))
        learning.model_retrain()
    versions = list(SpamModelVersion.objects.order_by("created_at", "id"))
    assert [v.pruned for v in versions] == [True, True, False, False]
    assert versions[0].data in (b"", memoryview(b"")) or not bytes(versions[0].data)
    assert versions[-1].is_current


def test_going_back_to_an_earlier_version_or_the_base():
    record("one", True)
    first = learning.model_retrain().version
    record("two", False)
    second = learning.model_retrain().version
    learning.model_activate(version=first)
    assert SpamModelVersion.objects.get(is_current=True) == first
    assert registry.current().version == first.version
    learning.model_activate(version=None)
    assert not SpamModelVersion.objects.filter(is_current=True).exists()
    assert registry.current().version == "1.4e7a34b956"
    SpamModelVersion.objects.filter(pk=second.pk).update(pruned=True)
    second.refresh_from_db()
    with pytest.raises(ValueError, match="pruned"):
        learning.model_activate(version=second)


def test_the_task_runs_the_retrain(settings):
    from masthead.antispam.tasks import spam_model_retrain

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    record("Spam words", True)
    result = spam_model_retrain.enqueue()
    assert result.return_value["status"] == "rebuilt"
    assert SpamModelVersion.objects.filter(is_current=True).exists()


def test_the_retrain_is_a_periodic_task(settings):
    from masthead.core import periodic

    settings.MASTHEAD_SPAM_RETRAIN_MINUTES = 7
    tasks = {t.task: t for t in periodic.registered() if "antispam" in t.task}
    assert set(tasks) == {
        "masthead.antispam.tasks.spam_model_retrain",
        "masthead.antispam.tasks.spam_decisions_expire",
    }
    assert tasks["masthead.antispam.tasks.spam_model_retrain"].get_interval().total_seconds() == 420
    assert (
        tasks["masthead.antispam.tasks.spam_decisions_expire"].get_interval().total_seconds()
        == 3600
    )


def test_erasure_removes_a_commenters_training_data():
    record("mine", True, comment_author_email="me@example.net")
    record("theirs", True, comment_author_email="them@example.net")
    assert learning.decisions_erase(email=" ME@example.net ") == 1
    assert list(SpamDecision.objects.values_list("comment_content", flat=True)) == ["theirs"]


def test_daily_counts_add_up_across_flushes_and_processes():
    from masthead.antispam.stats import Buffer

    other = Buffer()
    buffer.day("site", "checked", "passed")
    other.day("site", "checked", "caught")
    buffer.flush()
    other.flush()
    buffer.day("site", "checked", "passed")
    buffer.flush()
    row = DailyCount.objects.get(source="site")
    assert (row.checked, row.passed, row.caught) == (3, 2, 1)


@pytest.fixture
def article_comment(db):
    from masthead.discussion.models import Comment
    from masthead.newsroom.tests.factories import make_article

    article = make_article(headline="Harbour wall vote")
    return Comment.objects.create(article=article, body="Ambiguous words", author_name="A")


def test_web_processes_pick_up_a_new_version_within_reload_seconds(settings, monkeypatch):
    import time as time_module

    settings.MASTHEAD_SPAM_RELOAD_SECONDS = 10
    clock = [1000.0]
    monkeypatch.setattr(time_module, "monotonic", lambda: clock[0])
    assert registry.current().version == "1.4e7a34b956"
    record("Cheap followers", True)
    version = learning._retrain(rebuild=False, batch=500).version  # as the worker would
    clock[0] += 9.9
    assert registry.current().version == "1.4e7a34b956"  # not yet
    clock[0] += 0.2
    assert registry.current().version == version.version


def test_training_copies_are_kept_no_longer_than_the_privacy_page_says(settings):
    settings.MASTHEAD_SPAM_DECISION_DAYS = 30
    now = timezone.now()
    old_learnt, old_new, recent = (record(f"{PROMO} {i}", True) for i in range(3))
    SpamDecision.objects.filter(pk__in=[old_learnt.pk, old_new.pk]).update(
        created_at=now - timezone.timedelta(days=31)
    )
    learning.model_retrain()  # learns all three
    SpamDecision.objects.filter(pk=old_new.pk).update(learned_in=None)  # as if it came late
    assert learning.decisions_expire(now=now) == 1
    assert set(SpamDecision.objects.values_list("pk", flat=True)) == {old_new.pk, recent.pk}
    learning.model_retrain()  # an old copy is learnt before it goes
    assert learning.decisions_expire(now=now) == 1
    assert list(SpamDecision.objects.values_list("pk", flat=True)) == [recent.pk]
