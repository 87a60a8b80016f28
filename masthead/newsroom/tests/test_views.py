import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from masthead.newsroom.models import Article
from masthead.newsroom.preview import preview_token, preview_url
from masthead.newsroom.tests.factories import (
    card_links,
    login,
    make_article,
    make_author,
    make_image,
    make_section,
    make_tag,
)

pytestmark = pytest.mark.django_db


def test_article_page_shows_the_story(client):
    author = make_author("Ada Reporter")
    article = make_article(
        headline="Harbour wall opens",
        standfirst="The long-awaited wall is finished.",
        body="<p>First paragraph.</p><p>Second paragraph.</p>",
        authors=[author],
        tags=[make_tag("Flood defences")],
    )
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<h1" in html
    assert "Harbour wall opens" in html
    assert "The long-awaited wall is finished." in html
    assert f'href="{author.get_absolute_url()}"' in html
    assert "1 Min Read" in html
    assert "Flood defences" in html
    assert "Share this Article" in html


def test_markup_in_a_headline_is_escaped_on_the_story_page(client):
    article = make_article(
        headline="""<script>alert("x")</script> O'Neil & co""", standfirst="<b>Not bold</b>"
    )
    html = client.get(article.get_absolute_url()).content.decode()
    escaped = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; O&#x27;Neil &amp; co"
    assert f'<h1 class="story__headline">{escaped}</h1>' in html
    assert f"<title>{escaped} — " in html
    assert "<script>alert" not in html
    assert '<p class="story__standfirst">&lt;b&gt;Not bold&lt;/b&gt;</p>' in html


def test_tag_and_author_pages_list_their_stories_with_feeds(client):
    tag = make_tag("Ferries & boats")
    bio = "Writes about the harbour. " * 20
    author = make_author("Ann O'Neil", bio=bio, photo=make_image(alt_text="Ann"))
    story = make_article(headline="Ferry timetable changes", tags=[tag], authors=[author])
    make_article(headline="Another story")

    response = client.get(tag.get_absolute_url())
    html = response.content.decode()
    assert "<h1>Ferries &amp; boats</h1>" in html
    assert card_links(response) == [story.get_absolute_url()]
    assert f'<a href="/tag/{tag.slug}/feed/">RSS</a>' in html

    response = client.get(author.get_absolute_url())
    html = response.content.decode()
    assert "<h1>Ann O&#x27;Neil</h1>" in html
    assert '<img src="' in html
    assert 'class="profile__photo"' in html
    assert f'<meta name="description" content="{bio[:199]}…">' in html
    assert card_links(response) == [story.get_absolute_url()]
    assert f'<a href="/author/{author.slug}/feed/atom/">Atom</a>' in html


def test_drafts_scheduled_and_archived_stories_are_not_public(client):
    for status in (Article.Status.DRAFT, Article.Status.ARCHIVED):
        article = make_article(status=status)
        assert client.get(article.get_absolute_url()).status_code == 404
    future = make_article(
        status=Article.Status.SCHEDULED, published_at=timezone.now() + timedelta(hours=1)
    )
    assert client.get(future.get_absolute_url()).status_code == 404


def test_a_stale_date_in_the_address_redirects_to_the_story(client):
    article = make_article(age=timedelta(days=40))
    response = client.get(f"/2001/01/01/{article.slug}/")
    assert response.status_code == 301
    assert response["Location"] == article.get_absolute_url()


@pytest.mark.parametrize("page", ["0", "-1", "abc", "99", "1.5", ""])
def test_invalid_page_numbers_are_404_not_500(client, page):
    section = make_section(slug="politics")
    make_article(section=section)
    assert client.get(f"/section/politics/?page={page}").status_code == 404


def test_listing_pages_paginate(client):
    section = make_section(slug="sport")
    stories = [make_article(section=section) for _ in range(21)]
    oldest = stories[0]
    first = client.get("/section/sport/")
    assert "Page 1 of 2" in first.content.decode()
    assert 'rel="next" href="?page=2"' in first.content.decode()
    assert len(card_links(first)) == 20
    assert oldest.get_absolute_url() not in card_links(first)
    second = client.get("/section/sport/?page=2")
    assert "Page 2 of 2" in second.content.decode()
    assert card_links(second) == [oldest.get_absolute_url()]


def test_unknown_addresses_are_404_with_the_site_page(client):
    for url in [
        "/no-such-page/",
        "/section/nope/",
        "/tag/nope/",
        "/author/nope/",
        "/2020/01/01/x/",
    ]:
        response = client.get(url)
        assert response.status_code == 404, url
    assert "We can’t find that page" in client.get("/nowhere/").content.decode()


def test_preview_link_shows_a_draft_without_indexing(client):
    article = make_article(status=Article.Status.DRAFT, headline="Secret draft")
    assert client.get(article.get_absolute_url()).status_code == 404
    response = client.get(preview_url(article))
    assert response.status_code == 200
    assert "Secret draft" in response.content.decode()
    assert "noindex" in response["X-Robots-Tag"]
    assert "Readers cannot see it yet" in response.content.decode()


def test_forged_or_expired_preview_links_are_404(client, settings):
    article = make_article(status=Article.Status.DRAFT)
    token = preview_token(article)
    assert client.get(f"/preview/{token}x/").status_code == 404
    settings.SECRET_KEY = "another-key-entirely-for-this-test-0123456789"
    assert client.get(f"/preview/{token}/").status_code == 404


def test_unpublishing_a_live_story_revokes_its_preview_links(client):
    """A story taken down (for legal reasons, say) must not stay readable through a link."""
    from masthead.newsroom import services

    draft = make_article(status=Article.Status.DRAFT, headline="Under embargo")
    early = preview_url(draft)
    services.article_save(article=draft)  # an ordinary save of a draft keeps the links
    assert client.get(early).status_code == 200
    services.article_publish(article=draft)
    shared = preview_url(draft)
    services.article_unpublish(article=draft)
    assert client.get(shared).status_code == 404
    assert client.get(early).status_code == 404
    fresh = preview_url(draft)
    assert "Under embargo" in client.get(fresh).content.decode()


def test_an_editor_revokes_preview_links(client):
    from django.contrib.auth.models import Group, User

    draft = make_article(status=Article.Status.DRAFT)
    shared = preview_url(draft)
    editor = User.objects.create_user("ed", password="pw", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editor"))
    client.force_login(editor)
    response = client.post(
        "/admin/newsroom/article/",
        {"action": "revoke_previews", "_selected_action": [draft.pk]},
        follow=True,
    )
    assert "Revoked the preview links of 1 story" in response.content.decode()
    client.logout()
    assert client.get(shared).status_code == 404
    draft.refresh_from_db()
    assert client.get(preview_url(draft)).status_code == 200


def test_a_preview_link_without_a_key_is_refused(client):
    from django.core import signing

    from masthead.newsroom.preview import SALT

    draft = make_article(status=Article.Status.DRAFT)
    keyless = signing.dumps({"a": draft.pk}, salt=SALT, compress=True)  # the old format
    assert client.get(f"/preview/{keyless}/").status_code == 404


def test_preview_expires_after_a_week(client, monkeypatch):
    article = make_article(status=Article.Status.DRAFT)
    token = preview_token(article)
    import time

    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 7 * 86400 + 60)
    assert client.get(f"/preview/{token}/").status_code == 404


def test_home_page_leads_with_the_pinned_story(client):
    newest = make_article(headline="Newest story")
    pinned = make_article(headline="Pinned story", pinned=True, age=timedelta(days=2))
    html = client.get("/").content.decode()
    lead = re.search(r'<article class="card card--lead">.*?</article>', html, re.DOTALL)
    assert lead is not None
    assert pinned.get_absolute_url() in lead.group()
    assert newest.get_absolute_url() not in lead.group()


def test_every_story_is_reachable_from_the_home_page_page_by_page(client):
    """The home page shows a few stories; "All stories" lists every live one, newest first,
    in pages (WordPress's "Older posts"), and only live ones."""
    stories = [make_article(headline=f"Story {i}", age=timedelta(hours=i)) for i in range(25)]
    make_article(headline="Not yet", status=Article.Status.DRAFT)
    home = client.get("/").content.decode()
    assert f'href="{reverse("newsroom:latest")}"' in home
    first = client.get(reverse("newsroom:latest"))
    second = client.get(reverse("newsroom:latest"), {"page": 2})
    shown = card_links(first) + card_links(second)
    assert shown == [story.get_absolute_url() for story in stories]
    assert "Older</a>" in first.content.decode()
    assert "Not yet" not in first.content.decode() + second.content.decode()


def test_home_page_without_stories_says_so(client):
    assert "Nothing has been published yet" in client.get("/").content.decode()


def _populate(n: int, sections: list) -> None:
    authors = [make_author() for _ in range(2)]
    tags = [make_tag() for _ in range(2)]
    for i in range(n):
        make_article(
            section=sections[i % len(sections)],
            authors=authors[: 1 + i % 2],
            tags=tags,
            featured_image=None,
        )


def _queries_for(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm the navigation cache, as on a running site
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "path", ["home", "article", "section", "tag", "author", "search", "feed", "author-feed"]
)
def test_pages_use_a_constant_number_of_queries(client, path):
    sections = [make_section(slug=f"s{i}") for i in range(3)]
    image = make_image()
    _populate(3, sections)
    writer = make_author(name="Ada Quill", slug="ada-quill")
    article = make_article(
        headline="Harbour wall", section=sections[0], featured_image=image,
        tags=[make_tag("Ports")], authors=[writer],
    )  # fmt: skip
    url = {
        "home": "/", "article": article.get_absolute_url(), "section": "/section/s0/",
        "tag": article.tags.get().get_absolute_url(), "author": writer.get_absolute_url(),
        "search": "/search/?q=harbour", "feed": reverse("syndication:feed"),
        "author-feed": reverse("syndication:author-feed", args=[writer.slug]),
    }[path]  # fmt: skip
    few = _queries_for(client, url)
    assert "Ada Quill" in client.get(url).content.decode()  # the story's byline
    _populate(30, sections)
    many = _queries_for(client, url)
    assert few == many, f"{path}: {few} queries with 4 stories, {many} with 34"
    assert many <= 12


def test_bylines_for_many_cards_in_one_query(django_assert_num_queries):
    from masthead.newsroom.models.article import prefetch_bylines

    first, second = make_author(name="First Writer"), make_author(name="Second Writer")
    both = make_article(authors=[second, first])
    nobody = make_article(authors=[])
    cards = list(Article.objects.filter(pk__in=[both.pk, nobody.pk]).order_by("pk"))
    with django_assert_num_queries(1):
        prefetch_bylines([None, *cards])
        assert [a.name for a in cards[0].byline_authors()] == ["Second Writer", "First Writer"]
        assert cards[1].byline_authors() == []
    with django_assert_num_queries(0):
        prefetch_bylines([])


def test_server_errors_show_the_sites_own_page(client, monkeypatch):
    from masthead.newsroom import selectors

    def broken(**kwargs):
        raise RuntimeError("database on fire")

    monkeypatch.setattr(selectors, "home_page", broken)
    client.raise_request_exception = False
    response = client.get("/")
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()
    assert "database on fire" not in response.content.decode()


def test_newsroom_staff_get_links_to_the_admin_on_a_story_and_readers_do_not(client):
    story = make_article(headline="Harbour wall opens")
    reader_page = client.get(story.get_absolute_url())
    assert "Edit this story" not in reader_page.content.decode()
    login(client, "Editor")
    page = client.get(story.get_absolute_url()).content.decode()
    edit = reverse("admin:newsroom_article_change", args=[story.pk])
    assert f'<a href="{edit}">Edit this story</a>' in page
    assert "?q=Harbour+wall+opens" in page
    assert client.get(edit).status_code == 200
    contributor = Client()
    login(contributor, "Contributor")  # may not edit a live story: no such link
    assert "Edit this story" not in contributor.get(story.get_absolute_url()).content.decode()
