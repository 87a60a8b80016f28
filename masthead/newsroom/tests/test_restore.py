"""Restoring a revision brings back the story's text, and is an edit like any other: the
publishing rules, "Updated" time, page purges and related lists all follow."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from reversion.models import Version

from masthead.core.pagecache import _snapshot
from masthead.newsroom import services, signals
from masthead.newsroom.models import Article, ArticleNote
from masthead.newsroom.tests.adminform import form_values
from masthead.newsroom.tests.factories import make_article, make_section
from masthead.newsroom.tests.test_admin import ADD_URL, article_form, login
from masthead.related.models import RelatedPin

pytestmark = pytest.mark.django_db
Status = Article.Status
FIRST_BODY = "<p>The lifeboat station gets a new boat.</p><p>It arrives in May.</p>"


def change_url(article) -> str:
    return reverse("admin:newsroom_article_change", args=[article.pk])


def edit(client, article, **changes) -> None:
    """Open the story's change form, change some fields and save, as an editor does."""
    data = {**form_values(client.get(change_url(article))), **changes}
    response = client.post(change_url(article), data)
    assert response.status_code == 302, response.content.decode()[:3000]


def revision_url(article, version) -> str:
    return reverse("admin:newsroom_article_revision", args=[article.pk, version.pk])


def first_version(article) -> Version:
    return Version.objects.get_for_object(article).order_by("pk").first()


def page_version(group: str) -> str:
    return cache.get(f"pagecache:v:{group}")


class Recorder:
    def __init__(self, signal):
        self.signal, self.calls = signal, []
        signal.connect(self.receive)

    def receive(self, sender, article, **kwargs):
        self.calls.append((article.pk, kwargs.get("content_changed")))


@pytest.fixture
def recorded():
    found = {
        "published": Recorder(signals.article_published),
        "changed": Recorder(signals.article_changed),
        "withdrawn": Recorder(signals.article_withdrawn),
    }
    yield found
    for recorder in found.values():
        recorder.signal.disconnect(recorder.receive)


@pytest.fixture
def editor(client):
    login(client, "Editor")
    return client


@pytest.fixture
def story(editor):
    """Written as a draft, then published; its first revision is the draft."""
    response = editor.post(
        ADD_URL,
        article_form(
            make_section(), headline="Lifeboat station gets new boat", slug="lifeboat",
            body=FIRST_BODY,
        ),
    )  # fmt: skip
    assert response.status_code == 302
    article = Article.objects.get(slug="lifeboat")
    edit(editor, article, status=Status.PUBLISHED)
    article.refresh_from_db()
    assert article.is_live
    return article


def related_updates(article) -> int:
    return sum(
        1
        for task in DBTaskResult.objects.filter(task_path="masthead.related.tasks.update_related")
        if task.args_kwargs["kwargs"].get("article_id") == article.pk
    )


def test_restoring_brings_back_the_text_and_keeps_everything_else(editor, story):
    other = make_article(headline="The old boat is sold")
    published_at = story.published_at
    note = "An earlier version misstated the date."
    now = timezone.localtime()
    edit(
        editor,
        story,
        headline="Lifeboat station gets its new boat at last",
        slug="lifeboat-new-boat",
        body=FIRST_BODY.replace("May", "June"),
        **{
            "notes-TOTAL_FORMS": "1",
            "notes-0-kind": "correction",
            "notes-0-text": note,
            "notes-0-noted_at_0": now.strftime("%Y-%m-%d"),
            "notes-0-noted_at_1": now.strftime("%H:%M:%S"),
            "related_pins-TOTAL_FORMS": "1",
            "related_pins-0-target": str(other.pk),
            "related_pins-0-position": "0",
        },
    )
    story.refresh_from_db()
    assert story.notes.count() == 1

    url = revision_url(story, first_version(story))  # the draft, before it was published
    page = editor.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "What restoring changes" in text
    assert "It arrives in June." in text
    assert "It arrives in May." in text
    values = form_values(page)
    assert values["headline"] == "Lifeboat station gets new boat"  # the revision's text
    assert values["status"] == Status.PUBLISHED  # the story's status now
    assert values["slug"] == "lifeboat-new-boat"

    response = editor.post(url, values)
    assert response.status_code == 302, response.content.decode()[:3000]
    story.refresh_from_db()
    assert story.headline == "Lifeboat station gets new boat"
    assert "It arrives in May." in story.body
    assert story.status == Status.PUBLISHED
    assert story.published_at == published_at.replace(microsecond=0)  # as the form shows it
    assert story.slug == "lifeboat-new-boat"
    assert list(ArticleNote.objects.filter(article=story).values_list("text", flat=True)) == [note]
    assert RelatedPin.objects.filter(article=story, target=other).exists()
    latest = Version.objects.get_for_object(story).first()
    assert latest.revision.comment.startswith("Restored the text saved on ")
    assert "(Headline, Body)." in latest.revision.comment


def test_restoring_the_text_of_a_live_story_gives_it_an_updated_time(
    editor, story, recorded, django_capture_on_commit_callbacks
):
    edit(editor, story, body=FIRST_BODY + "<p>WRONG-CLAIM-ADDED.</p>")
    story.refresh_from_db()
    wrong_since = story.updated_at
    assert wrong_since is not None
    before_claim = Version.objects.get_for_object(story)[1]  # the save before that edit
    _snapshot([f"article:{story.slug}", "home"])
    old_tokens = page_version(f"article:{story.slug}"), page_version("home")

    with django_capture_on_commit_callbacks(execute=True):
        url = revision_url(story, before_claim)
        response = editor.post(url, form_values(editor.get(url)))
    assert response.status_code == 302
    story.refresh_from_db()
    assert "WRONG-CLAIM" not in story.body
    assert story.updated_at is not None
    assert story.updated_at > wrong_since
    assert recorded["changed"].calls == [(story.pk, True)]
    assert (page_version(f"article:{story.slug}"), page_version("home")) != old_tokens
    assert related_updates(story) == 1


def test_a_restore_that_takes_the_story_offline_withdraws_it(
    editor, story, recorded, django_capture_on_commit_callbacks, client
):
    """The restore form is an edit: an editor who also sets it back to draft withdraws the
    story, with everything a withdrawal does."""
    _snapshot([f"article:{story.slug}", "home", "feeds", "sitemaps"])
    old_tokens = [page_version(g) for g in (f"article:{story.slug}", "home", "feeds", "sitemaps")]
    url = revision_url(story, first_version(story))
    values = {**form_values(editor.get(url)), "status": Status.DRAFT}
    with django_capture_on_commit_callbacks(execute=True):
        assert editor.post(url, values).status_code == 302
    story.refresh_from_db()
    assert story.status == Status.DRAFT
    assert recorded["withdrawn"].calls == [(story.pk, False)]
    new_tokens = [page_version(g) for g in (f"article:{story.slug}", "home", "feeds", "sitemaps")]
    assert all(new != old for new, old in zip(new_tokens, old_tokens, strict=True))
    assert related_updates(story) == 1
    assert Client().get(story.get_absolute_url()).status_code == 404


def test_opening_a_revision_changes_nothing(editor, story):
    edit(editor, story, body=FIRST_BODY.replace("May", "June"))
    story.refresh_from_db()
    versions = Version.objects.count()
    modified_at = story.modified_at
    assert editor.get(revision_url(story, first_version(story))).status_code == 200
    story.refresh_from_db()
    assert story.modified_at == modified_at
    assert "June" in story.body
    assert Version.objects.count() == versions


def test_a_restore_form_gone_stale_is_refused(editor, story):
    url = revision_url(story, first_version(story))
    values = form_values(editor.get(url))
    edit(editor, story, standfirst="Added meanwhile.")
    response = editor.post(url, values)
    assert response.status_code == 200
    assert "This story was changed after you opened it" in response.content.decode()
    story.refresh_from_db()
    assert story.standfirst == "Added meanwhile."


def test_a_revision_of_another_kind_of_object_is_not_found(editor, story):
    import reversion

    with reversion.create_revision():
        section = make_section()
    section_version = Version.objects.get_for_object(section).get()
    Version.objects.filter(pk=section_version.pk).update(object_id=str(story.pk))
    url = reverse("admin:newsroom_article_revision", args=[story.pk, section_version.pk])
    assert editor.get(url).status_code == 404


def test_recovering_a_deleted_live_story_publishes_it_again(
    editor, story, recorded, django_capture_on_commit_callbacks
):
    delete_url = reverse("admin:newsroom_article_delete", args=[story.pk])
    assert editor.post(delete_url, {"post": "yes"}).status_code == 302
    assert not Article.objects.filter(pk=story.pk).exists()
    version = Version.objects.get_deleted(Article).first()
    url = reverse("admin:newsroom_article_recover", args=[version.pk])
    values = form_values(editor.get(url))
    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(url, values)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Article.objects.get(pk=story.pk).is_live
    assert recorded["published"].calls == [(story.pk, True)]


def test_the_history_names_the_scheduler_and_bulk_actions(editor):
    at = timezone.now() + timedelta(minutes=5)
    scheduled = make_article(status=Status.SCHEDULED, published_at=at)
    services.article_publish_due(now=at)
    entry = Version.objects.get_for_object(scheduled).get()
    assert entry.revision.comment == "Published on schedule."
    assert entry.revision.user is None

    changelist = reverse("admin:newsroom_article_changelist")
    editor.post(changelist, {"action": "unpublish_selected", "_selected_action": [scheduled.pk]})
    editor.post(changelist, {"action": "publish_selected", "_selected_action": [scheduled.pk]})
    comments = [
        v.revision.get_comment() for v in Version.objects.get_for_object(scheduled).order_by("pk")
    ]
    assert comments == [
        "Published on schedule.",
        "Unpublished (back to draft) with “Unpublish selected stories (back to draft)”.",
        "Published with “Publish selected stories now”.",
    ]
    history = editor.get(reverse("admin:newsroom_article_history", args=[scheduled.pk]))
    assert "Masthead (automatic)" in history.content.decode()
