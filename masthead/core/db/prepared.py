"""Reads whose SQL is built once, then run with each request's values.

Django turns a queryset into SQL afresh every time it runs. For the few small reads of a
story page that costs more than the database's own work: resolving the filters, choosing
columns for ``select_related`` and compiling them took about a quarter of the page's time,
the queries themselves a twentieth. A :class:`PreparedRead` builds its queryset once per
database connection, with a marker value in place of each parameter, keeps the compiled
SQL, and on each call swaps the request's values in. Rows still come back through Django's
own iterables, so the result is exactly what the queryset would give: model instances with
their ``select_related`` objects, or ``values_list`` tuples.

Only fixed-shape reads qualify: the queryset must have the same SQL whatever the values
(no ``__in`` lists whose length varies, no filters added or left out by value).

    story_by_slug = PreparedRead(
        lambda slug, now: Article.objects.filter(slug=slug, published_at__lte=now)[:2],
        slug=Param(Article, "slug"),
        now=Param(Article, "published_at"),
    )
    rows = story_by_slug(slug="harbour-wall", now=timezone.now())
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connections, models
from django.db.models import Model, QuerySet


@dataclass(frozen=True)
class Param:
    """A parameter of a prepared read, typed by the model field it is compared with."""

    model: type[Model]
    field_name: str

    @property
    def field(self):
        return self.model._meta.get_field(self.field_name)

    def marker(self, index: int) -> Any:
        """A value no real request sends, told apart from the other parameters'."""
        field = self.field.target_field if self.field.is_relation else self.field
        if isinstance(field, models.DateTimeField):
            return dt.datetime(1901, 1, 1, 0, 0, 0, 424242 + index, tzinfo=dt.UTC)
        if isinstance(field, models.IntegerField):  # the automatic primary keys too
            return -8_675_309_000 - index
        if isinstance(field, models.CharField | models.TextField):
            return f"\x1fprepared-read-{index}\x1f"
        raise TypeError(f"PreparedRead has no marker for {field.__class__.__name__} values.")

    def to_db(self, value: Any, connection) -> Any:
        """``value`` as Django's lookup would send it to this database."""
        field = self.field
        return field.get_db_prep_value(field.get_prep_value(value), connection, prepared=True)


class _Prepared:
    """One connection's compiled form of a read.

    The queryset is kept with its compiler: Django's iterables ask the query for a
    compiler and the compiler for its SQL, so the kept query hands out the kept compiler,
    and the compiler hands out the kept SQL with this call's values.
    """

    def __init__(self, queryset: QuerySet, params: dict[str, Param], markers: dict, connection):
        self.queryset = queryset
        self.compiler = queryset.query.get_compiler(connection=connection)
        self.sql, compiled = self.compiler.as_sql()
        self.template = list(compiled)
        self.bound: list[Any] = self.template
        self.slots: list[tuple[int, Param, str]] = []
        for name, param in params.items():
            wanted = param.to_db(markers[name], connection)
            found = [i for i, value in enumerate(self.template) if value == wanted]
            if not found:
                raise ValueError(f"PreparedRead: parameter {name!r} is not in the compiled SQL.")
            self.slots += [(i, param, name) for i in found]
        queryset.query.get_compiler = self._get_compiler
        self.compiler.as_sql = self._as_sql

    def _get_compiler(self, using=None, connection=None, elide_empty=True):
        return self.compiler

    def _as_sql(self, *args, **kwargs) -> tuple[str, tuple]:
        return self.sql, tuple(self.bound)

    def run(self, values: dict[str, Any]) -> list:
        bound = self.template.copy()
        for index, param, name in self.slots:
            bound[index] = param.to_db(values[name], self.compiler.connection)
        self.bound = bound
        queryset = self.queryset.__class__.__new__(self.queryset.__class__)
        queryset.__dict__ = self.queryset.__dict__.copy()  # a fresh result cache, same query
        queryset._result_cache = None
        return list(queryset)


class PreparedRead:
    """A fixed-shape read, compiled once per database connection (see the module's text)."""

    def __init__(self, build: Callable[..., QuerySet], **params: Param):
        self.build = build
        self.params = params
        self._local = threading.local()

    def __call__(self, *, using: str = "default", **values: Any) -> list:
        """The rows, as ``list(build(**values))`` would give them."""
        if values.keys() != self.params.keys():
            raise TypeError(f"PreparedRead needs the values {sorted(self.params)}.")
        return self._prepared(using).run(values)

    def _prepared(self, using: str) -> _Prepared:
        # Django's connections belong to a thread: so does what was compiled for them.
        connection = connections[using]
        cache = self._local.__dict__.setdefault("by_alias", {})
        prepared = cache.get(using)
        if prepared is None or prepared.compiler.connection is not connection:
            markers = {name: p.marker(i) for i, (name, p) in enumerate(self.params.items())}
            queryset = self.build(**markers).using(using)
            prepared = cache[using] = _Prepared(queryset, self.params, markers, connection)
        return prepared
