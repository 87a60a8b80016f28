"""An editor in a real browser: leaving a story with unsaved changes asks first."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from masthead.newsroom.tests.factories import make_article

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
