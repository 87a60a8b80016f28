"""No stored email address ever appears in public: pages, feeds, sitemaps, JSON, attributes.

Comments are posted through the real endpoint (plain and script), some held, some spam,
some replies, with remembered details; then every public page and feed is crawled as an
anonymous reader and searched for each address, in any case, and for the hashes a Gravatar
URL would carry.
"""

from __future__ import annotations

import hashlib
import re
import time
from html import unescape
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from django.test import Client

from masthead.discussion import moderation
from masthead.discussion.models import Comment, DiscussionSettings
from masthead.discussion.tokens import form_token
from masthead.newsroom.tests.factories import make_article, make_author, make_section, make_tag

pytestmark = pytest.mark.django_db
SKIP = ("/admin/", "/static/", "/media/", "/comments/post/", "/preview/")
LINK = re.compile(r'(?:href|src|action)="([^"#]*)')


def post(client, article, **fields):
    data = {
        "body": "A comment",
        "author_name": "Someone",
        "author_email": "",
        "author_url": "",
        "issued": form_token(article.pk, issued_at=time.time() - 60),
    }
    data.update(fields)
    return client.post(f"/comments/post/{article.pk}/", data)


@pytest.fixture
def site():
    config = DiscussionSettings.load()
    config.flood_seconds = 0
    config.per_page = 2
    config.save()
    section = make_section("Harbour", slug="harbour")
    author = make_author("Lin Ma", slug="lin-ma")
    tag = make_tag("Ferries")
    story = make_article(headline="Ferry timetable changes", section=section, authors=[author],
                         tags=[tag])  # fmt: skip
    other = make_article(headline="Second story", section=section)
    emails = []
    writer = Client()
    for i in range(6):
        email = f"Leak.Test{i}@Example.net"
        emails.append(email)
        response = post(writer, story if i % 2 else other, body=f"Comment {i} on the ferries",
                        author_name=f"Writer {i}", author_email=email, remember="yes",
                        subscribe="yes", author_url=f"https://writer{i}.example.org")  # fmt: skip
        assert response.status_code == 302
    first = Comment.objects.filter(article=story).first()
    for i in range(6, 9):
        email = f"replier{i}@example.net"
        emails.append(email)
        post(writer, story, body=f"Reply {i}", author_name=f"Replier {i}", author_email=email,
             parent=str(first.pk), HTTP_X_REQUESTED_WITH="masthead-comments")  # fmt: skip
    held = Comment.objects.create(article=story, body="Held", author_email="held@example.net",
                                  status=Comment.Status.PENDING)  # fmt: skip
    emails.append(held.author_email)
    spammy = Comment.objects.create(article=story, body="Spam", author_email="spam@example.net")
    moderation.comment_moderate(comment=spammy, action="spam")
    emails.append(spammy.author_email)
    return {"story": story, "emails": emails}


def forbidden_strings(emails: list[str]) -> list[str]:
    found = []
    for email in emails:
        normal = email.strip().lower()
        found += [normal, hashlib.md5(normal.encode()).hexdigest(),  # noqa: S324 (Gravatar)
                  hashlib.sha256(normal.encode()).hexdigest()]  # fmt: skip
    return found


def crawl(client: Client, seeds: list[str], limit: int = 400) -> dict[str, str]:
    seen: dict[str, str] = {}
    queue = list(seeds)
    while queue and len(seen) < limit:
        url = queue.pop(0)
        if url in seen or url.startswith(SKIP):
            continue
        response = client.get(url)
        if response.status_code in (301, 302):
            queue.append(response["Location"])
            continue
        assert response.status_code == 200, url
        text = response.content.decode()
        seen[url] = text
        for href in LINK.findall(text):
            target = urljoin(url, unescape(href))
            parts = urlsplit(target)
            ours = parts.netloc in ("", "testserver", "news.example.org")
            if ours and parts.path.startswith("/"):
                path = parts.path + (f"?{parts.query}" if parts.query else "")
                if path not in seen:
                    queue.append(path)
    return seen


def test_no_email_address_appears_in_any_public_page_or_feed(site):
    story = site["story"]
    url = story.get_absolute_url()
    seeds = [
        "/", url, f"{url}?cpage=2", f"{url}?cpage=3", f"{url}comments/feed/",
        f"{url}comments/feed/atom/", "/comments/feed/", "/comments/feed/atom/", "/feed/",
        "/feed/atom/", "/section/harbour/", "/section/harbour/feed/", "/author/lin-ma/",
        "/search/?q=ferries", "/search/?q=example.net", "/sitemap.xml", "/sitemap-articles.xml",
        "/news-sitemap.xml", "/robots.txt", "/privacy/",
    ]  # fmt: skip
    pages = crawl(Client(), seeds)
    assert f"{url}comments/feed/" in pages
    assert "/privacy/" in pages
    assert any("?replyto=" in page for page in pages)
    assert len(pages) >= 20
    needles = forbidden_strings(site["emails"])
    for page_url, text in pages.items():
        lowered = unquote(unescape(text)).lower()
        for needle in needles:
            assert needle not in lowered, f"{needle} leaks on {page_url}"
        assert "gravatar" not in lowered, page_url
    # The story's page shows the comments it should: names yes, addresses no.
    assert "Writer 1" in pages[url]


def test_script_responses_carry_no_other_commenters_address(site):
    story = site["story"]
    response = Client().post(
        f"/comments/post/{story.pk}/",
        {
            "body": "Late",
            "author_name": "Late",
            "author_email": "late@example.net",
            "issued": form_token(story.pk, issued_at=time.time() - 60),
        },
        HTTP_X_REQUESTED_WITH="masthead-comments",
    )
    text = response.content.decode().lower()
    for needle in forbidden_strings(site["emails"]):
        assert needle not in text
