"""Every field of the comment form: what it accepts, its limits, and its messages."""

from __future__ import annotations

import pytest

from masthead.discussion.forms import CommentForm
from masthead.discussion.models import Comment
from masthead.discussion.tests.conftest import fields, post, update

pytestmark = pytest.mark.django_db


def form(config, **overrides) -> CommentForm:
    bound = CommentForm(fields(**overrides), config=config)
    bound.is_valid()
    return bound


def email_of_length(n: int) -> str:
    domain = "@example.org"
    return "a" * (n - len(domain)) + domain


@pytest.mark.parametrize(
    ("field", "limit", "make"),
    [
        ("body", 65525, lambda n: "x" * n),
        ("author_name", 245, lambda n: "n" * n),
        ("author_email", 100, email_of_length),
        ("author_url", 200, lambda n: "https://example.org/" + "p" * (n - 20)),
    ],
)
def test_each_field_takes_exactly_its_wordpress_limit(config, field, limit, make):
    assert len(make(limit)) == limit
    assert form(config, **{field: make(limit)}).is_valid()
    too_long = form(config, **{field: make(limit + 1)})
    assert field in too_long.errors
    assert f"at most {limit:,} characters" in too_long.errors[field][0]
    assert "Please shorten it" in too_long.errors[field][0]


@pytest.mark.parametrize("body", ["", "   ", "\n\n\t", "\u200b\u202e"])
def test_an_empty_comment_is_refused(config, body):
    assert form(config, body=body).errors["body"] == ["Please type your comment."]


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("author_name", "Please enter your name."),
        ("author_email", "Please enter your email address. It will not be published."),
    ],
)
def test_name_and_email_are_required_by_default(config, field, message):
    assert form(config, **{field: ""}).errors[field] == [message]


def test_name_and_email_are_optional_when_the_setting_is_off(config):
    update(config, require_name_email=False)
    assert form(config, author_name="", author_email="").is_valid()


@pytest.mark.parametrize("email", ["reader", "reader@", "@example.org", "a b@example.org"])
def test_a_mistyped_email_gets_a_clear_message(config, email):
    assert "does not look right" in form(config, author_email=email).errors["author_email"][0]


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "ftp://example.org/",
        "https://exa mple.org",
    ],
)
def test_only_web_addresses_are_accepted_as_a_website(config, url):
    assert (
        "does not look like a web address" in form(config, author_url=url).errors["author_url"][0]
    )


def test_a_bare_domain_becomes_https(config):
    bound = form(config, author_url="example.org/me")
    assert bound.cleaned_data["author_url"] == "https://example.org/me"


def test_invisible_and_direction_characters_are_removed_from_names(config):
    bound = form(config, author_name="  Evil\u202eredro\u200b  Name ")
    assert bound.cleaned_data["author_name"] == "Evilredro Name"


def test_subscribing_needs_an_email_address(config):
    update(config, require_name_email=False)
    bound = form(config, author_email="", subscribe="yes")
    assert "notified of follow-up comments" in bound.errors["author_email"][0]


def test_an_error_keeps_everything_typed_and_says_where(client, article, config):
    body = "My long and careful comment.\n\nSecond paragraph <b>bold</b>."
    response = post(
        client,
        article,
        body=body,
        author_name="Ada",
        author_email="ada@example",
        author_url="https://ada.example.org",
        remember="yes",
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="email-error"' in html
    assert 'aria-describedby="email-notes email-error" aria-invalid="true"' in html
    assert "does not look right" in html
    assert "My long and careful comment.\n\nSecond paragraph &lt;b&gt;bold&lt;/b&gt;." in html
    assert 'value="Ada"' in html
    assert 'value="ada@example"' in html
    assert 'value="https://ada.example.org"' in html
    assert 'id="remember" name="remember" type="checkbox" value="yes" checked' in html
    assert not Comment.objects.exists()


def test_the_form_says_what_is_required_and_links_the_privacy_page(client, article, config):
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Leave a Reply" in html
    assert "Your email address will not be published." in html
    assert "Required fields are marked" in html
    assert 'href="/privacy/">Learn how your comment data is processed</a>' in html
    assert "Akismet" not in html
    assert "not sent to any third party" in html
    assert 'name="remember" type="checkbox" value="yes">' in html  # unchecked
    assert "Notify me of follow-up comments by email." in html


def test_the_follow_up_box_can_be_turned_off(client, article, config):
    update(config, allow_subscriptions=False)
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Notify me of follow-up comments" not in html
    post(client, article, subscribe="yes")
    from masthead.discussion.models import Subscription

    assert not Subscription.objects.exists()
