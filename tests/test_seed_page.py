"""Acceptance: the seed page (../shared/seed/news-page.txt) served by Masthead.

The seed is a news article as its reader sees it on a WordPress site. Its first line is the
headline; the story paragraphs are the body; the "SEE ALSO:" / "READ:" lines and everything
after "Share this Article" are furniture of the page, not the story.
"""

from __future__ import annotations

import html as htmllib
import math
import re
from datetime import timedelta

import extruct
import feedparser
import pytest
from django.utils import timezone

from conftest import shared_data
from masthead.newsroom.models import ArticleNote
from masthead.newsroom.tests.factories import (
    make_article,
    make_author,
    make_image,
    make_section,
    make_tag,
)

pytestmark = pytest.mark.django_db

FURNITURE = re.compile(r"^(SEE ALSO|READ):", re.IGNORECASE)


def parse_seed(text: str) -> tuple[str, list[str]]:
    lines = [line.strip() for line in text.splitlines()]
    headline = lines[0]
    paragraphs = []
    for line in lines[1:]:
        if line == "Share this Article":
            break
        if not line or re.fullmatch(r"\d+ Min Read", line) or FURNITURE.match(line):
            continue
        paragraphs.append(line)
    return headline, paragraphs


@pytest.fixture
def seed():
    return parse_seed(shared_data("seed", "news-page.txt").read_text(encoding="utf-8"))


@pytest.fixture
def seed_article(seed):
    headline, paragraphs = seed
    body = "".join(f"<p>{htmllib.escape(p)}</p>" for p in paragraphs)
    article = make_article(
        headline=headline,
        slug="china-ready-to-improve-ties-with-russia",
        body=body,
        section=make_section("World", slug="world"),
        authors=[make_author("Wire Reporter", slug="wire-reporter")],
        tags=[make_tag("China"), make_tag("Russia"), make_tag("Middle East")],
        featured_image=make_image(alt_text="Foreign ministry spokesman at a briefing"),
        age=timedelta(hours=3),
    )
    article.updated_at = timezone.now() - timedelta(hours=1)
    article.save()
    ArticleNote.objects.create(
        article=article, kind="correction", text="An earlier version misnamed the ministry."
    )
    return article


def test_seed_parses_into_a_story(seed):
    headline, paragraphs = seed
    assert headline == "China ready to improve ties with Russia over Middle East situation"
    assert paragraphs[0].startswith("China is eager to strengthen strategic cooperation")
    assert paragraphs[-1].startswith("In a Wednesday address")
    assert not any(FURNITURE.match(p) or "Leave a Reply" in p for p in paragraphs)


def test_the_seed_article_page_has_everything(client, seed, seed_article):
    headline, paragraphs = seed
    response = client.get(seed_article.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    text = htmllib.unescape(page)

    assert f'<h1 class="story__headline">{htmllib.escape(headline)}</h1>' in page
    positions = [text.index(p) for p in paragraphs]
    assert positions == sorted(positions), "paragraphs in the seed's order"
    assert "SEE ALSO: Australia Calls For Another Mass Evacuation" not in text
    assert "Apple App Store Breaks Record" not in text

    assert 'href="/author/wire-reporter/"' in page
    assert "Wire Reporter" in page
    published = timezone.localtime(seed_article.published_at).isoformat()
    assert f'<time datetime="{published}">' in page
    assert f'<time datetime="{timezone.localtime(seed_article.updated_at).isoformat()}">' in page

    words = sum(len(p.split()) for p in paragraphs)
    expected = math.ceil(words / 238 + 12 / 60)  # words at 238 wpm plus one picture
    assert f"{expected} Min Read" in page

    assert 'alt="Foreign ministry spokesman at a briefing"' in page
    assert "srcset=" in page
    assert "<figcaption>A caption" in page
    assert "Test Credit" in page
    assert "An earlier version misnamed the ministry." in page
    for tag in ("China", "Russia", "Middle East"):
        assert f'rel="tag">{tag}</a>' in page
    assert "Share this Article" in page
    for name in ("X", "Facebook", "LinkedIn", "Reddit", "WhatsApp", "Telegram", "Email"):
        assert f">{name}</a>" in page
    assert "Copy link" in page

    canonical = "https://news.example.org" + seed_article.get_absolute_url()
    assert f'<link rel="canonical" href="{canonical}">' in page
    data = extruct.extract(page, syntaxes=["json-ld", "opengraph"])
    (ld,) = data["json-ld"]
    assert ld["@type"] == "NewsArticle"
    assert ld["headline"] == headline[:110]
    assert ld["author"][0]["url"] == "https://news.example.org/author/wire-reporter/"
    assert ld["datePublished"] == published
    og = dict(data["opengraph"][0]["properties"])
    assert og["og:title"] == headline
    assert 'name="twitter:card"' in page

    assert not re.search(
        r'<(script|link|img)[^>]+(src|href)="https?://(?!news\.example\.org)', page
    )


def test_the_seed_article_is_in_the_feeds(client, seed_article):
    for url in (
        "/feed/",
        "/feed/atom/",
        "/section/world/feed/",
        "/tag/" + seed_article.tags.first().slug + "/feed/",
    ):
        parsed = feedparser.parse(client.get(url).content)
        assert not parsed.bozo, url
        assert parsed.entries[0].title == seed_article.headline
