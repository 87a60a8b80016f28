"""How the index lives across processes: snapshots, the journal, the lease, restarts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from masthead.newsroom.models import Article
from masthead.newsroom.tests.factories import make_article
from masthead.related import keeper, lease
from masthead.related.lease import STATE, IndexBusy
from masthead.related.models import IndexChange, IndexState
from masthead.related.services import related_rebuild, related_update
from masthead.related.strategies import RelatedStrategy, get_strategy
from masthead.related.tasks import update_related

from .stories import body_of, newsroom, section_for, stored

pytestmark = pytest.mark.django_db


class OtherStrategy(RelatedStrategy):
    index_options = {"recency_weight": 0.0}


def new_story(headline: str, text: str, beat: str = "diplomacy") -> Article:
    return make_article(
        headline=headline, body=body_of(text), section=section_for(beat), age=timedelta(0)
    )


def test_the_first_change_without_a_snapshot_indexes_the_database_and_saves_one():
    stories = newsroom(["diplomacy", "bushfires"])
    assert not keeper.snapshot_path().exists()
    related_update(article_id=stories["diplomacy-0"].pk, reindex=False)
    assert keeper.snapshot_path().exists()
    assert len(stored(stories["diplomacy-0"])) > 0


def test_a_restarted_worker_loads_the_snapshot_and_replays_the_journal():
    stories = newsroom(["diplomacy", "bushfires"])
    related_rebuild()
    # Another worker publishes a story while this one is down.
    keeper.forget()
    ceasefire = new_story(
        "Geneva ceasefire holds", "The Geneva ceasefire held as diplomats and the envoy met"
    )
    related_update(article_id=ceasefire.pk)
    other_worker = keeper._held
    # "Restart": this process has nothing in memory and reads the snapshot of the rebuild,
    # which predates the other worker's change; the journal brings it up to date.
    keeper.forget()
    snapshot = keeper.load_snapshot(get_strategy().fingerprint())
    assert snapshot is not None
    assert ceasefire.pk not in snapshot.index
    keeper.install(snapshot)
    treaty = new_story(
        "Envoy hails Geneva treaty",
        "The envoy hailed the Geneva treaty and the ceasefire agreed by the diplomats",
    )
    report = related_update(article_id=treaty.pk)
    assert report["replayed"] == 1
    assert ceasefire.pk in keeper._held.index
    assert ceasefire.pk in stored(treaty)[:4]
    assert keeper._held is not other_worker
    assert keeper._held.seq == IndexChange.objects.latest("id").pk
    assert stories["diplomacy-0"].pk in stored(treaty)


def test_a_snapshot_made_for_another_strategy_is_not_used(settings):
    newsroom(["diplomacy"])
    related_rebuild()
    settings.MASTHEAD_RELATED_STRATEGY = f"{__name__}.OtherStrategy"
    assert keeper.load_snapshot(get_strategy().fingerprint()) is None


def test_an_unreadable_snapshot_is_ignored():
    stories = newsroom(["diplomacy"])
    keeper.snapshot_path().parent.mkdir(parents=True)
    keeper.snapshot_path().write_bytes(b"not a pickle")
    related_update(article_id=stories["diplomacy-0"].pk, reindex=False)
    assert len(stored(stories["diplomacy-0"])) == 3


def test_a_worker_takes_the_snapshot_of_a_newer_rebuild_done_elsewhere():
    newsroom(["diplomacy"])
    related_rebuild()
    old = keeper._held
    related_rebuild()  # e.g. `masthead related rebuild` run by hand
    keeper.install(old)
    assert keeper.held_index(get_strategy()).generation == old.generation + 1


def test_an_index_older_than_the_pruned_journal_is_not_used():
    stories = newsroom(["diplomacy"])
    related_rebuild()
    held = keeper._held
    IndexState.objects.filter(name=STATE).update(pruned_through=held.seq + 5)
    assert keeper.held_index(get_strategy()) is not held
    assert len(stored(stories["diplomacy-1"])) == 3


def test_the_rebuild_prunes_old_journal_entries():
    newsroom(["diplomacy"])
    long_ago = timezone.now() - timedelta(days=30)
    old = [IndexChange.objects.create(article_id=1, created_at=long_ago) for _ in range(3)]
    recent = IndexChange.objects.create(article_id=2)
    related_rebuild()
    assert list(IndexChange.objects.values_list("pk", flat=True)) == [recent.pk]
    assert IndexState.objects.get(name=STATE).pruned_through == old[-1].pk


def test_a_busy_index_puts_the_task_back_in_the_queue(monkeypatch):
    from django_tasks_db.models import DBTaskResult

    stories = newsroom(["diplomacy"])
    monkeypatch.setattr(lease, "WAIT", 0.05)
    lease.state()
    holder = IndexState.objects.filter(name=STATE)
    holder.update(holder="elsewhere", lease_until=timezone.now() + timedelta(minutes=1))
    result = update_related.call(article_id=stories["diplomacy-0"].pk)
    assert result == {"article": stories["diplomacy-0"].pk, "deferred": True}
    queued = DBTaskResult.objects.get()
    assert queued.run_after > timezone.now()


def test_an_expired_lease_is_taken_over(monkeypatch):
    stories = newsroom(["diplomacy"])
    monkeypatch.setattr(lease, "WAIT", 0.05)
    lease.state()
    IndexState.objects.filter(name=STATE).update(
        holder="crashed", lease_until=timezone.now() - timedelta(seconds=1)
    )
    related_update(article_id=stories["diplomacy-0"].pk, reindex=False)
    assert IndexState.objects.get(name=STATE).holder == ""


def test_the_lease_is_released_when_the_work_fails(monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("disk on fire")

    stories = newsroom(["diplomacy"])
    monkeypatch.setattr("masthead.related.lists.compose", boom)
    with pytest.raises(RuntimeError):
        related_update(article_id=stories["diplomacy-0"].pk)
    with lease.index_lease(wait=0):
        pass


def test_waiting_for_the_lease_gives_up_with_a_clear_error(monkeypatch):
    lease.state()
    IndexState.objects.filter(name=STATE).update(
        holder="host:1:ab", lease_until=timezone.now() + timedelta(minutes=1)
    )
    with pytest.raises(IndexBusy, match="held by host:1:ab"), lease.index_lease(wait=0.05):
        pass
