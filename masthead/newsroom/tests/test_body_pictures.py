"""Pictures inside a story's body load only from the site's own hosts; any other becomes a
link to it, and the stored body is left as it was. The site's own uploads get renditions."""

from __future__ import annotations

from html import escape

import pytest

from masthead.core.html import pictures_from
from masthead.newsroom.body import (
    BODY_PICTURE_SIZES,
    body_for_readers,
    own_hosts,
    responsive_pictures,
)
from masthead.newsroom.models import Image
from masthead.newsroom.tests.factories import make_article, make_image

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


# --- the site's own uploads get their renditions ----------------------------------------


def test_an_uploaded_picture_in_a_body_gets_its_renditions(client, settings):
    settings.SITE_URL = "https://news.example.org"
    image = make_image(width=1600, height=900)
    body = (
        "<p>First.</p>"
        f'<figure><img src="{image.url}" alt="The quay"><figcaption>Quay</figcaption></figure>'
        f'<p><img src="https://news.example.org{image.url}" alt="Again" width="400"></p>'
    )
    article = make_article(body=body)
    html = client.get(article.get_absolute_url()).content.decode()
    srcset = escape(image.srcset())
    assert srcset.count(" 480w, ") == 1
    assert srcset.endswith(" 1600w")
    assert (
        f'<img alt="The quay" src="{escape(image.rendition_url(800))}" srcset="{srcset}" '
        f'sizes="{escape(BODY_PICTURE_SIZES)}" width="1600" height="900" loading="lazy" '
        'decoding="async">'
    ) in html
    # The editor's own width is kept (no height is made up for it).
    assert f'<img alt="Again" width="400" src="{escape(image.rendition_url(800))}"' in html
    assert html.count(f'srcset="{srcset}"') == 2
    article.refresh_from_db()
    assert article.body == body  # the stored body is left as it was


def test_pictures_that_are_not_uploads_or_have_a_srcset_are_left_alone(
    django_assert_num_queries, settings
):
    settings.SITE_URL = "https://news.example.org"
    settings.MASTHEAD_BODY_IMAGE_HOSTS = ["old-site.example.com"]  # allowed, not ours
    image = make_image()
    kept = [
        '<img src="/media/images/2020/01/not-an-upload.jpg" alt="Unknown">',
        f'<img src="{image.url}" srcset="{image.url} 1600w" alt="Chosen by hand">',
        f'<img src="{image.url}?v=2" alt="With a query">',
        f'<img src="https://elsewhere.example.net{image.url}" alt="Same path, other host">',
        f'<img src="https://old-site.example.com{image.url}" alt="Same path, allowed host">',
    ]
    with django_assert_num_queries(1):
        assert responsive_pictures("".join(kept)) == "".join(kept)
    with django_assert_num_queries(0):
        assert responsive_pictures("<p>No pictures.</p>") == "<p>No pictures.</p>"


def test_a_picture_without_renditions_keeps_its_original():
    image = make_image(width=300, height=200)
    Image.objects.filter(pk=image.pk).update(renditions=[])
    tag = f'<img src="{image.url}" alt="Small">'
    assert responsive_pictures(tag) == tag
