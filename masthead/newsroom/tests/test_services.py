from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from masthead.newsroom import services, signals
from masthead.newsroom.models import Article
from masthead.newsroom.tests.factories import make_article, make_author, make_section, user_in

pytestmark = pytest.mark.django_db
Status = Article.Status


def draft(**fields) -> Article:
    return make_article(status=Status.DRAFT, **fields)


class Recorder:
    def __init__(self, signal):
        self.calls = []
        signal.connect(self.receive)
        self.signal = signal

    def receive(self, sender, article, **kwargs):
        self.calls.append(article.pk)


@pytest.fixture
def published_signal():
    recorder = Recorder(signals.article_published)
    yield recorder
    signals.article_published.disconnect(recorder.receive)


def test_publishing_without_a_time_publishes_now(
    django_capture_on_commit_callbacks, published_signal
):
    article = draft()
    with django_capture_on_commit_callbacks(execute=True):
        services.article_publish(article=article)
    article.refresh_from_db()
    assert article.status == Status.PUBLISHED
    assert timezone.now() - article.published_at < timedelta(seconds=5)
    assert published_signal.calls == [article.pk]


def test_publishing_with_a_future_time_schedules(
    django_capture_on_commit_callbacks, published_signal
):
    article = draft()
    at = timezone.now() + timedelta(hours=3)
    with django_capture_on_commit_callbacks(execute=True):
        services.article_publish(article=article, at=at)
    article.refresh_from_db()
    assert article.status == Status.SCHEDULED
    assert article.published_at == at
    assert not article.is_live
    assert published_signal.calls == []


def test_scheduling_in_the_past_is_refused_with_a_clear_message():
    article = draft()
    article.status = Status.SCHEDULED
    article.published_at = timezone.now() - timedelta(minutes=1)
    with pytest.raises(ValidationError) as err:
        services.article_save(article=article)
    assert "in the past" in str(err.value)
    article.refresh_from_db()
    assert article.status == Status.DRAFT


def test_due_stories_go_live_at_their_time_not_before(
    django_capture_on_commit_callbacks, published_signal
):
    at = timezone.now() + timedelta(minutes=10)
    article = draft()
    services.article_publish(article=article, at=at)
    assert services.article_publish_due(now=at - timedelta(seconds=1)) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert services.article_publish_due(now=at) == 1
    article.refresh_from_db()
    assert article.status == Status.PUBLISHED
    assert published_signal.calls == [article.pk]
    assert services.article_publish_due(now=at + timedelta(minutes=1)) == 0  # idempotent


def test_changing_a_live_story_sets_updated_time():
    article = make_article()
    assert article.updated_at is None
    article.body = "<p>New facts.</p>"
    services.article_save(article=article)
    assert article.updated_at is not None


def test_changing_a_draft_or_only_its_tags_does_not_set_updated_time():
    article = draft()
    article.body = "<p>Still drafting.</p>"
    services.article_save(article=article)
    assert article.updated_at is None
    live = make_article()
    live.pinned = True
    services.article_save(article=live)
    assert live.updated_at is None


def test_contributor_cannot_publish():
    contributor = user_in("Contributor")
    article = draft(created_by=contributor)
    with pytest.raises(PermissionDenied):
        services.article_publish(article=article, user=contributor)
    assert Article.objects.get(pk=article.pk).status == Status.DRAFT


def test_author_publishes_own_story_but_not_someone_elses():
    author = user_in("Author")
    own = draft(created_by=author)
    services.article_publish(article=own, user=author)
    assert own.status == Status.PUBLISHED
    other = draft()
    with pytest.raises(PermissionDenied):
        services.article_publish(article=other, user=author)


def test_author_on_the_byline_counts_as_own():
    author_user = user_in("Author")
    profile = make_author("Writer", user=author_user)
    article = draft(authors=[profile])
    services.article_publish(article=article, user=author_user)
    assert article.status == Status.PUBLISHED


def test_editor_publishes_any_story():
    editor = user_in("Editor")
    article = draft()
    services.article_publish(article=article, user=editor)
    assert article.status == Status.PUBLISHED


def test_unpublishing_takes_a_story_off_the_site(client):
    article = make_article()
    url = article.get_absolute_url()
    assert client.get(url).status_code == 200
    services.article_unpublish(article=article)
    assert client.get(url).status_code == 404


def test_body_is_sanitised_on_every_save():
    article = make_article(body='<p onclick="x()">Hi<script>alert(1)</script></p>')
    assert "script" not in article.body
    assert "onclick" not in article.body
    assert article.body_text == "Hi"


def test_reading_time_counts_the_featured_image(settings):
    from masthead.newsroom.tests.factories import make_image

    words = " ".join(["word"] * 230)
    plain = make_article(body=f"<p>{words}</p>")
    pictured = make_article(body=f"<p>{words}</p>", featured_image=make_image())
    assert plain.reading_minutes == 1
    assert pictured.reading_minutes == 2


def test_delete_of_a_section_with_stories_is_refused():
    from django.db.models import ProtectedError

    section = make_section()
    make_article(section=section)
    with pytest.raises(ProtectedError):
        section.delete()


@pytest.mark.parametrize(
    ("body", "description"),
    [
        # short paragraphs: all of them, on one line, and no "…" when nothing is cut
        ("<p>Hello.</p><p>The ferry runs again.</p>", "Hello. The ferry runs again."),
        ("<p>" + "word " * 60 + "</p>", ("word " * 40).strip() + "…"),
        ("<p>" + "x" * 300 + "</p>", "x" * 199 + "…"),  # one endless word is still cut
    ],
)
def test_a_story_without_a_standfirst_is_described_by_its_opening(body, description):
    article = make_article(standfirst="", body=body)
    assert article.description == description
    assert len(article.description) <= 200
