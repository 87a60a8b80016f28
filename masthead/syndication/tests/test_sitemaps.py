from datetime import timedelta

import pytest
from defusedxml import ElementTree
from django.utils import timezone

from masthead.newsroom.models import Article
from masthead.newsroom.tests.factories import make_article
from masthead.syndication import views

pytestmark = pytest.mark.django_db
NS = {
    "s": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}


def locs(xml: bytes) -> list[str]:
    return [el.text for el in ElementTree.fromstring(xml).iterfind(".//s:loc", NS)]


def test_sitemap_index_and_article_sitemap(client):
    live = make_article()
    draft = make_article(status=Article.Status.DRAFT)
    index = locs(client.get("/sitemap.xml").content)
    assert "https://news.example.org/sitemap-articles.xml" in index
    articles = locs(client.get("/sitemap-articles.xml").content)
    assert "https://news.example.org" + live.get_absolute_url() in articles
    assert not any(draft.slug in url for url in articles)


def test_news_sitemap_covers_two_days(client):
    now = timezone.now()
    fresh = make_article(
        headline="Fresh", published_at=now - timedelta(days=2) + timedelta(minutes=1)
    )
    stale = make_article(headline="Stale", published_at=now - timedelta(days=2, minutes=1))
    root = ElementTree.fromstring(client.get("/news-sitemap.xml").content)
    titles = [el.text for el in root.iterfind(".//news:title", NS)]
    assert titles == ["Fresh"]
    assert root.find(".//news:name", NS).text
    assert root.find(".//news:language", NS).text == "en"
    del stale, fresh


def test_news_sitemap_stops_at_its_limit(client, monkeypatch):
    monkeypatch.setattr(views, "NEWS_SITEMAP_LIMIT", 3)
    for _ in range(4):
        make_article()
    root = ElementTree.fromstring(client.get("/news-sitemap.xml").content)
    assert len(root.findall("s:url", NS)) == 3


def test_robots_txt_points_at_the_sitemaps(client):
    body = client.get("/robots.txt").content.decode()
    assert "Sitemap: https://news.example.org/sitemap.xml" in body
    assert "Disallow: /admin/" in body
