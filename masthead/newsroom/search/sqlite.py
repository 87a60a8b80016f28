"""FTS5 search: an external-content index over headline, standfirst and body text."""

from __future__ import annotations

from django.db import connection
from django.utils import timezone

from masthead.newsroom.models import Article
from masthead.newsroom.search.terms import parse_query

FROM = """
    FROM newsroom_article_fts
    JOIN newsroom_article AS article ON article.id = newsroom_article_fts.rowid
    WHERE newsroom_article_fts MATCH %s AND article.status = %s AND article.published_at <= %s
"""


def match_expression(query: str) -> str:
    """Reader's query as an FTS5 query (see :mod:`.terms`): every term quoted, so that none
    of the reader's characters is read as FTS5 syntax."""
    parsed = parse_query(query)
    if not parsed:
        return ""

    def quoted(term: tuple[str, ...]) -> str:
        return '"' + " ".join(term) + '"'

    included = [quoted(term) for term in parsed.include]
    if parsed.prefix:
        included[-1] += "*"
    expression = "(" + " ".join(included) + ")"
    return expression + "".join(f" NOT {quoted(term)}" for term in parsed.exclude)


def _params(expression: str) -> list:
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    return [expression, Article.Status.PUBLISHED, now]


def count(query: str) -> int:
    expression = match_expression(query)  # parsed once
    if not expression:
        return 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) " + FROM, _params(expression))
        return cursor.fetchone()[0]


def ids(query: str, *, limit: int, offset: int) -> list[int]:
    expression = match_expression(query)  # parsed once
    if not expression:
        return []
    sql = (
        "SELECT article.id "  # noqa: S608
        + FROM
        + " ORDER BY bm25(newsroom_article_fts, 10.0, 4.0, 1.0), article.published_at DESC"
        + " LIMIT %s OFFSET %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*_params(expression), limit, offset])
        return [row[0] for row in cursor.fetchall()]
