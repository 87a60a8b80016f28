"""Reads whose SQL is built once, then run with each request's values.

Django turns a queryset into SQL afresh every time it runs. For the few small reads of a
story page that costs more than the database's own work: resolving the filters, choosing
columns for ``select_related`` and compiling them took about a quarter of the page's time,
the queries themselves a twentieth. A :class:`PreparedRead` builds its queryset once per
database connection, with a marker value in place of each parameter, keeps the compiled
SQL, and on each call swaps the request's values in. Rows still come back through Django's
own iterables, so the result is exactly what the queryset would give: model instances with
their ``select_related`` objects, or ``values_list`` tuples.

Only fixed-shape reads with exact or range lookups qualify: the SQL must be the same
whatever the values (no ``__in`` lists whose length varies, no filters added or left out
by value), and each value must reach the SQL as it is given. Each read is compiled twice
with different stand-in values to check this: a value worked out from a parameter
(``now - timedelta(days=30)``), the time read inside the build, or a lookup that rewrites
its value (``contains``; ``iexact`` on SQLite) makes it refuse with ``ValueError``.

Compiled forms are kept per thread: under ASGI, where each request may run in a new
thread, a read is compiled again for each request (correct, without the saving).

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

from django.db import connections, models, router
from django.db.models import Model, QuerySet
from django.db.transaction import TransactionManagementError


@dataclass(frozen=True)
class Param:
    """A parameter of a prepared read, typed by the model field it is compared with."""

    model: type[Model]
    field_name: str

    @property
    def field(self):
        return self.model._meta.get_field(self.field_name)

    def marker(self, index: int, build: int) -> Any:
        """A stand-in value for compiling: each build gets different ones, so the values
        that change between two builds are exactly the parameters' places in the SQL. The
        strings hold ``%`` and ``_``, which a lookup that escapes or wraps its value
        (``iexact`` on SQLite, ``contains``) changes: such reads are refused."""
        field = self.field.target_field if self.field.is_relation else self.field
        if isinstance(field, models.DateTimeField):
            return dt.datetime(1901 + build, 1, 1, 0, 0, 0, 424242 + index, tzinfo=dt.UTC)
        if isinstance(field, models.IntegerField):  # in range for the smallest integer field
            return 1000 * (build + 1) + 7 + index
        if isinstance(field, models.CharField | models.TextField):
            return f"prepared_%_read-{build}-{index}"
        raise TypeError(f"PreparedRead has no marker for {field.__class__.__name__} values.")

    def to_db(self, value: Any, connection) -> Any:
        """``value`` as an exact or range lookup on this field sends it to this database."""
        if value is None:
            raise ValueError(f"PreparedRead: {self.field_name} is None (IS NULL is another query).")
        if isinstance(value, Model):
            value = value.pk
        field = self.field
        return field.get_db_prep_value(field.get_prep_value(value), connection, prepared=True)


class _Prepared:
    """One connection's compiled form of a read.

    The queryset is kept with its compiler: Django's iterables ask the query for a
    compiler and the compiler for its SQL, so the kept query hands out the kept compiler,
    and the compiler hands out the kept SQL with this call's values. The kept queryset
    never leaves this object (a clone of its query would carry the override along).
    """

    def __init__(self, build: Callable[..., QuerySet], params: dict[str, Param], using, connection):
        builds = []
        for number in (0, 1):
            markers = {name: p.marker(i, number) for i, (name, p) in enumerate(params.items())}
            queryset = build(**markers).using(using)
            compiler = queryset.query.get_compiler(connection=connection)
            sql, compiled = compiler.as_sql()
            builds.append((queryset, compiler, sql, list(compiled), markers))
        (self.queryset, self.compiler, self.sql, self.template, first), second = builds
        if second[2] != self.sql or len(second[3]) != len(self.template):
            raise ValueError("PreparedRead: the query's SQL depends on its values.")
        self.slots: list[tuple[int, Param, str]] = []
        for index, (a, b) in enumerate(zip(self.template, second[3], strict=True)):
            if a == b:
                continue
            name = next(
                (
                    name
                    for name, param in params.items()
                    if a == param.to_db(first[name], connection)
                    and b == param.to_db(second[4][name], connection)
                ),
                None,
            )
            if name is None:
                raise ValueError(
                    f"PreparedRead: value {index + 1} of the SQL changes from one build to the "
                    "next but is not a parameter as given (a value worked out from one, the "
                    "time read inside the query, or a lookup that rewrites its value)."
                )
            self.slots.append((index, params[name], name))
        missing = set(params) - {name for _, _, name in self.slots}
        if missing:
            raise ValueError(f"PreparedRead: parameter {sorted(missing)[0]!r} is not in the SQL.")
        self.bound: list[Any] = self.template
        self.converters: dict[tuple[int, ...], dict] = {}
        # Django refuses a locking read outside a transaction when it compiles one; this one
        # is compiled once, so the check is made on every run instead.
        self.locks = bool(self.queryset.query.select_for_update)
        self.queryset.query.get_compiler = self._get_compiler
        self.compiler.as_sql = self._as_sql
        self.compiler.get_converters = self._get_converters

    def _get_compiler(self, using=None, connection=None, elide_empty=True):
        return self.compiler

    def _as_sql(self, *args, **kwargs) -> tuple[str, tuple]:
        return self.sql, tuple(self.bound)

    def _get_converters(self, expressions) -> dict:
        """The kept compiler's columns are the same objects on every run: so are their
        converters (the compiler asks for them each time it reads rows)."""
        key = tuple(map(id, expressions))
        converters = self.converters.get(key)
        if converters is None:
            converters = self.converters[key] = type(self.compiler).get_converters(
                self.compiler, expressions
            )
        return converters

    def run(self, values: dict[str, Any]) -> list:
        if self.locks and self.compiler.connection.get_autocommit():
            raise TransactionManagementError(
                "select_for_update cannot be used outside of a transaction."
            )
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
        self._model: type[Model] | None = None
        self._locks = False

    def __call__(self, *, using: str | None = None, **values: Any) -> list:
        """The rows, as ``list(build(**values))`` would give them."""
        if values.keys() != self.params.keys():
            raise TypeError(f"PreparedRead needs the values {sorted(self.params)}.")
        return self._prepared(using).run(values)

    def _prepared(self, using: str | None) -> _Prepared:
        if using is None:
            if self._model is None:
                markers = {n: p.marker(i, 0) for i, (n, p) in enumerate(self.params.items())}
                queryset = self.build(**markers)
                self._model, self._locks = queryset.model, bool(queryset.query.select_for_update)
            # A read that locks rows belongs with the writes that follow it.
            using = (router.db_for_write if self._locks else router.db_for_read)(self._model)
        # Django's connections belong to a thread: so does what was compiled for them.
        connection = connections[using]
        cache = self._local.__dict__.setdefault("by_alias", {})
        prepared = cache.get(using)
        if prepared is None or prepared.compiler.connection is not connection:
            prepared = cache[using] = _Prepared(self.build, self.params, using, connection)
        return prepared
