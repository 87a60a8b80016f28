"""Cached pages mirrored to disk for nginx: written, filed by group, purged, expired."""

import os
import time

import pytest

from masthead.core import pagemirror
from masthead.newsroom import services
from masthead.newsroom.tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def mirror(settings, tmp_path):
    settings.MASTHEAD_PAGE_CACHE_SECONDS = 600
    settings.MASTHEAD_PAGE_CACHE_DIR = str(tmp_path / "pages")
    return tmp_path / "pages"


def page_file(mirror, path: str):
    return mirror.joinpath("news.example.org", *[p for p in path.split("/") if p], "index.html")


def test_cached_html_pages_are_written_for_nginx(client, mirror):
    article = make_article(headline="On disk")
    path = article.get_absolute_url()
    client.get(path, HTTP_HOST="news.example.org")
    written = page_file(mirror, path)
    assert written.exists()
    assert b"On disk" in written.read_bytes()
    assert oct(written.stat().st_mode)[-3:] == "644"


def test_feeds_queries_and_personal_pages_are_not_written(client, mirror, django_user_model):
    article = make_article()
    client.get("/feed/", HTTP_HOST="news.example.org")
    client.get("/section/" + article.section.slug + "/?page=1", HTTP_HOST="news.example.org")
    assert not page_file(mirror, "/feed/").exists()
    assert not page_file(mirror, "/section/" + article.section.slug + "/").exists()
    client.force_login(django_user_model.objects.create_user("ed", is_staff=True))
    client.get(article.get_absolute_url(), HTTP_HOST="news.example.org")
    assert not page_file(mirror, article.get_absolute_url()).exists()


def test_a_purge_deletes_exactly_the_affected_files(client, mirror):
    politics, sport = make_section(slug="politics"), make_section(slug="sport")
    story = make_article(section=politics)
    other = make_article(section=sport)
    paths = [story.get_absolute_url(), "/section/politics/", "/section/sport/"]
    for path in [*paths, other.get_absolute_url()]:
        client.get(path, HTTP_HOST="news.example.org")
        assert page_file(mirror, path).exists(), path
    story.headline = "Changed"
    services.article_save(article=story)
    assert not page_file(mirror, story.get_absolute_url()).exists()
    assert not page_file(mirror, "/section/politics/").exists()
    assert page_file(mirror, "/section/sport/").exists()
    assert page_file(mirror, other.get_absolute_url()).exists()


def test_a_site_wide_purge_deletes_everything(client, mirror):
    article = make_article()
    client.get(article.get_absolute_url(), HTTP_HOST="news.example.org")
    make_section(name="New desk")  # every page's navigation changes
    assert not page_file(mirror, article.get_absolute_url()).exists()


def test_a_page_purged_while_it_was_written_is_removed(mirror):
    target = pagemirror.store(
        host="news.example.org",
        path="/x/",
        content=b"stale",
        groups=["article:x"],
        still_fresh=lambda: False,
    )
    assert target is None
    assert not page_file(mirror, "/x/").exists()


@pytest.mark.parametrize("path", ["/../etc/", "/a/../../b/", "/.hidden/", "/no-slash"])
def test_unsafe_paths_are_never_written(mirror, path):
    stored = pagemirror.store(
        host="news.example.org", path=path, content=b"x", groups=[], still_fresh=lambda: True
    )
    assert stored is None
    assert not list(mirror.rglob("index.html"))


def test_old_pages_expire(client, mirror):
    article = make_article()
    client.get(article.get_absolute_url(), HTTP_HOST="news.example.org")
    written = page_file(mirror, article.get_absolute_url())
    old = time.time() - 3600
    os.utime(written, (old, old))
    assert pagemirror.expire(older_than=600) == 1
    assert not written.exists()
