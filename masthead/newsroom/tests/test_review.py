"""Stories sent for review: the editors are emailed, once, after the save commits."""

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.urls import reverse

from masthead.newsroom.models import Article
from masthead.newsroom.tests.factories import login, make_section, user_in
from masthead.newsroom.tests.test_admin import ADD_URL, article_form
from masthead.syndication.structured import absolute

pytestmark = pytest.mark.django_db
Status = Article.Status


@pytest.fixture(autouse=True)
def _tasks_run_immediately(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def post(client, django_capture_on_commit_callbacks):
    """``client.post``, its transaction committed: the email goes once the save commits."""

    def posting(url, data):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data)

    return posting


@pytest.fixture
def editors():
    editor = user_in("Editor", "ed")
    User.objects.filter(pk=editor.pk).update(email="ed@example.org", first_name="Ed")
    User.objects.create_superuser("chief", "chief@example.org", "pw")
    user_in("Editor", "no-address")  # cannot be emailed
    author = user_in("Author", "au")
    User.objects.filter(pk=author.pk).update(email="au@example.org")  # publishes own only


def test_editors_are_emailed_when_a_story_is_sent_for_review(client, post, editors):
    contributor = login(client, "Contributor", "casey")
    User.objects.filter(pk=contributor.pk).update(first_name="Casey", last_name="Jones")
    section = make_section()
    post(ADD_URL, article_form(section, headline="Harbour wall vote"))
    assert mail.outbox == []  # a draft: nobody is told
    story = Article.objects.get(headline="Harbour wall vote")
    url = reverse("admin:newsroom_article_change", args=[story.pk])
    data = article_form(section, headline="Harbour wall vote", slug=story.slug)
    post(url, data | {"status": Status.PENDING})
    assert sorted(m.to[0] for m in mail.outbox) == ["chief@example.org", "ed@example.org"]
    message = mail.outbox[0]
    assert message.subject.endswith("Waiting for review: Harbour wall vote")
    assert "Casey Jones sent a story for review: “Harbour wall vote”." in message.body
    assert f"Edit and publish it: {absolute(url)}\n" in message.body
    assert f"Read it as readers will: {absolute('/preview/')}" in message.body
    post(url, data | {"status": Status.PENDING, "standfirst": "Changed."})
    assert len(mail.outbox) == 2  # still waiting: no second email


def test_no_one_emails_themselves_and_the_setting_turns_it_off(client, post, editors, settings):
    client.force_login(User.objects.get(username="ed"))
    post(ADD_URL, article_form(make_section(), status=Status.PENDING))
    assert [m.to for m in mail.outbox] == [["chief@example.org"]]
    settings.MASTHEAD_REVIEW_EMAILS = False
    mail.outbox.clear()
    post(ADD_URL, article_form(make_section(), slug="another", status=Status.PENDING))
    assert Article.objects.filter(slug="another", status=Status.PENDING).exists()
    assert mail.outbox == []
