"""An editor in a real browser: leaving a story with unsaved changes asks first, and the
browser keeps them to restore; pictures go into a story from the library."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from masthead.newsroom.models import Article
from masthead.newsroom.tests.factories import make_article, make_image, make_section

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def signed_in(page, live_server, settings):
    settings.SITE_URL = live_server.url
    User.objects.create_superuser("chief", password="a-long-password-1")
    page.goto(live_server.url + reverse("admin:login"))
    page.fill("#id_username", "chief")
    page.fill("#id_password", "a-long-password-1")
    page.click("input[type=submit]")
    return page


def leaving_asks(page, url: str) -> bool:
    """Follow a link away; True if the browser asked before leaving (and stay)."""
    asked = []

    def answer(dialog):
        asked.append(dialog.type)
        dialog.dismiss()

    page.once("dialog", answer)
    page.click("#site-name a, a[href$='/admin/']", no_wait_after=True)
    page.wait_for_timeout(500)
    return asked == ["beforeunload"]


def test_leaving_a_story_with_unsaved_changes_asks_first(signed_in, live_server):
    page = signed_in
    story = make_article(headline="Harbour wall")
    url = live_server.url + reverse("admin:newsroom_article_change", args=[story.pk])
    page.goto(url)
    assert not leaving_asks(page, url)  # nothing typed: leaves at once
    page.goto(url)
    page.fill("#id_headline", "Harbour wall: the vote")
    assert leaving_asks(page, url)
    assert page.url == url  # stayed, with the typing
    assert page.input_value("#id_headline") == "Harbour wall: the vote"
    page.goto(url)  # the body editor counts too
    page.locator(".ProseMirror >> visible=true").first.click()
    page.keyboard.type(" More to come.")
    assert leaving_asks(page, url)
    page.click("input[name=_continue]")  # saving is leaving without a question
    page.wait_for_load_state()
    assert "was changed successfully" in page.content()


def backup_offered(page) -> bool:
    page.locator("#article_form").wait_for()
    page.wait_for_timeout(300)  # the offer is made once the page has loaded
    return page.locator(".story-backup").count() == 1


def test_unsaved_work_is_kept_by_the_browser_and_can_be_restored(signed_in, live_server):
    """A crash or a closed tab: typing not yet saved is offered back on the next visit."""
    page = signed_in
    story = make_article(headline="Harbour wall", body="<p>First paragraph.</p>")
    url = live_server.url + reverse("admin:newsroom_article_change", args=[story.pk])
    page.goto(url)
    assert not backup_offered(page)
    page.fill("#id_headline", "Harbour wall: the vote")
    page.locator(".ProseMirror p", has_text="First paragraph").click()
    page.keyboard.press("End")
    page.keyboard.type(" Councillors voted nine to four.")
    page.wait_for_timeout(1500)  # kept a second after the last change

    later = page.context.new_page()  # the first tab is lost, its work unsaved
    later.goto(url)
    assert backup_offered(later)
    assert later.input_value("#id_headline") == "Harbour wall"
    later.click(".story-backup >> text=Restore them")
    assert later.input_value("#id_headline") == "Harbour wall: the vote"
    editor = later.locator(".ProseMirror >> visible=true").first
    assert "Councillors voted nine to four." in editor.inner_text()
    later.click("input[name=_continue]")
    later.wait_for_load_state()
    assert "was changed successfully" in later.content()
    story.refresh_from_db()
    assert story.headline == "Harbour wall: the vote"
    assert "Councillors voted nine to four." in story.body
    assert not backup_offered(later)  # saved: the kept copy is forgotten

    page.close()
    again = later.context.new_page()
    again.goto(url)
    assert not backup_offered(again)


def test_kept_work_can_be_discarded(signed_in, live_server):
    page = signed_in
    story = make_article(headline="Harbour wall")
    url = live_server.url + reverse("admin:newsroom_article_change", args=[story.pk])
    page.goto(url)
    page.fill("#id_headline", "A headline thought better of")
    page.wait_for_timeout(1500)
    later = page.context.new_page()
    later.goto(url)
    assert backup_offered(later)
    later.click(".story-backup >> text=Discard them")
    assert later.locator(".story-backup").count() == 0
    assert later.input_value("#id_headline") == "Harbour wall"
    page.close()
    again = later.context.new_page()
    again.goto(url)
    assert not backup_offered(again)


def test_a_picture_from_the_library_goes_into_the_story_where_the_cursor_is(signed_in, live_server):
    page = signed_in
    make_image(alt_text="Lifeboat crew on the slipway")
    make_image(alt_text="Council chamber during the vote")
    story = make_article(headline="Harbour wall", body="<p>First paragraph.</p><p>Second.</p>")
    url = live_server.url + reverse("admin:newsroom_article_change", args=[story.pk])
    page.goto(url)
    page.locator(".ProseMirror p", has_text="First paragraph").click()
    page.keyboard.press("End")  # the cursor at the end of the first paragraph
    page.click("text=Insert a picture…")
    dialog = page.locator("dialog.picture-picker")
    assert dialog.is_visible()
    choices = dialog.locator(".picture-picker__choice")
    choices.first.wait_for()
    assert choices.count() == 2
    dialog.locator("input[type=search]").fill("lifeboat")
    page.wait_for_function("document.querySelectorAll('.picture-picker__choice').length === 1")
    dialog.locator(".picture-picker__choice").click()
    assert not dialog.is_visible()
    figure = page.locator(".ProseMirror figure img")
    assert figure.get_attribute("alt") == "Lifeboat crew on the slipway"
    assert leaving_asks(page, url)  # an inserted picture is an unsaved change
    page.click("input[name=_continue]")
    page.wait_for_load_state()
    assert "was changed successfully" in page.content()
    body = Article.objects.get(pk=story.pk).body
    assert body.index("First paragraph") < body.index("<figure>") < body.index("Second.")
    assert 'alt="Lifeboat crew on the slipway"' in body
    assert "<figcaption>A caption Test Credit</figcaption>" in body


def test_the_toolbars_picture_button_opens_the_library(signed_in, live_server):
    """Not a box for another site's address: a picture from elsewhere is only a link on the
    published page."""
    page = signed_in
    make_image(alt_text="Lifeboat crew on the slipway")
    story = make_article(headline="Harbour wall", body="<p>First paragraph.</p>")
    page.goto(live_server.url + reverse("admin:newsroom_article_change", args=[story.pk]))
    page.locator(".ProseMirror p", has_text="First paragraph").click()
    page.locator('.prose-menubar [data-name="figure"]').first.click()
    dialog = page.locator("dialog.picture-picker")
    dialog.locator(".picture-picker__choice").first.wait_for()
    assert page.locator("text=Image URL").count() == 0  # not the editor's own dialog
    dialog.locator(".picture-picker__choice").click()
    assert page.locator(".ProseMirror figure img").get_attribute("alt") == (
        "Lifeboat crew on the slipway"
    )


def test_the_picture_picker_says_when_nothing_matches(signed_in, live_server):
    page = signed_in
    make_section()
    page.goto(live_server.url + reverse("admin:newsroom_article_add"))
    page.click("text=Insert a picture…")
    status = page.locator(".picture-picker__status")
    status.filter(has_text="The picture library is empty.").wait_for()
    page.locator("dialog.picture-picker input[type=search]").fill("nothing")
    status.filter(has_text="No picture matches “nothing”.").wait_for()
    assert page.locator("dialog.picture-picker a", has_text="Upload a new picture").count() == 1
