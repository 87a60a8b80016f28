"""PostgreSQL search: a stored, generated tsvector with a GIN index, ranked by ts_rank_cd."""

from __future__ import annotations

from django.db import connection
from django.utils import timezone

from masthead.newsroom.models import Article
from masthead.newsroom.search.terms import query_terms

FROM = """
    FROM newsroom_article AS article, to_tsquery('masthead_search', %s) AS query
    WHERE article.search_document @@ query AND article.status = %s AND article.published_at <= %s
"""


def tsquery(query: str) -> str:
    """Reader's words as a tsquery: every word required, the last one as a prefix."""
    tokens = query_terms(query)
    if not tokens:
        return ""
    return " & ".join([*tokens[:-1], tokens[-1] + ":*"])


def _params(query: str) -> list:
    return [tsquery(query), Article.Status.PUBLISHED, timezone.now()]


def count(query: str) -> int:
    if not tsquery(query):
        return 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) " + FROM, _params(query))
        return cursor.fetchone()[0]


def ids(query: str, *, limit: int, offset: int) -> list[int]:
    if not tsquery(query):
        return []
    sql = (
        "SELECT article.id "  # noqa: S608
        + FROM
        + " ORDER BY ts_rank_cd(article.search_document, query) DESC, article.published_at DESC"
        + " LIMIT %s OFFSET %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*_params(query), limit, offset])
        return [row[0] for row in cursor.fetchall()]
