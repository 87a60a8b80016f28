"""A reader comments and replies in Chromium, with JavaScript on and off; hostile input stays text.

The browser fixture (tests/browser/conftest.py) skips without Chromium on a laptop and fails
in CI, through ``skip_or_fail``.
"""

from __future__ import annotations

import re
import urllib.request

import pytest

from masthead.discussion import moderation
from masthead.discussion.models import Comment, DiscussionSettings
from masthead.discussion.text import clean_line, clean_text
from masthead.newsroom.tests.factories import make_article
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def story(live_server, settings):
    settings.SITE_URL = live_server.url
    config = DiscussionSettings.load()
    config.flood_seconds = 0
    config.save()
    return make_article(headline="Harbour ferry returns", body="<p>The ferry is back.</p>")


@pytest.fixture(params=[True, False], ids=["js", "no-js"])
def reader(request, browser):
    context = browser.new_context(java_script_enabled=request.param)
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.dialogs = dialogs
    page.js = request.param
    yield page
    context.close()


def fill(page, *, body: str, name: str, email: str, url: str = "") -> None:
    form = page.locator("#commentform")
    form.locator("#comment").fill(body)
    form.locator("#author").fill(name)
    form.locator("#email").fill(email)
    form.locator("#url").fill(url)


def submit(page) -> None:
    if page.js:
        page.locator("#commentform #submit").click()
    else:
        with page.expect_navigation():
            page.locator("#commentform #submit").click()


def test_a_comment_and_a_reply(reader, live_server, story):
    page = reader
    page.goto(live_server.url + story.get_absolute_url())
    assert page.locator("#reply-title").inner_text().startswith("Leave a Reply")
    page.evaluate("window.__sameDocument = true") if page.js else None
    fill(page, body="First!\n\nSecond paragraph.", name="Ada", email="ada@example.net")
    submit(page)
    first = page.locator(".comment-list > li").first
    first.wait_for()
    assert first.locator(".comment__content p").all_inner_texts() == ["First!", "Second paragraph."]
    assert first.locator(".comment__author").inner_text() == "Ada"
    assert page.locator("#comments-title").inner_text() == "1 Comment"
    if page.js:
        assert page.evaluate("window.__sameDocument") is True  # no full reload
    else:
        assert re.search(r"#comment-\d+$", page.url)
    parent = Comment.objects.get()

    page.locator(f'[data-reply-to="{parent.pk}"]').click()
    if not page.js:
        page.wait_for_url(re.compile(r"replyto="))
    assert page.locator("#reply-title").inner_text().startswith("Leave a Reply to Ada")
    cancel = page.locator("#cancel-comment-reply-link")
    assert cancel.is_visible()
    if page.js:  # the form moved under the comment it answers
        assert page.locator(f"#comment-{parent.pk} #commentform").count() == 1
    fill(page, body="A reply to Ada.", name="Grace", email="grace@example.net")
    submit(page)
    reply = page.locator(f"#comment-{parent.pk} ol.children > li")
    reply.wait_for()
    assert reply.locator(".comment__content").inner_text() == "A reply to Ada."
    assert Comment.objects.get(parent=parent).author_name == "Grace"
    assert page.dialogs == []
    screenshot(page, f"comments-{'js' if page.js else 'nojs'}")


def test_an_error_keeps_what_the_reader_typed(reader, live_server, story):
    page = reader
    page.goto(live_server.url + story.get_absolute_url())
    typed = "A long, considered comment.\nWith two lines."
    fill(page, body=typed, name="Ada", email="ada@example", url="https://ada.example.org")
    page.locator("#remember").check()
    submit(page)
    error = page.locator("#email-error")
    error.wait_for()
    if not page.js:  # the page opens at its top, far above the form: the reason is there
        summary = page.locator("#comment-error-summary")
        assert summary.is_visible()
        assert page.evaluate("window.scrollY") == 0
        assert page.evaluate("document.activeElement.id") == "comment-error-summary"
        assert "Email: This email address does not look right" in summary.inner_text()
        summary.get_by_role("link", name="Email:").click()
        assert page.url.endswith("#email")
        assert page.locator("#email").is_visible()  # scrolled to the field
    assert "does not look right" in error.inner_text()
    assert page.locator("#email").get_attribute("aria-invalid") == "true"
    assert page.locator("#comment").input_value() == typed
    assert page.locator("#author").input_value() == "Ada"
    assert page.locator("#email").input_value() == "ada@example"
    assert page.locator("#url").input_value() == "https://ada.example.org"
    assert page.locator("#remember").is_checked()
    assert not Comment.objects.exists()
    page.locator("#email").fill("ada@example.org")
    submit(page)
    page.locator(".comment-list > li").first.wait_for()
    assert Comment.objects.get().body == typed
    # the refused post's messages and marks are gone from the form
    assert page.locator("#comment-form-errors, #comment-error-summary, .field-error").count() == 0
    assert page.locator("[aria-invalid]").count() == 0


HOSTILE = [
    "<script>window.__pwned=1;alert('script')</script>",
    "<img src=x onerror=\"window.__pwned=1;alert('img')\">",
    "<svg onload=\"window.__pwned=1;alert('svg')\"></svg>",
    'javascript:window.__pwned=1;alert("js")',
    '"><script>window.__pwned=1</script><a x="',
    "'><img src=x onerror=alert(1)>",
    "</textarea><script>window.__pwned=1</script>",
    "\u202egnp.exe\u202c safe",
    "ze\u200bro\u200bwidth\ufeff and \u2066isolate\u2069",
    "{{ 7*7 }} {% csrf_token %} ${7*7}",
]


@pytest.fixture
def no_spam_filter(settings):
    """Hostile input is what a spam filter catches (rightly); these tests are about how it is
    shown once a moderator approves it."""
    from masthead.discussion import spam

    spam._load.cache_clear()
    settings.MASTHEAD_SPAM_CHECKER = "masthead.discussion.spam.NoOpinion"
    yield
    spam._load.cache_clear()


@pytest.mark.parametrize("payload", HOSTILE)
@pytest.mark.usefixtures("no_spam_filter")
def test_hostile_input_is_only_ever_text(browser, live_server, story, payload):
    """JavaScript on, to give any injected script every chance to run."""
    context = browser.new_context()
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(live_server.url + story.get_absolute_url())
    config = DiscussionSettings.load()
    config.hold_all, config.auto_approve_known = True, False
    config.save()
    url = "https://example.org/" + re.sub(r"\s", "", payload)[:150]
    # A quoted local part takes most printable ASCII, brackets and quotes included.
    email = '"x' + re.sub(r'[^\x21-\x7e]|["\\]', "", payload)[:60] + '"@example.org'
    page.locator("#comment").fill(payload)
    page.locator("#author").fill(payload)
    page.locator("#email").fill(email)
    page.locator("#url").fill(url)
    page.locator("#submit").click()
    page.locator(".comment--pending").wait_for()
    assert page.locator(".comment__awaiting").inner_text() == "Your comment is awaiting moderation."
    comment = Comment.objects.get()
    moderation.comment_moderate(comment=comment, action="approve")

    page.goto(live_server.url + story.get_absolute_url())
    item = page.locator(f"#comment-{comment.pk}")
    assert item.locator(".comment__content").inner_text() == clean_text(payload).strip()
    assert item.locator(".comment__author").inner_text() == clean_line(payload)
    link = item.locator(".comment__author a")
    if link.count():
        href = link.get_attribute("href")
        assert href.startswith("https://example.org/")
        assert link.get_attribute("rel") == "external nofollow ugc noopener"
    assert page.evaluate("window.__pwned") is None
    assert page.locator("#comments script").count() == 0
    assert page.locator("#comments img, #comments svg, #comments iframe").count() == 0
    assert page.locator("#comments [onerror], #comments [onload], #comments [x]").count() == 0
    assert comment.author_email not in page.content()
    page.wait_for_timeout(200)
    assert dialogs == []
    context.close()


def test_javascript_urls_are_refused_as_a_website(browser, live_server, story):
    page = browser.new_page()
    page.goto(live_server.url + story.get_absolute_url())
    page.locator("#comment").fill("Hello")
    page.locator("#author").fill("Mallory")
    page.locator("#email").fill("m@example.org")
    page.locator("#url").fill("javascript:alert(document.domain)")
    page.locator("#submit").click()
    page.locator("#url-error").wait_for()
    assert "does not look like a web address" in page.locator("#url-error").inner_text()
    assert not Comment.objects.exists()
    page.close()


def test_the_story_opened_again_after_posting_shows_the_comment(
    browser, live_server, story, settings
):
    """Story pages may be kept by the browser for a minute; a comment posted with the script
    changes no address, so the script renews the browser's copy of the story."""
    settings.MASTHEAD_PAGE_CACHE_SECONDS = 600
    context = browser.new_context()
    page = context.new_page()
    story_url = live_server.url + story.get_absolute_url()
    page.goto(story_url)
    fill(page, body="Worth a second look.", name="Ada", email="ada@example.net")
    page.locator("#commentform #submit").click()
    page.locator(".comment-list > li").first.wait_for()
    page.wait_for_load_state("networkidle")
    page.get_by_role("navigation", name="Sections").get_by_role("link", name="Home").click()
    page.wait_for_load_state()
    page.locator(f'a[href="{story.get_absolute_url()}"]').first.click()
    page.wait_for_url(story_url)
    assert page.locator("#comments-title").inner_text() == "1 Comment"
    assert page.locator(".comment__content").inner_text() == "Worth a second look."
    context.close()


@pytest.mark.parametrize("width", [375, 1280])
def test_a_long_unbroken_name_does_not_widen_the_page(browser, live_server, story, width):
    """The form takes names of 245 characters; one without spaces wraps like a comment's text."""
    Comment.objects.create(
        article=story,
        author_name="N" * 245,
        author_email="n@example.net",
        status=Comment.Status.APPROVED,
    )
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    page.goto(live_server.url + story.get_absolute_url())
    sideways = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    assert page.evaluate(sideways) == 0
    page.locator(".comment-reply-link").click()  # the form moves, titled with the name
    assert page.locator("#reply-title").inner_text().startswith("Leave a Reply to NNN")
    assert page.evaluate(sideways) == 0
    context.close()


@pytest.fixture
def js_page(browser):
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()


def _settings(**changes) -> None:
    config = DiscussionSettings.load()
    for name, value in changes.items():
        setattr(config, name, value)
    config.save()


def _approved(story, name: str, **values) -> Comment:
    return Comment.objects.create(
        article=story,
        author_name=name,
        author_email=f"{name.lower()}@example.net",
        body=f"{name} says hello.",
        status=Comment.Status.APPROVED,
        **values,
    )


def _focused(page) -> str:
    return page.evaluate("document.activeElement.id || document.activeElement.className")


def test_cancel_reply_gives_focus_back_to_the_reply_link(js_page, live_server, story):
    page = js_page
    first = _approved(story, "Ada")
    page.goto(live_server.url + story.get_absolute_url())
    reply = page.locator(f'[data-reply-to="{first.pk}"]')
    reply.focus()
    page.keyboard.press("Enter")
    assert _focused(page) == "comment"
    page.locator("#cancel-comment-reply-link").focus()
    page.keyboard.press("Enter")
    assert page.locator("#cancel-comment-reply-link").is_hidden()
    assert page.evaluate("document.activeElement.dataset.replyTo") == str(first.pk)


def test_a_comment_that_is_not_published_leaves_focus_on_the_message(js_page, live_server, story):
    _settings(disallowed_words="bargain")
    page = js_page
    page.goto(live_server.url + story.get_absolute_url())
    fill(page, body="What a bargain.", name="Ada", email="ada@example.net")
    page.locator("#commentform #submit").click()
    status = page.locator("#respond .comment-status")
    status.get_by_text("will be looked at").wait_for()
    assert _focused(page) == "comment-status"


def test_with_the_newest_first_a_new_comment_goes_on_top(js_page, live_server, story):
    _settings(order="newest")
    older = [_approved(story, name).pk for name in ("Ada", "Grace")]
    page = js_page
    page.goto(live_server.url + story.get_absolute_url())
    fill(page, body="The newest.", name="Lin", email="lin@example.net")
    page.locator("#commentform #submit").click()
    page.locator(".comment-list > li:nth-child(3)").wait_for()
    new = Comment.objects.get(author_name="Lin").pk
    ids = page.locator(".comment-list > li").evaluate_all("items => items.map(li => li.id)")
    assert ids == [f"comment-{pk}" for pk in (new, *reversed(older))]
    page.reload()  # the server agrees
    assert page.locator(".comment-list > li").evaluate_all("items => items.map(li => li.id)") == ids


def test_a_comment_whose_place_is_on_another_page_is_linked_there(js_page, live_server, story):
    _settings(per_page=1)
    _approved(story, "Ada")
    _approved(story, "Grace")
    page = js_page
    page.goto(live_server.url + story.get_absolute_url())
    fill(page, body="On the last page.", name="Lin", email="lin@example.net")
    page.locator("#commentform #submit").click()
    link = page.locator("#respond .comment-status a")
    link.wait_for()
    new = Comment.objects.get(author_name="Lin").pk
    assert link.inner_text() == "comment page 3"
    assert page.locator(f"#comment-{new}").count() == 0  # not put on page 1
    assert _focused(page) == "comment-status"
    link.click()
    page.locator(f"#comment-{new}").wait_for()
    assert page.locator(".comment-list > li").count() == 1


def test_a_reader_changes_their_comment_from_the_link_under_it(
    reader, live_server, story, settings
):
    """With the script, the link is on the comment (on cached pages too, from a cookie);
    without it, in the message beside the form. Another reader sees no such link."""
    settings.MASTHEAD_PAGE_CACHE_SECONDS = 600
    page = reader
    page.goto(live_server.url + story.get_absolute_url())
    fill(page, body="The ferry leaves at nine.", name="Ada", email="ada@example.net")
    submit(page)
    comment = page.locator(".comment-list > li").first
    comment.wait_for()
    if page.js:
        link = comment.locator(".comment__edit a")
        # minutes left, not a clock time (the browser's time zone need not be the site's)
        assert link.inner_text() in (
            "Change or delete your comment (for 15 more minutes)",
            "Change or delete your comment (for 14 more minutes)",
        )
        page.reload()  # the page as the cache holds it for everyone: the link comes back
        url = live_server.url + story.get_absolute_url()
        urllib.request.urlopen(url).read()
        with urllib.request.urlopen(url) as cached:  # what every reader gets: no link in it
            assert cached.headers["X-Page-Cache"] == "hit"
            html = cached.read().decode()
        assert "The ferry leaves at nine." in html
        assert "comment__edit" not in html
        link = page.locator(".comment-list > li .comment__edit a")
    else:
        link = page.locator(".respond__status a", has_text="change or delete your comment")
    with page.expect_navigation():
        link.click()
    page.locator("textarea[name=body]").fill("The ferry leaves at half past nine.")
    with page.expect_navigation():
        page.locator("button[name=save]").click()
    shown = page.locator(".comment-list > li .comment__content")
    assert shown.inner_text() == "The ferry leaves at half past nine."
    assert Comment.objects.get().body == "The ferry leaves at half past nine."

    other = page.context.browser.new_context(java_script_enabled=page.js).new_page()
    other.goto(live_server.url + story.get_absolute_url())
    assert other.locator(".comment__content").inner_text() == "The ferry leaves at half past nine."
    assert other.locator(".comment__edit").count() == 0
    other.context.close()
