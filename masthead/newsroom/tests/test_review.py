"""Stories sent for review: the editors are emailed, once, after the save commits."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

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


def sent_for_review(client, post, role: str, username: str, headline: str) -> Article:
    """A story ``username`` (in ``role``, with an email address) sent for review; the
    editors' emails about it are cleared."""
    writer = login(client, role, username)
    User.objects.filter(pk=writer.pk).update(email=f"{username}@example.org")
    post(ADD_URL, article_form(make_section(), headline=headline, status=Status.PENDING))
    mail.outbox.clear()
    return Article.objects.get(headline=headline)


@pytest.mark.parametrize("later", [False, True], ids=["published", "scheduled"])
def test_the_writer_is_told_when_an_editor_puts_the_story_out(
    client, post, editors, later, settings
):
    # The queue the site uses (scheduling needs one that can run a task later); the email
    # task is run from it below, as the worker would.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    story = sent_for_review(client, post, "Contributor", "casey", "Harbour wall vote")
    section = story.section
    client.force_login(User.objects.get(username="ed"))
    when = {"published_at": timezone.now() + timedelta(days=1)} if later else {}
    data = article_form(section, headline=story.headline, slug=story.slug, **when)
    post(reverse("admin:newsroom_article_change", args=[story.pk]), data | {"status": "published"})
    for queued in DBTaskResult.objects.filter(task_path__endswith=".notify_writer"):
        queued.task.call(*queued.args_kwargs["args"], **queued.args_kwargs["kwargs"])
    story.refresh_from_db()
    assert story.status == (Status.SCHEDULED if later else Status.PUBLISHED)
    assert [m.to for m in mail.outbox] == [["casey@example.org"]]
    message = mail.outbox[0]
    if later:
        assert message.subject.endswith("Scheduled: Harbour wall vote")
        assert "is scheduled to go live on" in message.body
        assert f"Read it as readers will: {absolute('/preview/')}" in message.body
    else:
        assert message.subject.endswith("Published: Harbour wall vote")
        assert f"Read it: {absolute(story.get_absolute_url())}\n" in message.body
    assert "(Ed reviewed it)" in message.body


def test_writers_who_publish_their_own_story_are_not_told(client, post, editors):
    story = sent_for_review(client, post, "Author", "al", "Own story")
    data = article_form(story.section, headline=story.headline, slug=story.slug)
    post(reverse("admin:newsroom_article_change", args=[story.pk]), data | {"status": "published"})
    assert Article.objects.get(pk=story.pk).status == Status.PUBLISHED
    assert mail.outbox == []
