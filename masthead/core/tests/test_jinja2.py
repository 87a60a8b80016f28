"""The reader pages' Jinja2 environment: every global and filter means what Django's tag or
filter meant, and text is escaped exactly as Django templates escape it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ImproperlyConfigured
from django.template import engines
from django.test import RequestFactory
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from jinja2 import DictLoader
from markupsafe import Markup

from masthead.core.jinja2 import environment
from masthead.discussion import tokens
from masthead.discussion.models import Comment, DiscussionSettings
from masthead.discussion.selectors import thread_page
from masthead.newsroom.tests.factories import make_article, make_image, make_section
from masthead.related.models import RelatedLink

HOSTILE = """<script>alert("x")</script> & O'Neil"""


def render(source: str, *, request=None, **context) -> str:
    return engines["jinja2"].from_string(source).render(context, request=request)


def test_reader_pages_are_found_by_the_jinja2_engine_and_admin_pages_by_django():
    from django.template.loader import get_template

    assert get_template("newsroom/article.html").backend.name == "jinja2"
    assert get_template("404.html").backend.name == "jinja2"
    assert get_template("admin/index.html").backend.name == "django"
    assert get_template("discussion/email/confirm.txt").backend.name == "django"


# --- Escaping ------------------------------------------------------------------------------


def test_text_is_escaped_exactly_as_django_escapes_it():
    jinja = render("<p title='{{ text }}'>{{ text }}</p>", text=HOSTILE)
    django = engines["django"].from_string("<p title='{{ text }}'>{{ text }}</p>")
    assert jinja == django.render({"text": HOSTILE})
    assert f"<p title='{escape(HOSTILE)}'>" in jinja
    assert "&#x27;" in jinja
    assert "&quot;" in jinja
    assert "<script>" not in jinja


@pytest.mark.parametrize(
    "value",
    [
        mark_safe("<b>bold</b> &amp; safe"),
        format_html("<b>{}</b> &amp; safe", "bold"),
        Markup("<b>bold</b> &amp; safe"),
    ],
)
def test_values_marked_safe_are_printed_as_they_are_not_escaped_twice(value):
    assert render("{{ value }}", value=value) == "<b>bold</b> &amp; safe"


def test_an_object_whose_str_is_a_safe_string_prints_as_in_django():
    class Note:
        def __str__(self):
            return mark_safe("<em>kept</em>")

    assert render("{{ note }}", note=Note()) == "<em>kept</em>"
    assert render("{{ note }}", note=Note()) == engines["django"].from_string("{{ note }}").render(
        {"note": Note()}
    )


def test_numbers_none_and_missing_values_print_as_django_prints_them():
    assert render("{{ n }} {{ nothing }} [{{ missing }}]", n=1234, nothing=None) == "1234 None []"


def test_an_autoescape_false_block_prints_raw_text():
    source = "{% autoescape false %}{{ text }}{% endautoescape %}"
    assert render(source, text="<b>raw</b>") == "<b>raw</b>"


def test_autoescape_cannot_be_turned_off_in_settings():
    with pytest.raises(ImproperlyConfigured, match="autoescape"):
        environment(autoescape=False, loader=DictLoader({}))
    assert environment(autoescape=True, loader=DictLoader({})).autoescape is True
    assert environment(loader=DictLoader({})).autoescape is True


def test_templates_keep_their_last_newline_as_django_templates_do():
    env = environment(loader=DictLoader({"a.html": "<p>a</p>\n"}))
    assert env.get_template("a.html").render() == "<p>a</p>\n"


# --- Django's tags as globals ----------------------------------------------------------------


def test_url_reverses_with_and_without_arguments():
    assert render("{{ url('newsroom:search') }}") == "/search/"
    assert render("{{ url('syndication:tag-feed', 'ferries') }}") == "/tag/ferries/feed/"
    assert render("{{ url('syndication:tag-feed', slug='ferries') }}") == "/tag/ferries/feed/"


def test_static_gives_the_static_files_address(settings):
    assert render("{{ static('masthead/css/site.css') }}") == "/static/masthead/css/site.css"
    # Remembered per process, but never across a change of STATIC_URL.
    settings.STATIC_URL = "/assets/"
    assert render("{{ static('masthead/css/site.css') }}") == "/assets/masthead/css/site.css"


def test_pages_get_the_csrf_field_and_the_context_processors_values(settings):
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    settings.SITE_NAME = "The Gazette"
    html = render("{{ csrf_input }}|{{ site_name }}|{{ site_links.home }}", request=request)
    field, name, home = html.split("|")
    assert field.startswith('<input type="hidden" name="csrfmiddlewaretoken" value="')
    assert (name, home) == ("The Gazette", "/")


# --- Django's filters --------------------------------------------------------------------------


def test_date_shows_times_in_the_site_time_zone_with_django_formats(settings):
    settings.TIME_ZONE = "America/Los_Angeles"
    when = datetime(2026, 1, 5, 7, 30, tzinfo=UTC)
    assert render('{{ when|date("j F Y, H:i") }}', when=when) == "4 January 2026, 23:30"
    assert render("{{ when|date('c') }}", when=when) == "2026-01-04T23:30:00-08:00"
    assert render('{{ when|date("j M Y") }}', when=when) == "4 Jan 2026"
    assert render("[{{ when|date('c') }}]", when=None) == "[]"
    source = '{{ when|date("j F Y, H:i") }} {{ when|date("c") }}'
    assert render(source, when=when) == engines["django"].from_string(
        '{{ when|date:"j F Y, H:i" }} {{ when|date:"c" }}'
    ).render({"when": when})


@pytest.mark.parametrize(
    ("count", "plain", "story"), [(0, "s", "ies"), (1, "", "y"), (2, "s", "ies")]
)
def test_pluralize(count, plain, story):
    assert render("{{ n|pluralize }}", n=count) == plain
    assert render('{{ n|pluralize("y,ies") }}', n=count) == story


def test_default_if_none_replaces_only_none():
    source = "[{{ value|default_if_none('') }}]"
    assert [render(source, value=v) for v in (None, 0, "", "x")] == ["[]", "[0]", "[]", "[x]"]


def test_truncatechars_and_its_output_is_escaped():
    assert render("{{ text|truncatechars(6) }}", text="<b>bold words") == "&lt;b&gt;bo…"
    assert render("{{ text|truncatechars(20) }}", text="short") == "short"


# --- The apps' functions -------------------------------------------------------------------------


@pytest.mark.django_db
def test_picture_is_a_responsive_image_with_its_alt_text_escaped():
    image = make_image(alt_text=HOSTILE)
    html = render(
        '{{ picture(image, sizes="8rem", loading="eager", css="profile__photo") }}', image=image
    )
    assert html.startswith("<img ")
    assert 'sizes="8rem"' in html
    assert 'loading="eager"' in html
    assert 'class="profile__photo"' in html
    assert 'width="1600" height="900"' in html
    assert f'alt="{escape(HOSTILE)}"' in html
    assert 'alt=""' in render("{{ picture(image, decorative=True) }}", image=image)
    assert 'sizes="100vw" ' in render("{{ picture(image) }}", image=image)
    assert render("[{{ picture(None) }}]") == "[]"


@pytest.mark.django_db
def test_card_takes_its_defaults_for_options_left_empty_or_undefined():
    article = make_article(headline=HOSTILE, section=make_section("Sport & leisure"))
    html = render('{{ card(article, heading="h2", show_section=True) }}', article=article)
    assert '<h2 class="card__headline">' in html
    assert "Sport &amp; leisure" in html
    assert escape(HOSTILE) in html
    plain = render(
        "{{ card(article, heading='', show_section=not_on_this_page) }}", article=article
    )
    assert '<h3 class="card__headline">' in plain
    assert "card__section" not in plain


@pytest.mark.django_db
def test_article_meta_share_and_absolute_url(settings):
    settings.SITE_URL = "https://news.example.org"
    article = make_article(headline=HOSTILE)
    meta = render("{{ article_meta(article, site_name=name) }}", article=article, name="A & B")
    assert '<meta property="og:site_name" content="A &amp; B">' in meta
    assert (
        f'<link rel="canonical" href="https://news.example.org{article.get_absolute_url()}">'
        in meta
    )
    share = render("{{ share(article) }}", article=article)
    assert "Share this Article" in share
    assert "&lt;script&gt;" in share
    assert "<script>" not in share
    assert render("{{ absolute_url('/feed/') }}") == "https://news.example.org/feed/"


@pytest.mark.django_db
def test_related_body_and_the_related_stories_block():
    article = make_article(body="<p>One.</p><p>Two.</p>")
    assert render("{{ related_stories(article) }}", article=article).strip() == ""
    target = make_article(headline=HOSTILE)
    RelatedLink.objects.create(article=article, target=target, rank=0, source="section")
    article = type(article).objects.get(pk=article.pk)  # no cached related page
    assert render("{{ related_body(article) }}", article=article) == "<p>One.</p><p>Two.</p>"
    block = render("{{ related_stories(article) }}", article=article)
    assert '<h2 class="related__heading" id="related-heading">Related stories</h2>' in block
    assert f'href="{target.get_absolute_url()}"' in block
    assert f'<span class="related__headline">{escape(HOSTILE)}</span>' in block
    renamed = render('{{ related_stories(article, heading="More") }}', article=article)
    assert ">More</h2>" in renamed


@pytest.mark.django_db
def test_comment_section_items_form_token_and_comment_html():
    article = make_article()
    comment = Comment.objects.create(
        article=article, status=Comment.Status.APPROVED, author_name=HOSTILE, body="Hello <b>x"
    )
    request = RequestFactory().get(article.get_absolute_url())
    request.user = AnonymousUser()
    section = render("{{ comment_section(article) }}", request=request, article=article)
    assert section.startswith('<section id="comments"')
    assert "1 Comment</h2>" in section
    assert f'id="comment-{comment.pk}"' in section
    assert escape(HOSTILE) in section
    assert "Leave a Reply" in section
    assert "csrfmiddlewaretoken" not in section  # readers' pages are cached for everyone

    page = thread_page(article_id=article.pk, page=1, pending=[], config=DiscussionSettings.load())
    items = render("{{ comment_items(page) }}", page=page)
    assert items.startswith(f'<li id="comment-{comment.pk}"')

    token = render("{{ comment_form_token(article) }}", article=article)
    issued = tokens.form_issued_at(token, article.pk)
    assert issued is not None
    assert abs(issued - datetime.now(UTC).timestamp()) < 60

    html = render("{{ comment|comment_html }}", comment=comment)
    assert html == "<p>Hello &lt;b&gt;x</p>"
    Comment.objects.filter(pk=comment.pk).update(body_html="")
    comment.refresh_from_db()
    assert render("{{ comment|comment_html }}", comment=comment) == html


@pytest.mark.django_db
def test_signed_in_staff_get_the_csrf_field_in_the_comment_form():
    article = make_article()
    request = RequestFactory().get(article.get_absolute_url())
    request.user = User.objects.create_user("ed", first_name="Ed", is_staff=True)
    section = render("{{ comment_section(article) }}", request=request, article=article)
    assert "Commenting as <b>Ed</b>, staff." in section
    assert 'name="csrfmiddlewaretoken"' in section
