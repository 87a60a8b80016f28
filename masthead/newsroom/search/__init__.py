"""Full-text search over live stories: SQLite FTS5 or PostgreSQL's text search.

The index lives in the database itself and is kept current by the database (triggers on
SQLite, a generated column on PostgreSQL; see migration 0002), so every write path —
the admin, importers, bulk updates — is searchable at once.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection

from masthead.newsroom.models import Article
from masthead.newsroom.models.article import prefetch_bylines
from masthead.newsroom.search import postgres, sqlite


def _backend():
    if connection.vendor == "postgresql":
        return postgres
    if connection.vendor == "sqlite":
        return sqlite
    raise NotImplementedError(f"Search is not available on {connection.vendor}.")


class SearchHits(Sequence):
    """Lazily counted, lazily sliced results, so Django's Paginator fetches one page only."""

    def __init__(self, query: str) -> None:
        self.query = query
        self._count: int | None = None

    def count(self) -> int:
        if self._count is None:
            self._count = _backend().count(self.query) if self.query else 0
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start = index.start or 0
        stop = index.stop if index.stop is not None else self.count()
        if not self.query or stop <= start:
            return []
        ids = _backend().ids(self.query, limit=stop - start, offset=start)
        articles = Article.objects.for_cards().in_bulk(ids)
        prefetch_bylines(articles.values())
        return [articles[pk] for pk in ids if pk in articles]


def article_search(*, query: str) -> SearchHits:
    return SearchHits(" ".join(query.split())[:200])
