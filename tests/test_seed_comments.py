"""Acceptance: the seed page's comment furniture, as Masthead serves it, truthfully.

The seed ends with "Leave a Reply", the email notice and the Akismet line. Masthead shows
the first two as they are; the third keeps its link text, "Learn how your comment data is
processed", pointing at a privacy page generated from the live settings, but says what this
site does instead of naming a third party it does not use.
"""

from __future__ import annotations

import re
from html import unescape

import pytest

from conftest import shared_data
from masthead.newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db


def visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_the_seed_comment_notices_are_on_the_article_page(client):
    seed = shared_data("seed", "news-page.txt").read_text(encoding="utf-8")
    tail = [line.strip() for line in seed.splitlines() if line.strip()][-3:]
    assert tail[0] == "Leave a Reply"
    notice, akismet = tail[1], tail[2]
    article = make_article(headline=seed.splitlines()[0])
    html = client.get(article.get_absolute_url()).content.decode()
    text = visible_text(html)
    assert "Leave a Reply" in text
    assert notice in text
    link_text = akismet.split(". ", 1)[1].rstrip(".")  # "Learn how your comment data is processed"
    assert re.search(rf'<a href="/privacy/">{re.escape(link_text)}</a>', html)
    assert "Akismet" not in text
    privacy = visible_text(client.get("/privacy/").content.decode())
    assert "not sent to any third party" in privacy
