"""A story's "Updated" time is shown only when it comes after its publication."""

from __future__ import annotations

from datetime import timedelta

import pytest

from masthead.newsroom.models import Article
from masthead.newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db


def page(client, article) -> str:
    return client.get(article.get_absolute_url()).content.decode()


def test_an_update_after_publication_is_shown(client):
    article = make_article(age=timedelta(days=2))
    Article.objects.filter(pk=article.pk).update(
        updated_at=article.published_at + timedelta(hours=5)
    )
    html = page(client, article)
    assert "Updated <time" in html
    assert 'property="article:modified_time"' in html


@pytest.mark.parametrize("offset", [timedelta(hours=-8), timedelta(0)])
def test_an_updated_time_not_after_publication_is_not_shown(client, offset):
    article = make_article(age=timedelta(days=2))
    Article.objects.filter(pk=article.pk).update(updated_at=article.published_at + offset)
    html = page(client, article)
    assert "Published <time" in html
    assert "Updated <time" not in html
    assert 'property="article:modified_time"' not in html
