"""axe-core finds no serious or critical violation, in light and in dark mode."""

import pytest

from tests.browser.conftest import screenshot
from tests.browser.test_reader import site  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("where", ["home", "article", "section", "search"])
def test_no_serious_accessibility_violations(page, live_server, site, axe_source, scheme, where):  # noqa: F811
    path = {
        "home": "/",
        "article": site.get_absolute_url(),
        "section": "/section/politics/",
        "search": "/search/?q=harbour",
    }[where]
    page.emulate_media(color_scheme=scheme)
    page.goto(live_server.url + path)
    page.add_script_tag(content=axe_source)
    results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    serious = [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
        }
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    if serious:
        screenshot(page, f"axe-{where}-{scheme}")
    assert serious == []
