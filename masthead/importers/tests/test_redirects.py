"""Old WordPress links keep working: each answers 301 to the article it became."""

import pytest

from masthead.importers.models import Redirect
from masthead.importers.tests.conftest import import_wordpress, wxr
from masthead.newsroom.models import Article

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported():
    import_wordpress(wxr("theme-test-data", "themeunittestdata.wordpress.xml"), "--pages")


def test_old_permalink_answers_301_to_the_new_address(client, imported):
    article = Article.objects.get(import_records__source_id="1177")
    # Dated by its GMT time (the 11th); the old WordPress link used the site's local date.
    assert article.get_absolute_url() == "/2013/01/11/markup-image-alignment/"
    response = client.get("/2013/01/10/markup-image-alignment/")
    assert response.status_code == 301
    assert response["Location"] == article.get_absolute_url()
    assert client.get(response["Location"]).status_code == 200


def test_old_permalink_without_its_trailing_slash_also_redirects(client, imported):
    response = client.get("/2013/01/10/markup-image-alignment")
    assert response.status_code == 301
    assert response["Location"] == "/2013/01/11/markup-image-alignment/"


def test_query_post_id_on_the_home_page_redirects(client, imported):
    article = Article.objects.get(import_records__source_id="1177")
    response = client.get("/?p=1177")
    assert response.status_code == 301
    assert response["Location"] == article.get_absolute_url()


def test_page_links_redirect(client, imported):
    page = Article.objects.get(import_records__source_id="2")
    for old in ("/about/", "/?page_id=2", "/?p=2"):
        response = client.get(old)
        assert (response.status_code, response["Location"]) == (301, page.get_absolute_url())


def test_unknown_ids_and_paths_are_left_alone(client, imported):
    assert client.get("/?p=999999").status_code == 200  # the home page
    assert client.get("/?p=abc").status_code == 200
    assert client.get("/no/such/page/").status_code == 404


def test_links_to_stories_that_are_not_live_do_not_redirect(client, imported):
    draft = Article.objects.get(import_records__source_id="1168")  # password-protected
    assert draft.status == "draft"
    assert Redirect.objects.filter(article=draft, old_path="/?p=1168").exists()
    assert client.get("/?p=1168").status_code == 200  # the home page, not the draft
    Redirect.objects.create(old_path="/old/secret/", article=draft)
    assert client.get("/old/secret/").status_code == 404


def test_a_redirect_never_hides_a_page_that_answers(client, imported):
    article = Article.objects.get(import_records__source_id="1177")
    other = Article.objects.exclude(pk=article.pk).filter(status="published").first()
    Redirect.objects.create(old_path=article.get_absolute_url(), article=other)
    assert client.get(article.get_absolute_url()).status_code == 200


def test_a_story_a_second_import_moves_keeps_its_old_address(client, imported):
    """An earlier import (or an older Masthead) gave the story another slug: the second
    import's address is the story's now, and the first one redirects to it."""
    article = Article.objects.get(import_records__source_id="1177")
    Article.objects.filter(pk=article.pk).update(slug="post-1177")
    old = "/2013/01/11/post-1177/"
    assert client.get(old).status_code == 200
    import_wordpress(wxr("theme-test-data", "themeunittestdata.wordpress.xml"), "--pages")
    article.refresh_from_db()
    assert article.slug == "markup-image-alignment"
    response = client.get(old)
    assert (response.status_code, response["Location"]) == (301, article.get_absolute_url())
