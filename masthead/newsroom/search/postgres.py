"""PostgreSQL search: a stored, generated tsvector with a GIN index, ranked by ts_rank_cd."""

from __future__ import annotations

from django.db import connection
from django.utils import timezone

from masthead.newsroom.models import Article

CONFIG = "pg_catalog.english"

FROM = """
    FROM newsroom_article AS article, websearch_to_tsquery('pg_catalog.english', %s) AS query
    WHERE article.search_document @@ query AND article.status = %s AND article.published_at <= %s
"""


def _params(query: str) -> list:
    return [query, Article.Status.PUBLISHED, timezone.now()]


def count(query: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) " + FROM, _params(query))
        return cursor.fetchone()[0]


def ids(query: str, *, limit: int, offset: int) -> list[int]:
    sql = (
        "SELECT article.id "  # noqa: S608
        + FROM
        + " ORDER BY ts_rank_cd(article.search_document, query) DESC, article.published_at DESC"
        + " LIMIT %s OFFSET %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*_params(query), limit, offset])
        return [row[0] for row in cursor.fetchall()]
