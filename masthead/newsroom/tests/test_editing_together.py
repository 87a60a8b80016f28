"""Two people on one story: a save over a version someone else changed since is refused,
saying who changed it and when, and the refused form keeps everything that was typed."""

from datetime import timedelta

import pytest
import reversion
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from masthead.newsroom import services
from masthead.newsroom.models import Article
from masthead.newsroom.tests.adminform import form_values
from masthead.newsroom.tests.factories import make_article
from masthead.newsroom.tests.test_admin import login

pytestmark = pytest.mark.django_db
Status = Article.Status
CHANGELIST = reverse("admin:newsroom_article_changelist")
BODY = "<p>First paragraph.</p><p>Second paragraph.</p><p>Third paragraph.</p>"


def story(**fields) -> Article:
    """A story with its first history entry, as the newsroom makes them."""
    with reversion.create_revision():
        return make_article(**fields)


def change_url(article) -> str:
    return reverse("admin:newsroom_article_change", args=[article.pk])


def open_story(client, article) -> dict:
    """What the change form would send back untouched (the editor opened the story)."""
    response = client.get(change_url(article))
    assert response.status_code == 200
    return form_values(response)


@pytest.fixture
def editors(client):
    """Two editors in two browsers: ``ann`` (the test client) and ``bob``."""
    ann = login(client, "Editor", "ann")
    ann.first_name, ann.last_name = "Ann", "Archer"
    ann.save()
    other = Client()
    login(other, "Editor", "bob")
    return client, other


def test_the_second_of_two_stale_saves_is_refused_and_keeps_what_was_typed(editors):
    ann, bob = editors
    article = story(body=BODY)
    ann_form, bob_form = open_story(ann, article), open_story(bob, article)

    ann_form["body"] = BODY.replace("Third paragraph.", "Third paragraph. CORRECTION-BY-ANN.")
    assert ann.post(change_url(article), ann_form).status_code == 302

    bob_form["headline"] = "Bob's better headline"
    response = bob.post(change_url(article), bob_form)
    assert response.status_code == 200
    page = response.content.decode()
    assert "This story was changed after you opened it: by Ann Archer at" in page
    assert "Your changes are not saved yet" in page
    assert "Changed since you opened it: Body, Updated at." in page
    # Nothing Bob typed is lost: the form comes back with his headline.
    assert form_values(response)["headline"] == "Bob's better headline"
    article.refresh_from_db()
    assert "CORRECTION-BY-ANN" in article.body
    assert article.headline != "Bob's better headline"


def test_a_form_opened_after_the_other_save_is_accepted(editors):
    ann, bob = editors
    article = story(body=BODY)
    ann_form = open_story(ann, article)
    ann_form["body"] = BODY.replace("Third paragraph.", "Third paragraph. CORRECTION-BY-ANN.")
    assert ann.post(change_url(article), ann_form).status_code == 302

    bob_form = open_story(bob, article)  # fresh: Ann's correction is in it
    bob_form["headline"] = "Bob's better headline"
    assert bob.post(change_url(article), bob_form).status_code == 302
    article.refresh_from_db()
    assert article.headline == "Bob's better headline"
    assert "CORRECTION-BY-ANN" in article.body


def test_saving_over_needs_a_tick_and_replaces_only_the_version_shown(editors):
    ann, bob = editors
    article = story(body=BODY)
    bob_form = open_story(bob, article)
    ann_form = open_story(ann, article)
    ann_form["headline"] = "Ann's headline"
    assert ann.post(change_url(article), ann_form).status_code == 302

    bob_form["standfirst"] = "Bob's standfirst."
    refused = bob.post(change_url(article), bob_form)
    assert refused.status_code == 200
    assert 'type="checkbox" name="save_over"' in refused.content.decode()
    again = form_values(refused)
    assert "save_over" not in again  # not ticked for him
    assert bob.post(change_url(article), again).status_code == 200  # a second click: still no

    # Ann saves once more while Bob reads the warning: his tick does not cover that save.
    ann_form = open_story(ann, article)
    ann_form["headline"] = "Ann's second headline"
    assert ann.post(change_url(article), ann_form).status_code == 302
    ticked = {**again, "save_over": "on"}
    response = bob.post(change_url(article), ticked)
    assert response.status_code == 200
    assert "Ann's second headline" not in form_values(response)["headline"]

    ticked = {**form_values(response), "save_over": "on"}
    assert bob.post(change_url(article), ticked).status_code == 302
    article.refresh_from_db()
    assert article.standfirst == "Bob's standfirst."
    assert article.headline != "Ann's second headline"  # Bob chose to replace it
    comment = Version.objects.get_for_object(article).first().revision.get_comment()
    assert comment.startswith("Changed Headline, Standfirst and Updated at. ")
    assert "Saved over a newer version (Ann Archer at " in comment


def test_a_story_published_by_a_bulk_action_meanwhile_is_not_unpublished(editors):
    ann, bob = editors
    article = story(status=Status.DRAFT)
    bob_form = open_story(bob, article)
    ann.post(CHANGELIST, {"action": "publish_selected", "_selected_action": [article.pk]})
    article.refresh_from_db()
    assert article.is_live

    bob_form["standfirst"] = "A standfirst."
    response = bob.post(change_url(article), bob_form)
    assert response.status_code == 200
    page = response.content.decode()
    assert "by Ann Archer at" in page
    assert "Published with “Publish selected stories now”" in page
    assert "Status (now Published)" in page
    article.refresh_from_db()
    assert article.is_live
    assert article.standfirst == ""


def test_a_story_unpublished_by_a_bulk_action_meanwhile_is_not_put_back(editors):
    ann, bob = editors
    article = story()
    bob_form = open_story(bob, article)
    ann.post(CHANGELIST, {"action": "unpublish_selected", "_selected_action": [article.pk]})

    bob_form["standfirst"] = "A standfirst."
    response = bob.post(change_url(article), bob_form)
    assert response.status_code == 200
    assert "Unpublished (back to draft)" in response.content.decode()
    article.refresh_from_db()
    assert article.status == Status.DRAFT


def test_a_scheduled_story_going_live_meanwhile_is_named(editors):
    _, bob = editors
    at = timezone.now() + timedelta(minutes=5)
    article = story(status=Status.SCHEDULED, published_at=at)
    bob_form = open_story(bob, article)
    services.article_publish_due(now=at)

    bob_form["standfirst"] = "A standfirst."
    response = bob.post(change_url(article), bob_form)
    assert response.status_code == 200
    assert "by the scheduler at" in response.content.decode()
    assert "Published on schedule" in response.content.decode()


def test_two_saves_of_ones_own_stale_form_say_so(client):
    login(client, "Editor", "ann")
    article = story()
    first = open_story(client, article)
    second = dict(first)
    first["headline"] = "First tab"
    assert client.post(change_url(article), first).status_code == 302
    second["headline"] = "Second tab"
    response = client.post(change_url(article), second)
    assert "by you (in another window or tab)" in response.content.decode()


def test_a_change_the_history_does_not_record_is_still_caught(editors):
    _, bob = editors
    article = make_article()
    bob_form = open_story(bob, article)
    article.refresh_from_db()
    article.standfirst = "Written by a script."
    article.save()

    bob_form["headline"] = "Bob's headline"
    response = bob.post(change_url(article), bob_form)
    assert response.status_code == 200
    assert "its history does not say by whom" in response.content.decode()
    assert "The story now differs from your form in: Headline, Standfirst." in (
        response.content.decode()
    )


# Real transactions, one connection per browser: the check and the save must not let a
# second save slip in between them (the row is locked; on SQLite the write lock is).
@pytest.mark.django_db(transaction=True)
def test_two_stale_saves_at_the_same_moment_let_one_through():
    import threading

    from django.db import connection

    clients = [Client(), Client()]
    for number, browser in enumerate(clients):
        # Superusers: the roles come from a data migration, which an earlier transactional
        # test in the same process may have flushed away.
        user = User.objects.create_superuser(f"racer{number}", password="pw")
        browser.force_login(user)
    article = story(body=BODY)
    forms = [open_story(browser, article) for browser in clients]
    forms[0]["headline"] = "Headline from the first"
    forms[1]["standfirst"] = "Standfirst from the second"
    start, codes = threading.Barrier(2), []

    def save(browser, data):
        try:
            start.wait()
            codes.append(browser.post(change_url(article), data).status_code)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=save, args=pair) for pair in zip(clients, forms, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(codes) == [200, 302]
    article.refresh_from_db()
    assert (article.headline == "Headline from the first") != (
        article.standfirst == "Standfirst from the second"
    )
