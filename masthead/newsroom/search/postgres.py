"""PostgreSQL search: a stored, generated tsvector with a GIN index, ranked by ts_rank_cd."""

from __future__ import annotations

from django.db import connection
from django.utils import timezone

from masthead.newsroom.models import Article
from masthead.newsroom.search.terms import parse_query

FROM = """
    FROM newsroom_article AS article, to_tsquery('masthead_search', %s) AS query
    WHERE article.search_document @@ query AND article.status = %s AND article.published_at <= %s
"""


def tsquery(query: str) -> str:
    """Reader's query as a tsquery (see :mod:`.terms`); its words are letters and digits
    only, so none of them is read as tsquery syntax."""
    parsed = parse_query(query)
    if not parsed:
        return ""

    def phrase(term: tuple[str, ...]) -> str:
        return term[0] if len(term) == 1 else "(" + " <-> ".join(term) + ")"

    parts = [phrase(term) for term in parsed.include]
    if parsed.prefix:
        parts[-1] += ":*"
    parts += [f"!{phrase(term)}" for term in parsed.exclude]
    return " & ".join(parts)


def _params(expression: str) -> list:
    return [expression, Article.Status.PUBLISHED, timezone.now()]


def count(query: str) -> int:
    expression = tsquery(query)  # parsed once
    if not expression:
        return 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) " + FROM, _params(expression))
        return cursor.fetchone()[0]


def ids(query: str, *, limit: int, offset: int) -> list[int]:
    expression = tsquery(query)  # parsed once
    if not expression:
        return []
    sql = (
        "SELECT article.id "  # noqa: S608
        + FROM
        + " ORDER BY ts_rank_cd(article.search_document, query) DESC, article.published_at DESC"
        + " LIMIT %s OFFSET %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*_params(expression), limit, offset])
        return [row[0] for row in cursor.fetchall()]
