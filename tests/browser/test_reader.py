"""A reader opens the home page, follows a story, and finds the badge, share links and JSON-LD."""

import json
import re

import pytest

from masthead.newsroom.tests.factories import (
    make_article,
    make_author,
    make_image,
    make_section,
    make_tag,
)
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True)

BODY = "".join(
    f"<p>{'Harbour councillors debated the flood wall at length. ' * 12}</p>" for _ in range(6)
)


@pytest.fixture
def site(live_server, settings):
    settings.SITE_URL = live_server.url
    politics = make_section("Politics", slug="politics")
    city = make_section("City", slug="city")
    author = make_author("Amira Okafor", slug="amira-okafor", bio="Covers the city hall.")
    lead = make_article(
        headline="Harbour wall vote passes after late-night debate",
        standfirst="Councillors back the flood scheme by 31 votes to 12.",
        body=BODY,
        section=politics,
        authors=[author],
        tags=[make_tag("Flood defences")],
        featured_image=make_image(alt_text="The harbour wall at dusk"),
        pinned=True,
    )
    for i in range(4):
        make_article(headline=f"City story {i}", section=city, authors=[author], body=BODY)
    return lead


def test_reader_follows_a_story_from_the_home_page(page, live_server, site):
    page.goto(live_server.url + "/")
    page.get_by_role("link", name=site.headline).first.click()
    page.wait_for_url(re.compile(re.escape(site.get_absolute_url()) + "$"))

    assert page.locator("h1").inner_text() == site.headline
    badge = page.locator(".reading-time")
    assert re.fullmatch(r"\d+ MIN READ", badge.inner_text().upper())
    assert badge.inner_text().lower() == f"{site.reading_minutes} min read"

    share = page.locator("section.share")
    assert share.get_by_role("heading").inner_text().lower() == "share this article"
    hrefs = share.locator("a").evaluate_all("links => links.map(a => a.href)")
    assert any(h.startswith("https://x.com/intent/post?url=") for h in hrefs)
    assert any(h.startswith("mailto:?") for h in hrefs)
    assert all(site.get_absolute_url().replace("/", "%2F") in h for h in hrefs if "url=" in h)

    raw = page.locator('script[type="application/ld+json"]').text_content()
    data = json.loads(raw)
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == site.headline
    assert data["author"][0]["name"] == "Amira Okafor"

    page.get_by_role("button", name="Copy link to this story").click()
    screenshot(page, "article-page")


def test_the_page_loads_nothing_from_other_hosts(page, live_server, site):
    # A picture left in the body by an import, on the old site's host.
    site.body += '<p><img src="http://old-site.invalid/uploads/quay.jpg" alt="The quay"></p>'
    site.save()
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(live_server.url + site.get_absolute_url())
    assert page.get_by_role("link", name="The quay (picture on old-site.invalid)").count() == 1
    page.wait_for_load_state("networkidle")
    assert requested
    assert all(url.startswith((live_server.url, "data:")) for url in requested)


def test_css_and_js_stay_under_50_kb(page, live_server, site):
    sizes = {}

    def record(response):
        if response.request.resource_type in {"stylesheet", "script"}:
            assert response.status == 200, response.url
            sizes[response.url] = len(response.body())

    page.on("response", record)
    page.goto(live_server.url + site.get_absolute_url())
    page.wait_for_load_state("networkidle")
    assert sizes, "the page should load its stylesheet and script"
    assert sum(sizes.values()) < 50 * 1024, sizes


@pytest.mark.parametrize("path", ["/", "/search/?q=harbour", "story"])
def test_nothing_scrolls_sideways_at_320_pixels(browser, live_server, site, path):
    """WCAG 1.4.10 (reflow): the header's search box shrinks to leave room for its button."""
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.goto(live_server.url + (site.get_absolute_url() if path == "story" else path))
    width = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    assert page.evaluate(width) == 0
    button = page.locator(".site-search button").bounding_box()
    assert button["x"] + button["width"] <= 320
    context.close()


def test_a_listed_story_without_a_picture_takes_the_full_width(page, live_server, site):
    page.goto(live_server.url + "/search/?q=harbour")
    with_picture = page.locator(".listing .card", has=page.locator(".card__image")).first
    without = page.locator(".listing .card:not(:has(.card__image))").first
    card = without.bounding_box()
    text = without.locator(".card__text").bounding_box()
    assert text["x"] == card["x"]
    assert text["width"] == card["width"]
    picture = with_picture.locator(".card__text").bounding_box()
    assert picture["x"] > card["x"]  # beside its picture
