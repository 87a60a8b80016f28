import feedparser
import pytest

from masthead.newsroom.models import Article
from masthead.newsroom.tests.factories import make_article, make_author, make_section, make_tag

pytestmark = pytest.mark.django_db


@pytest.fixture
def newsroom():
    section = make_section("Politics", slug="politics")
    tag = make_tag("Diplomacy")
    author = make_author("Lin Ma")
    live = make_article(
        headline="Ministers meet",
        section=section,
        tags=[tag],
        authors=[author],
        standfirst="Talks.",
    )
    make_article(headline="Secret draft", section=section, status=Article.Status.DRAFT)
    make_article(headline="Elsewhere")
    return {"section": section, "tag": tag, "author": author, "live": live}


@pytest.mark.parametrize("suffix", ["", "atom/"])
def test_site_feed_lists_live_stories_with_absolute_links(client, newsroom, suffix):
    parsed = feedparser.parse(client.get(f"/feed/{suffix}").content)
    assert not parsed.bozo, parsed.bozo_exception
    titles = [entry.title for entry in parsed.entries]
    assert "Ministers meet" in titles
    assert "Secret draft" not in titles
    entry = parsed.entries[titles.index("Ministers meet")]
    assert entry.link == "https://news.example.org" + newsroom["live"].get_absolute_url()
    assert entry.author == "Lin Ma"
    assert {"Politics", "Diplomacy"} <= {t.term for t in entry.tags}
    assert parsed.version == ("atom10" if suffix else "rss20")


@pytest.mark.parametrize("kind", ["section", "tag", "author"])
@pytest.mark.parametrize("suffix", ["", "atom/"])
def test_section_tag_and_author_feeds(client, newsroom, kind, suffix):
    slug = newsroom[kind].slug
    parsed = feedparser.parse(client.get(f"/{kind}/{slug}/feed/{suffix}").content)
    assert not parsed.bozo
    assert [entry.title for entry in parsed.entries] == ["Ministers meet"]


def test_unknown_feed_is_404(client):
    assert client.get("/section/nope/feed/").status_code == 404


def test_pages_advertise_their_feeds(client, newsroom):
    html = client.get("/section/politics/").content.decode()
    assert 'type="application/rss+xml"' in html
    assert "/section/politics/feed/" in html
    assert "/section/politics/feed/atom/" in html
