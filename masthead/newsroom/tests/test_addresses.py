"""A story that moves (new slug, new date) keeps answering at its old addresses with a 301,
and an address another story takes later belongs to that story."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from masthead.importers.models import Redirect
from masthead.newsroom import services
from masthead.newsroom.models import Article
from masthead.newsroom.tests.adminform import form_values
from masthead.newsroom.tests.factories import make_article
from masthead.newsroom.tests.test_admin import login

pytestmark = pytest.mark.django_db
Status = Article.Status


def moved(article: Article, **changes) -> Article:
    for name, value in changes.items():
        setattr(article, name, value)
    return services.article_save(article=article)


def assert_redirects(client, old: str, new: str) -> None:
    response = client.get(old)
    assert (response.status_code, response.get("Location")) == (301, new)
    assert client.get(new).status_code == 200


def test_a_new_slug_on_a_live_story_keeps_the_old_address_answering(client):
    login(client, "Editor")
    article = make_article(slug="cider-festival-returns-to-the-harbour")
    old = article.get_absolute_url()
    url = reverse("admin:newsroom_article_change", args=[article.pk])
    data = {**form_values(client.get(url)), "slug": "cider-festival-2026"}
    response = client.post(url, data, follow=True)
    assert "now redirects to the new one" in response.content.decode()
    article.refresh_from_db()
    client.logout()
    assert_redirects(client, old, article.get_absolute_url())
    assert_redirects(client, old.rstrip("/"), article.get_absolute_url())
    assert Redirect.objects.get(old_path=old).source == "newsroom"


def test_the_change_form_lists_the_old_addresses(client):
    login(client, "Editor")
    article = make_article(slug="first-name")
    old = article.get_absolute_url()
    moved(article, slug="second-name")
    page = client.get(reverse("admin:newsroom_article_change", args=[article.pk]))
    assert f"<code>{old}</code>" in page.content.decode()


def test_every_old_address_leads_straight_to_the_newest(client):
    article = make_article(slug="one")
    first = article.get_absolute_url()
    moved(article, slug="two")
    second = article.get_absolute_url()
    moved(article, published_at=article.published_at - timedelta(days=3))  # a new date
    third = article.get_absolute_url()
    moved(article, slug="three")
    newest = article.get_absolute_url()
    assert len({first, second, third, newest}) == 4
    for old in (first, second, third):
        assert_redirects(client, old, newest)


def test_moving_back_to_an_old_address_leaves_no_redirect_from_it(client):
    article = make_article(slug="original")
    original = article.get_absolute_url()
    moved(article, slug="renamed")
    moved(article, slug="original")
    assert client.get(original).status_code == 200
    assert not Redirect.objects.filter(old_path=original).exists()
    assert_redirects(client, original.replace("original", "renamed"), original)


def test_a_story_that_was_never_public_leaves_no_redirect():
    draft = make_article(status=Status.DRAFT, slug="working-title")
    moved(draft, slug="final-title")
    at = timezone.now() + timedelta(days=1)
    scheduled = make_article(status=Status.SCHEDULED, published_at=at, slug="embargoed")
    moved(scheduled, slug="embargoed-story")
    assert not Redirect.objects.exists()


def test_a_withdrawn_story_renamed_and_republished_keeps_its_old_address(client):
    article = make_article(slug="before")
    old = article.get_absolute_url()
    services.article_unpublish(article=article)
    moved(article, slug="after")
    assert client.get(old).status_code == 404  # not live: no redirect to it
    services.article_publish(article=article)
    assert_redirects(client, old, article.get_absolute_url())


def test_an_address_taken_by_another_story_belongs_to_it(client):
    first = make_article(slug="harbour-wall")
    address = first.get_absolute_url()
    moved(first, slug="harbour-wall-2025")

    second = make_article(status=Status.DRAFT, slug="harbour-wall", published_at=first.published_at)
    assert second.get_absolute_url() == address
    assert_redirects(client, address, first.get_absolute_url())  # the draft is not public

    services.article_publish(article=second)
    second.refresh_from_db()
    assert second.get_absolute_url() == address
    assert client.get(address).status_code == 200
    assert not Redirect.objects.filter(old_path=address).exists()  # no stale redirect left
    services.article_unpublish(article=second)
    assert client.get(address).status_code == 404  # not sent to the first story


def test_a_slug_reused_on_another_day_does_not_capture_the_old_address(client):
    first = make_article(slug="budget-vote", age=timedelta(days=10))
    address = first.get_absolute_url()
    moved(first, slug="budget-vote-2025")
    second = make_article(slug="budget-vote")  # today: another address, the same slug
    assert second.get_absolute_url() != address
    assert_redirects(client, address, first.get_absolute_url())
    assert client.get(second.get_absolute_url()).status_code == 200
    # A stale date with no story behind it still leads to the story with the slug.
    parts = address.split("/")
    parts[3] = "01" if parts[3] != "01" else "02"
    assert_redirects(client, "/".join(parts), second.get_absolute_url())


def test_a_scheduled_story_going_live_claims_its_address(client):
    first = make_article(slug="ferry-timetable")
    address = first.get_absolute_url()
    moved(first, slug="ferry-timetable-winter")
    at = timezone.now() + timedelta(minutes=5)
    second = make_article(status=Status.SCHEDULED, slug="ferry-timetable", published_at=at)
    if second.get_absolute_url() != address:
        pytest.skip("five minutes before midnight: the two stories have different dates")
    assert Redirect.objects.filter(old_path=address).exists()
    services.article_publish_due(now=at)
    assert not Redirect.objects.filter(old_path=address).exists()


def test_editors_can_look_after_redirects(client):
    login(client, "Editor")
    article = make_article(slug="a-story")
    moved(article, slug="the-story")
    page = client.get(reverse("admin:importers_redirect_changelist"))
    assert page.status_code == 200
    assert "/a-story/" in page.content.decode()
