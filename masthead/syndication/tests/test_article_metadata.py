import json
from urllib.parse import parse_qs, urlsplit

import extruct
import pytest

from masthead.newsroom.tests.factories import make_article, make_author, make_image, make_tag

pytestmark = pytest.mark.django_db


@pytest.fixture
def page(client):
    article = make_article(
        headline='Ministers meet "at last" </script>',
        standfirst="Talks resume.",
        authors=[make_author("Lin Ma"), make_author("Sam Oduya")],
        tags=[make_tag("Diplomacy")],
        featured_image=make_image(),
    )
    return article, client.get(article.get_absolute_url()).content.decode()


def test_news_article_json_ld(page):
    article, html = page
    data = extruct.extract(html, syntaxes=["json-ld"])["json-ld"]
    assert len(data) == 1
    item = data[0]
    assert item["@type"] == "NewsArticle"
    assert item["headline"] == article.headline
    assert [a["name"] for a in item["author"]] == ["Lin Ma", "Sam Oduya"]
    assert all(a["url"].startswith("https://news.example.org/author/") for a in item["author"])
    assert item["datePublished"].endswith("+00:00")
    assert item["dateModified"] >= item["datePublished"]
    assert item["image"][0].startswith("https://news.example.org/media/")
    assert item["publisher"]["name"]


def test_headline_cannot_break_out_of_the_json_ld_block(page):
    _, html = page
    assert html.count("</script>") == html.count("<script")


def test_open_graph_and_twitter_tags(page):
    article, html = page
    og = extruct.extract(html, syntaxes=["opengraph"])["opengraph"][0]["properties"]
    props = dict(og)
    assert props["og:type"] == "article"
    assert props["og:title"] == article.headline
    assert props["og:url"] == "https://news.example.org" + article.get_absolute_url()
    assert props["og:image"].startswith("https://news.example.org/media/")
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    assert (
        f'<link rel="canonical" href="https://news.example.org{article.get_absolute_url()}">'
        in html
    )


def test_share_links_are_plain_links_with_the_story_address(page):
    article, html = page
    url = "https://news.example.org" + article.get_absolute_url()
    for host in ["x.com", "facebook.com", "linkedin.com", "reddit.com", "wa.me", "t.me"]:
        assert f"https://{host}" in html or f"https://www.{host}" in html, host
    assert "mailto:?" in html
    assert "data-copy-link" in html
    # The copy button needs the script, which shows it: without JavaScript it is not there.
    assert '<li class="share__copy" hidden>' in html
    assert '<script src="http' not in html  # nothing loaded from another host
    x_link = html.split('share__link--x" href="')[1].split('"')[0].replace("&amp;", "&")
    assert parse_qs(urlsplit(x_link).query)["url"] == [url]
    json.dumps(x_link)
