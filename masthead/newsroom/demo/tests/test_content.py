"""The demo content loads, its references resolve, and its artwork is deterministic."""

from __future__ import annotations

import copy
import json
import re
from collections import Counter

import pytest

from masthead.newsroom.demo import body_text, load_content, validate_content, word_count
from masthead.newsroom.demo.artwork import MOTIFS, PALETTES, draw

CONTENT = load_content()
ARTICLES = CONTENT["articles"]
SLUGS = [a["slug"] for a in ARTICLES]


@pytest.fixture
def content() -> dict:
    return copy.deepcopy(CONTENT)


def _illustrated(content: dict) -> dict:
    return next(a for a in content["articles"] if a["image"])


def test_content_has_the_expected_shape():
    assert CONTENT["site"]["name"] == "The Harbour Gazette"
    assert len(CONTENT["sections"]) == 5
    assert 6 <= len(CONTENT["authors"]) <= 8
    assert 15 <= len(CONTENT["tags"]) <= 25
    assert 18 <= len(ARTICLES) <= 22
    assert {a["role"] for a in CONTENT["authors"]} <= {"contributor", "author", "editor"}


def test_every_section_author_and_tag_is_used():
    used_sections = {a["section"] for a in ARTICLES}
    used_authors = {slug for a in ARTICLES for slug in a["authors"]}
    used_tags = {slug for a in ARTICLES for slug in a["tags"]}
    assert used_sections == {s["slug"] for s in CONTENT["sections"]}
    assert used_authors == {a["slug"] for a in CONTENT["authors"]}
    assert used_tags == {t["slug"] for t in CONTENT["tags"]}


@pytest.mark.parametrize("kind", ["sections", "authors", "tags", "articles"])
def test_slugs_are_unique(kind):
    slugs = [item["slug"] for item in CONTENT[kind]]
    assert len(slugs) == len(set(slugs))
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug) for slug in slugs)


def test_exactly_one_article_is_scheduled_for_tomorrow():
    scheduled = [a for a in ARTICLES if a["status"] == "scheduled"]
    assert len(scheduled) == 1
    assert scheduled[0]["published_days_ago"] == -1
    assert all(a["published_days_ago"] >= 0 for a in ARTICLES if a["status"] == "published")


def test_exactly_one_correction_and_one_or_two_updates():
    kinds = Counter(note["kind"] for a in ARTICLES for note in a["notes"])
    assert kinds["correction"] == 1
    assert 1 <= kinds["update"] <= 2


def test_exactly_one_pinned_article_and_it_is_published():
    pinned = [a for a in ARTICLES if a["pinned"]]
    assert len(pinned) == 1
    assert pinned[0]["status"] == "published"


def test_exactly_one_article_has_no_featured_image():
    assert sum(a["image"] is None for a in ARTICLES) == 1


def test_publication_dates_spread_over_a_month_with_recent_news():
    days = [a["published_days_ago"] for a in ARTICLES if a["status"] == "published"]
    assert min(days) == 0
    assert 25 <= max(days) <= 31
    assert sum(d <= 1 for d in days) >= 3  # the news sitemap covers the last two days


@pytest.mark.parametrize("article", ARTICLES, ids=SLUGS)
def test_body_is_between_250_and_650_words(article):
    assert 250 <= word_count(article["body_html"]) <= 650


def test_lengths_vary_enough_for_different_reading_times():
    counts = [word_count(a["body_html"]) for a in ARTICLES]
    assert min(counts) < 300
    assert max(counts) > 550


@pytest.mark.parametrize("article", ARTICLES, ids=SLUGS)
def test_text_uses_typographic_quotes_only(article):
    texts = [article["headline"], article["standfirst"], body_text(article["body_html"])]
    if article["image"]:
        texts += [article["image"]["caption"], article["image"]["alt"]]
    texts += [note["text"] for note in article["notes"]]
    for text in texts:
        assert '"' not in text
        assert "'" not in text


def test_body_text_drops_tags_and_decodes_entities():
    html = "<p>Rain &amp; wind</p><ul><li>one</li><li>two</li></ul>"
    assert body_text(html) == "Rain & wind one two"
    assert word_count(html) == 5
    assert word_count("") == 0


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda c: c["articles"][0].update(section="weather"), "section 'weather'"),
        (lambda c: c["articles"][0]["authors"].append("nobody"), "author 'nobody'"),
        (lambda c: c["articles"][0]["tags"].append("no-such-tag"), "tag 'no-such-tag'"),
        (lambda c: _illustrated(c)["image"].update(motif="unicorn"), "motif 'unicorn'"),
        (lambda c: _illustrated(c)["image"].update(palette="neon"), "palette 'neon'"),
        (lambda c: c["articles"][0].update(status="draft"), "status 'draft'"),
        (lambda c: c["articles"][0].update(published_days_ago=3), "scheduled article"),
        (lambda c: c["articles"][0].update(published_hour=24), "published_hour"),
        (lambda c: c["articles"][0]["notes"].append({"kind": "x", "text": "y"}), "note kind"),
        (lambda c: c["articles"].append(copy.deepcopy(c["articles"][0])), "more than once"),
        (lambda c: c["authors"][0].update(role="owner"), "role 'owner'"),
        (lambda c: c.pop("tags"), "missing top-level keys: tags"),
    ],
)
def test_validation_names_the_problem(content, mutate, message):
    mutate(content)
    with pytest.raises(ValueError, match=re.escape(message)):
        validate_content(content)


@pytest.mark.parametrize(
    ("html", "message"),
    [
        ("<p>Hi</p><img src='/x.png' alt=''>", "<img> is not allowed"),
        ("<p><script>x</script></p>", "<script> is not allowed"),
        ("<p><a href='https://elsewhere.test/'>x</a></p>", "must point to https://example.org"),
        ("<p><a href='//elsewhere.test/'>x</a></p>", "must point to https://example.org"),
        ("<p><a>x</a></p>", "must point to https://example.org"),
    ],
)
def test_validation_rejects_unsafe_body_html(content, html, message):
    content["articles"][0]["body_html"] = html
    with pytest.raises(ValueError, match=re.escape(message)):
        validate_content(content)


def test_allowed_links_pass_validation(content):
    content["articles"][0]["body_html"] = (
        '<p><a href="https://example.org/plans">plans</a> and <a href="/about/">us</a></p>'
    )
    validate_content(content)


def test_load_content_reports_broken_json(tmp_path):
    path = tmp_path / "content.json"
    path.write_text('{"site": ', encoding="utf-8")
    with pytest.raises(ValueError, match="not valid JSON"):
        load_content(path)


def test_load_content_reads_a_given_file(tmp_path):
    path = tmp_path / "content.json"
    path.write_text(json.dumps(CONTENT), encoding="utf-8")
    assert load_content(path) == CONTENT


def test_every_motif_in_the_content_exists_and_palettes_are_five_or_six():
    used = {a["image"]["motif"] for a in ARTICLES if a["image"]}
    assert used <= set(MOTIFS)
    assert 5 <= len(PALETTES) <= 6


@pytest.mark.parametrize("motif", sorted(MOTIFS))
def test_artwork_is_deterministic_and_the_right_size(motif):
    first = draw(motif=motif, palette="sea", seed=3)
    second = draw(motif=motif, palette="sea", seed=3)
    assert first.size == (1600, 900)
    assert first.mode == "RGB"
    assert first.tobytes() == second.tobytes()
    assert draw(motif=motif, palette="sea", seed=4).tobytes() != first.tobytes()


@pytest.mark.parametrize("palette", sorted(PALETTES))
def test_artwork_takes_every_palette_and_a_custom_size(palette):
    image = draw(motif="waves", palette=palette, seed=1, size=(320, 180))
    assert image.size == (320, 180)
    assert len(image.getcolors(maxcolors=1 << 20)) > 50  # a picture, not a flat fill


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"motif": "unicorn", "palette": "sea"}, "Unknown motif 'unicorn'"),
        ({"motif": "waves", "palette": "neon"}, "Unknown palette 'neon'"),
        ({"motif": "waves", "palette": "sea", "size": (15, 900)}, "too small"),
    ],
)
def test_artwork_rejects_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        draw(seed=1, **kwargs)
