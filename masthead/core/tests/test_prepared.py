"""Prepared reads give what their queryset gives, with each call's values, in one query."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection, router, transaction
from django.db.transaction import TransactionManagementError
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from masthead.core.db.prepared import Param, PreparedRead
from masthead.newsroom.models import Article, Byline, Tag
from masthead.newsroom.tests.factories import make_article, make_author, make_image, make_tag

pytestmark = pytest.mark.django_db

live_by_slug = PreparedRead(
    lambda slug, now: (
        Article.objects.live(now=now).select_related("section", "featured_image").filter(slug=slug)
    ),
    slug=Param(Article, "slug"),
    now=Param(Article, "published_at"),
)


def fields(instance) -> list:
    return [getattr(instance, f.attname) for f in type(instance)._meta.concrete_fields]


def test_rows_and_related_objects_are_those_of_the_queryset():
    article = make_article(slug="harbour-wall", featured_image=make_image())
    make_article(slug="another-story")
    now = timezone.now()

    [prepared] = live_by_slug(slug="harbour-wall", now=now)
    expected = (
        Article.objects.live(now=now)
        .select_related("section", "featured_image")
        .get(slug="harbour-wall")
    )

    assert prepared.pk == article.pk
    assert fields(prepared) == fields(expected)  # datetimes converted as the ORM does
    assert fields(prepared.section) == fields(expected.section)
    assert fields(prepared.featured_image) == fields(expected.featured_image)
    with CaptureQueriesContext(connection) as queries:
        prepared.section.name, prepared.featured_image.alt_text  # noqa: B018
    assert len(queries) == 0


def test_each_call_uses_its_own_values():
    early = make_article(slug="early", age=timedelta(hours=5))
    make_article(slug="late", age=timedelta(hours=1))
    now = timezone.now()

    assert [a.pk for a in live_by_slug(slug="early", now=now)] == [early.pk]
    assert live_by_slug(slug="late", now=now - timedelta(hours=3)) == []  # not yet published
    assert len(live_by_slug(slug="late", now=now)) == 1
    assert live_by_slug(slug="missing", now=now) == []


def test_one_query_per_call():
    make_article(slug="one")
    live_by_slug(slug="one", now=timezone.now())  # compiled here
    with CaptureQueriesContext(connection) as queries:
        live_by_slug(slug="one", now=timezone.now())
    assert len(queries) == 1
    assert "prepared_%_read" not in queries[0]["sql"]  # no stand-in value sent
    assert "'one'" in queries[0]["sql"]


def test_converters_are_worked_out_once_and_applied_on_every_call(monkeypatch):
    from django.db.models.sql.compiler import SQLCompiler

    make_article(slug="kept", featured_image=make_image())
    read = PreparedRead(
        lambda slug: Article.objects.select_related("featured_image").filter(slug=slug),
        slug=Param(Article, "slug"),
    )
    expected = Article.objects.select_related("featured_image").get(slug="kept")
    worked_out = []
    original = SQLCompiler.get_converters

    def counting(self, expressions):
        worked_out.append(len(expressions))
        return original(self, expressions)

    monkeypatch.setattr(SQLCompiler, "get_converters", counting)
    rows = [read(slug="kept")[0] for _ in range(3)]

    assert len(worked_out) == 1
    for row in rows:
        assert fields(row) == fields(expected)  # aware datetimes, booleans: converted
        assert fields(row.featured_image) == fields(expected.featured_image)
        assert row.published_at.tzinfo is not None


def test_foreign_keys_many_to_many_and_values_list():
    first, second = make_tag("Ports"), make_tag("Ferries")
    article = make_article(tags=[first, second], authors=[make_author("Ana Ruiz")])
    other = make_article(tags=[make_tag("Weather")])
    tags = PreparedRead(
        lambda article: Tag.objects.filter(articles__id=article).values_list("name", flat=True),
        article=Param(Article, "id"),
    )
    bylines = PreparedRead(
        lambda article: Byline.objects.select_related("author").filter(article_id=article),
        article=Param(Byline, "article"),
    )

    assert tags(article=article.pk) == ["Ferries", "Ports"]  # the model's ordering kept
    assert tags(article=other.pk) == ["Weather"]
    [byline] = bylines(article=article.pk)
    assert byline.author.name == "Ana Ruiz"


def test_a_parameter_the_query_does_not_use_is_refused():
    unused = PreparedRead(
        lambda slug, now: Article.objects.filter(slug=slug),
        slug=Param(Article, "slug"),
        now=Param(Article, "published_at"),
    )
    with pytest.raises(ValueError, match="'now' is not in the SQL"):
        unused(slug="x", now=timezone.now())


def test_a_value_worked_out_from_a_parameter_is_refused():
    # Kept as compiled, the lower bound would stay at the stand-in's date forever.
    window = PreparedRead(
        lambda now: Article.objects.filter(
            published_at__lte=now, published_at__gte=now - timedelta(days=30)
        ),
        now=Param(Article, "published_at"),
    )
    with pytest.raises(ValueError, match="not a parameter as given"):
        window(now=timezone.now())


def test_the_time_read_inside_the_query_is_refused():
    # live() without now= reads the clock: compiled once, it would never move on.
    clocked = PreparedRead(
        lambda slug: Article.objects.live().filter(slug=slug), slug=Param(Article, "slug")
    )
    with pytest.raises(ValueError, match="not a parameter as given"):
        clocked(slug="x")


def test_a_lookup_that_rewrites_its_value_is_refused():
    containing = PreparedRead(
        lambda text: Tag.objects.filter(name__contains=text), text=Param(Tag, "name")
    )
    with pytest.raises(ValueError, match="not a parameter as given"):
        containing(text="port")


def test_small_integer_fields_and_model_instances():
    article = make_article(authors=[make_author("Ana Ruiz"), make_author("Ben Ode")])
    at = PreparedRead(
        lambda article, position: Byline.objects.filter(article=article, position=position),
        article=Param(Byline, "article"),
        position=Param(Byline, "position"),
    )
    [second] = at(article=article, position=1)  # an instance stands for its key
    assert second.author.name == "Ben Ode"
    with pytest.raises(ValueError, match="IS NULL"):
        at(article=article, position=None)


def test_every_value_must_be_given():
    with pytest.raises(TypeError, match="slug"):
        live_by_slug(slug="x")


def test_fields_without_a_marker_are_refused():
    with pytest.raises(TypeError, match="no marker for BooleanField"):
        PreparedRead(
            lambda pinned: Article.objects.filter(pinned=pinned), pinned=Param(Article, "pinned")
        )(pinned=True)


@pytest.mark.django_db(transaction=True)
def test_threads_compile_for_their_own_connections():
    make_article(slug="threaded")
    read = PreparedRead(
        lambda slug: Article.objects.filter(slug=slug).values_list("slug", flat=True),
        slug=Param(Article, "slug"),
    )
    assert read(slug="threaded") == ["threaded"]
    results, errors = [], []

    def work():
        from django.db import connections

        try:
            results.append(read(slug="threaded"))
            results.append(read(using="default", slug="nothing"))
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert errors == []
    assert results == [["threaded"], []]
    assert read(slug="threaded") == ["threaded"]


story_lock = PreparedRead(
    lambda pk: Article.objects.select_for_update().filter(pk=pk).values_list("pk"),
    pk=Param(Article, "id"),
)


@pytest.mark.django_db(transaction=True)  # autocommit between transactions, as in a view
def test_a_read_that_locks_rows_runs_only_in_a_transaction():
    article = make_article()
    with transaction.atomic():
        assert story_lock(pk=article.pk) == [(article.pk,)]
    with pytest.raises(TransactionManagementError, match="outside of a transaction"):
        story_lock(pk=article.pk)  # compiled already: refused all the same


def test_a_read_that_locks_rows_goes_to_the_database_for_writes(monkeypatch):
    class Router:
        def db_for_read(self, model, **hints):
            return "replica"

        def db_for_write(self, model, **hints):
            return "default"

    monkeypatch.setattr(router, "_routers", [Router()])
    locking = PreparedRead(story_lock.build, pk=Param(Article, "id"))
    article = make_article()
    with transaction.atomic():
        assert locking(pk=article.pk) == [(article.pk,)]  # no "replica" database: not asked


@pytest.mark.postgres
def test_the_lock_is_in_the_sql_on_postgresql():
    article = make_article()
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        story_lock(pk=article.pk)
    assert queries[-1]["sql"].rstrip().endswith("FOR UPDATE")
