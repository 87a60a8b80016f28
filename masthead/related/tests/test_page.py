"""The article page: inline links in the body, the "Related stories" block, read from the
stored list in one query."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from masthead.newsroom.models import Article
from masthead.newsroom.tests.factories import make_article, make_image
from masthead.related.models import RelatedLink
from masthead.related.selectors import related_page
from masthead.related.services import related_rebuild

from .fixtures import BEATS
from .stories import body_of, newsroom, section_for

pytestmark = pytest.mark.django_db


def long_story(**fields) -> Article:
    """Eight paragraphs on the diplomacy beat."""
    text = " ".join(body for _, body in BEATS["diplomacy"])
    return make_article(
        headline="Diplomats race to save the ceasefire",
        body=body_of(text[:-1]) + "<p>Talks resume on Monday.</p>",
        section=section_for("diplomacy"),
        age=timedelta(minutes=30),
        **fields,
    )


@pytest.fixture
def story():
    newsroom()
    article = long_story()
    related_rebuild()
    return article


def block_headlines(html: str) -> list[str]:
    return re.findall(r'<span class="related__headline">([^<]*)</span>', html)


def inline_headlines(html: str) -> list[tuple[str, str]]:
    return re.findall(
        r'<strong class="inline-related__label">([^<]*):</strong> '
        r'<a class="inline-related__link" href="[^"]*">([^<]*)</a>',
        html,
    )


def test_the_page_shows_two_inline_links_and_four_more_in_the_block(client, story):
    html = client.get(story.get_absolute_url()).content.decode()
    links = list(RelatedLink.objects.filter(article=story).select_related("target"))
    headlines = [link.target.headline for link in links]
    assert inline_headlines(html) == [("SEE ALSO", headlines[0]), ("READ", headlines[1])]
    assert block_headlines(html) == headlines[2:6]
    assert '<aside class="related" aria-labelledby="related-heading">' in html
    assert '<h2 class="related__heading" id="related-heading">Related stories</h2>' in html
    body = html.split('<div class="story__body">')[1].split("</div>")[0]
    paragraphs_before = re.findall(r"<p>", body[: body.index("SEE ALSO")])
    assert len(paragraphs_before) == 2


def test_the_block_shows_image_headline_address_and_date(client, story):
    target = RelatedLink.objects.filter(article=story).get(rank=2).target
    target.featured_image = make_image(alt_text="Ministers at the table")
    target.save()
    html = client.get(story.get_absolute_url()).content.decode()
    item = re.search(r'<li class="related__item">.*?</li>', html, re.S).group()
    assert f'href="{target.get_absolute_url()}"' in item
    assert 'class="related__image"' in item
    assert 'alt=""' in item
    assert f'datetime="{target.published_at.isoformat()}"' in item
    assert target.headline in item


def test_a_short_story_gets_no_inline_links_but_the_four_best_in_the_block(client):
    stories = newsroom()
    related_rebuild()
    article = stories["diplomacy-0"]  # three paragraphs
    html = client.get(article.get_absolute_url()).content.decode()
    links = list(RelatedLink.objects.filter(article=article).select_related("target")[:4])
    assert inline_headlines(html) == []
    assert block_headlines(html) == [link.target.headline for link in links]


def test_fallback_stories_fill_the_block_but_never_interrupt_the_story(client, settings):
    settings.MASTHEAD_RELATED_STRATEGY = "masthead.related.tests.test_lists.NothingRelatedEnough"
    newsroom()
    article = long_story()
    related_rebuild()
    html = client.get(article.get_absolute_url()).content.decode()
    assert inline_headlines(html) == []
    assert len(block_headlines(html)) == 4


def test_a_story_withdrawn_a_moment_ago_is_not_shown_and_the_spares_fill_in(client, story):
    first = RelatedLink.objects.filter(article=story).get(rank=0).target
    Article.objects.filter(pk=first.pk).update(status=Article.Status.DRAFT)  # no task yet
    html = client.get(story.get_absolute_url()).content.decode()
    assert first.headline not in html
    assert len(inline_headlines(html)) == 2
    assert len(block_headlines(html)) == 4


def test_count_and_labels_are_settings(client, story, settings):
    settings.MASTHEAD_RELATED_COUNT = 2
    settings.MASTHEAD_RELATED_INLINE = [("MORE", 3)]
    html = client.get(story.get_absolute_url()).content.decode()
    assert [label for label, _ in inline_headlines(html)] == ["MORE"]
    assert len(block_headlines(html)) == 2
    settings.MASTHEAD_RELATED_COUNT = 0
    settings.MASTHEAD_RELATED_INLINE = []
    html = client.get(story.get_absolute_url()).content.decode()
    assert "related__" not in html
    assert "inline-related" not in html


def test_reading_the_list_is_one_query_whatever_its_length(story):
    article = Article.objects.get(pk=story.pk)
    with CaptureQueriesContext(connection) as queries:
        page = related_page(article=article)
        related_page(article=article)  # the block asks again: no second query
    assert len(queries) == 1
    assert len(page.inline) == 2
    assert len(page.block) == 4


def _queries(client, url: str) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_article_page_costs_the_same_queries_with_or_without_related_stories(client):
    lonely = long_story(slug="lonely")
    without = _queries(client, lonely.get_absolute_url())
    newsroom()
    image = make_image()
    Article.objects.exclude(pk=lonely.pk).update(featured_image=image)
    related_rebuild()
    assert RelatedLink.objects.filter(article=lonely).count() == 8
    with_related = _queries(client, lonely.get_absolute_url())
    assert with_related == without


def test_a_draft_preview_has_no_related_stories(client):
    from masthead.newsroom.preview import preview_url

    newsroom(["diplomacy"])
    draft = long_story(status=Article.Status.DRAFT, published_at=None)
    related_rebuild()
    html = client.get(preview_url(draft)).content.decode()
    assert "Talks resume on Monday." in html
    assert "inline-related" not in html
    assert 'class="related"' not in html
