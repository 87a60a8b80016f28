"""How related stories are chosen: a declarative class, like a syndication ``Feed``.

The site uses the class named by ``MASTHEAD_RELATED_STRATEGY``. Subclass
:class:`RelatedStrategy` and override attributes (any of which may be a method)::

    class QuietStrategy(RelatedStrategy):
        min_score = 0.45                      # fall back sooner
        fallbacks = ("section",)              # never "latest"
        index_options = {"recency_weight": 0.2}
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django.utils.module_loading import import_string

from masthead.newsroom.models import Article
from masthead.related.engine import Document, RelatedIndex

BATCH = 2000


class RelatedStrategy:
    #: The engine class and its options (see docs/related-engine.md).
    index_class: type[RelatedIndex] = RelatedIndex
    index_options: dict = {}
    #: Automatic links scoring below this are not "related enough"; fallbacks fill in.
    min_score: float = 0.3
    #: What fills the list when too few stories are related enough, in order.
    fallbacks: tuple[str, ...] = ("section", "latest")

    def _value(self, name: str):
        value = getattr(self, name)
        return value() if callable(value) else value

    def make_index(self) -> RelatedIndex:
        return self.index_class(**self._value("index_options"))

    def fingerprint(self) -> str:
        """Changes whenever a saved index can no longer be trusted for this strategy."""
        cls, engine = type(self), self.index_class
        options = sorted(self._value("index_options").items())
        names = f"{cls.__module__}.{cls.__qualname__}|{engine.__module__}.{engine.__name__}"
        return f"{names}|{options}"

    def get_min_score(self) -> float:
        return float(self._value("min_score"))

    def get_fallbacks(self) -> tuple[str, ...]:
        return tuple(self._value("fallbacks"))

    def document(self, row: dict, tags: list[str]) -> Document:
        """The engine's view of a story, from the fields :meth:`documents` reads."""
        body = "\n\n".join(part for part in (row["standfirst"], row["body_text"]) if part)
        return Document(
            id=row["pk"],
            title=row["headline"],
            body=body,
            tags=tuple(tags),
            section=row["section__name"],
            published_at=row["published_at"],
        )

    def documents(self, article_ids: Iterable[int] | None = None) -> Iterator[Document]:
        """Live stories (all, or those of ``article_ids``) as documents, read in batches.

        Rows are fetched by primary key and their liveness checked here: filtering on
        status would let SQLite's planner scan every live story for a few of them.
        """
        now = timezone.now()
        if article_ids is None:
            ids = list(Article.objects.live(now=now).order_by("pk").values_list("pk", flat=True))
        else:
            ids = sorted(set(article_ids))
        fields = ("pk", "headline", "standfirst", "body_text", "section__name", "published_at")
        for start in range(0, len(ids), BATCH):
            chunk = ids[start : start + BATCH]
            rows = Article.objects.filter(pk__in=chunk).order_by("pk").values(*fields, "status")
            tags: dict[int, list[str]] = {}
            through = Article.tags.through.objects.filter(article_id__in=chunk)
            for article_id, name in through.values_list("article_id", "tag__name"):
                tags.setdefault(article_id, []).append(name)
            for row in rows:
                when = row["published_at"]
                if row["status"] == Article.Status.PUBLISHED and when and when <= now:
                    yield self.document(row, tags.get(row["pk"], []))


def get_strategy() -> RelatedStrategy:
    from masthead.related.conf import app_settings

    path = app_settings.STRATEGY
    try:
        cls = import_string(path)
    except ImportError as err:
        raise ImproperlyConfigured(
            f"RELATED_STRATEGY={path!r} cannot be imported ({err})."
        ) from err
    if not (isinstance(cls, type) and issubclass(cls, RelatedStrategy)):
        raise ImproperlyConfigured(f"RELATED_STRATEGY={path!r} is not a RelatedStrategy subclass.")
    return cls()
