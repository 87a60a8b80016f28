"""Pictures inside a story's body load only from the site's own hosts; any other becomes a
link to it, and the stored body is left as it was."""

from __future__ import annotations

import pytest

from masthead.core.html import pictures_from
from masthead.newsroom.body import body_for_readers, own_hosts
from masthead.newsroom.tests.factories import make_article

pytestmark = pytest.mark.django_db

OWN = frozenset({"news.example.org"}).__contains__


@pytest.mark.parametrize(
    "tag",
    [
        '<img src="/media/images/quay.jpg" alt="The quay">',
        '<img src="https://news.example.org/media/quay.jpg" alt="The quay">',
        '<img src="https://NEWS.example.org/media/quay.jpg" alt="The quay">',
    ],
)
def test_the_sites_own_pictures_stay(tag):
    assert pictures_from(f"<p>{tag}</p>", OWN) == f"<p>{tag}</p>"


@pytest.mark.parametrize(
    "src",
    [
        "https://old-site.example.com/wp-content/uploads/quay.jpg",
        "//cdn.elsewhere.net/quay.jpg",
        "http://news.example.org.evil.net/quay.jpg",
    ],
)
def test_a_picture_elsewhere_becomes_a_link_to_it(src):
    body = f'<p>Before</p><figure><img src="{src}" alt="The quay at dawn"></figure>'
    shown = pictures_from(body, OWN)
    assert "<img" not in shown
    assert f'<a href="{src}" rel="nofollow noopener">The quay at dawn (picture on ' in shown
    assert shown.startswith("<p>Before</p><figure>")


def test_srcset_candidates_elsewhere_are_dropped_from_an_own_picture():
    tag = (
        '<img src="/media/a.jpg" srcset="/media/a-480.jpg 480w, https://cdn.example.net/a.jpg '
        '800w" sizes="100vw" alt="A">'
    )
    assert pictures_from(tag, OWN) == '<img src="/media/a.jpg" alt="A">'


def test_a_picture_without_alt_text_gets_a_plain_label():
    shown = pictures_from('<img src="https://x.example.net/a.png">', OWN)
    assert shown == (
        '<a href="https://x.example.net/a.png" rel="nofollow noopener">'
        "Picture (picture on x.example.net)</a>"
    )


def test_the_story_page_loads_no_picture_from_another_host(client, settings):
    settings.SITE_URL = "https://news.example.org"
    foreign = "https://old-site.example.com/wp-content/uploads/2019/05/quay.jpg"
    body = (
        f'<p>First paragraph.</p><p><img src="{foreign}" alt="The old quay"></p>'
        '<p><img src="/media/images/own.jpg" alt="Our own picture"></p>'
    )
    article = make_article(headline="Pictures from elsewhere", body=body)
    html = client.get(article.get_absolute_url()).content.decode()
    assert f'<img src="{foreign}"' not in html
    assert f'<a href="{foreign}" rel="nofollow noopener">The old quay' in html
    assert '<img src="/media/images/own.jpg" alt="Our own picture">' in html
    article.refresh_from_db()
    assert f'<img src="{foreign}"' in article.body  # what was stored is kept

    settings.MASTHEAD_BODY_IMAGE_HOSTS = ["old-site.example.com"]
    assert "old-site.example.com" in own_hosts()
    assert f'<img src="{foreign}"' in body_for_readers(article.body)
