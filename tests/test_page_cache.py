"""Anonymous readers get cached pages; every newsroom event purges exactly what it affects."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from masthead.newsroom import services
from masthead.newsroom.models import Article
from masthead.newsroom.tests.factories import make_article, make_author, make_section, make_tag

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.MASTHEAD_PAGE_CACHE_SECONDS = 600


@pytest.fixture
def newsroom():
    politics, sport = make_section("Politics", slug="politics"), make_section("Sport", slug="sport")
    tag, author = make_tag("Harbour"), make_author("Lin Ma", slug="lin-ma")
    story = make_article(
        headline="Original headline", section=politics, tags=[tag], authors=[author]
    )
    return {"politics": politics, "sport": sport, "tag": tag, "author": author, "story": story}


def pages(newsroom) -> dict[str, str]:
    return {
        "home": "/",
        "article": newsroom["story"].get_absolute_url(),
        "section": "/section/politics/",
        "tag": f"/tag/{newsroom['tag'].slug}/",
        "author": "/author/lin-ma/",
        "feed": "/feed/",
        "section feed": "/section/politics/feed/",
        "sitemap": "/sitemap-articles.xml",
    }


def warm(client, urls) -> None:
    for url in urls:
        first = client.get(url)
        assert first.status_code == 200, url
        assert client.get(url)["X-Page-Cache"] == "hit", url


def test_anonymous_pages_are_cached_and_say_so(client, newsroom):
    url = newsroom["story"].get_absolute_url()
    first = client.get(url)
    assert first["X-Page-Cache"] == "miss"
    second = client.get(url)
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert "public" in second["Cache-Control"]
    assert "max-age=60" in second["Cache-Control"]
    assert second["ETag"]
    assert second["Last-Modified"]


def test_conditional_get_answers_304(client, newsroom):
    url = newsroom["story"].get_absolute_url()
    first = client.get(url)
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304


def test_logged_in_editors_never_get_or_make_cached_pages(client, newsroom):
    url = newsroom["story"].get_absolute_url()
    warm(client, [url])
    editor = User.objects.create_user("ed", is_staff=True)
    client.force_login(editor)
    response = client.get(url)
    assert "X-Page-Cache" not in response
    assert "private" in response["Cache-Control"]


def test_readers_with_a_pending_comment_bypass_the_cache(client, newsroom):
    url = newsroom["story"].get_absolute_url()
    warm(client, [url])
    client.cookies["masthead_pending"] = "anything"
    assert "X-Page-Cache" not in client.get(url)


def test_publishing_purges_every_listing_of_the_new_story(client, newsroom):
    urls = pages(newsroom)
    warm(client, urls.values())
    fresh = Article(
        headline="Breaking: new story",
        slug="breaking",
        section=newsroom["politics"],
        body="<p>x</p>",
    )
    services.article_save(article=fresh)
    fresh.tags.add(newsroom["tag"])
    fresh.bylines.create(author=newsroom["author"], position=0)
    services.article_publish(article=fresh)
    for name in ("home", "section", "tag", "author", "feed", "section feed", "sitemap"):
        body = client.get(urls[name]).content.decode()
        assert "Breaking: new story" in body or "breaking" in body, name


def test_updating_a_story_purges_its_page_and_listings(client, newsroom):
    urls = pages(newsroom)
    warm(client, urls.values())
    story = newsroom["story"]
    story.headline = "Corrected headline"
    services.article_save(article=story)
    for name in ("home", "article", "section", "tag", "author", "feed"):
        body = client.get(urls[name]).content.decode()
        assert "Corrected headline" in body, name
        assert "Original headline" not in body, name


def test_unpublishing_purges_the_story_and_its_listings(client, newsroom):
    urls = pages(newsroom)
    warm(client, urls.values())
    services.article_unpublish(article=newsroom["story"])
    assert client.get(urls["article"]).status_code == 404
    for name in ("home", "section", "tag", "author", "feed"):
        assert "Original headline" not in client.get(urls[name]).content.decode(), name


def test_moving_a_story_purges_the_section_it_left(client, newsroom):
    warm(client, ["/section/politics/", "/section/sport/"])
    story = newsroom["story"]
    story.section = newsroom["sport"]
    services.article_save(article=story)
    assert "Original headline" not in client.get("/section/politics/").content.decode()
    assert "Original headline" in client.get("/section/sport/").content.decode()


def test_removing_a_tag_purges_that_tags_page(client, newsroom):
    tag_url = f"/tag/{newsroom['tag'].slug}/"
    warm(client, [tag_url])
    newsroom["story"].tags.remove(newsroom["tag"])
    assert "Original headline" not in client.get(tag_url).content.decode()


def test_a_correction_note_purges_the_story_page(client, newsroom):
    url = newsroom["story"].get_absolute_url()
    warm(client, [url])
    newsroom["story"].notes.create(kind="correction", text="We misspelt the minister.")
    assert "We misspelt the minister." in client.get(url).content.decode()


def test_purges_are_precise(client, newsroom):
    other = make_article(headline="Sport story", section=newsroom["sport"])
    warm(client, ["/section/sport/", other.get_absolute_url()])
    story = newsroom["story"]
    story.headline = "Politics changed"
    services.article_save(article=story)
    assert client.get("/section/sport/")["X-Page-Cache"] == "hit"
    assert client.get(other.get_absolute_url())["X-Page-Cache"] == "hit"


def test_renaming_a_section_purges_every_page(client, newsroom):
    url = newsroom["story"].get_absolute_url()
    warm(client, [url, "/"])
    sport = newsroom["sport"]
    sport.name = "Sports desk"
    sport.save()
    assert "Sports desk" in client.get(url).content.decode()
    assert "Sports desk" in client.get("/").content.decode()
