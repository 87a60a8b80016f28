"""A reader meets the related stories: labelled links in the story, a labelled block after it,
readable and without accessibility violations in light and dark mode."""

import re

import pytest

from masthead.newsroom.tests.factories import make_article, make_image
from masthead.related import keeper
from masthead.related.services import related_rebuild
from masthead.related.tests.fixtures import BEATS
from masthead.related.tests.stories import body_of, newsroom, section_for
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def story(live_server, settings, tmp_path):
    settings.SITE_URL = live_server.url
    settings.VAR_DIR = tmp_path
    keeper.forget()
    stories = newsroom()
    image = make_image(alt_text="Diplomats around a table")
    for article in list(stories.values())[:6]:
        article.featured_image = image
        article.save()
    text = " ".join(body for _, body in BEATS["diplomacy"])
    article = make_article(
        headline="Diplomats race to save the ceasefire",
        body=body_of(text[:-1]) + "<p>Talks resume on Monday.</p>",
        section=section_for("diplomacy"),
    )
    related_rebuild()
    yield article
    keeper.forget()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_related_links_are_labelled_readable_and_lead_somewhere(
    page, live_server, story, axe_source, scheme
):
    page.emulate_media(color_scheme=scheme)
    page.goto(live_server.url + story.get_absolute_url())

    inline = page.locator(".story__body .inline-related")
    assert inline.count() == 2
    assert re.fullmatch(r"SEE ALSO: .+", inline.nth(0).inner_text())
    assert re.fullmatch(r"READ: .+", inline.nth(1).inner_text())

    block = page.get_by_role("complementary", name="Related stories")
    assert block.get_by_role("heading", name="Related stories").is_visible()
    items = block.get_by_role("listitem")
    assert items.count() == 4
    assert items.first.locator("time").inner_text()

    page.add_script_tag(content=axe_source)
    results = page.evaluate(
        """async () => await axe.run(
            {include: [['.inline-related'], ['aside.related']]},
            {resultTypes: ['violations']})"""
    )
    serious = [
        (v["id"], [n["target"] for n in v["nodes"]][:3])
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    screenshot(page, f"related-{scheme}")
    assert serious == []

    headline = items.first.locator(".related__headline").inner_text()
    items.first.get_by_role("link").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == headline
