"""Rendering a comment's text: nothing typed becomes markup; addresses become safe links."""

from __future__ import annotations

import pytest

from masthead.discussion.text import clean_text, count_links, first_match, render_body


def test_paragraphs_and_line_breaks():
    html = render_body("First line\nsecond line\n\n\nNew paragraph")
    assert html == "<p>First line<br>\nsecond line</p>\n<p>New paragraph</p>"


@pytest.mark.parametrize(
    "payload",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        '<svg onload="alert(1)">',
        '"><script>alert(1)</script>',
        '<a href="javascript:alert(1)">x</a>',
        "<!-- --><iframe src=//evil>",
    ],
)
def test_markup_is_shown_as_text(payload):
    html = render_body(payload)
    assert "<script" not in html
    assert "<img" not in html
    assert "<svg" not in html
    assert "<iframe" not in html
    assert "&lt;" in html


def test_addresses_become_links_with_nofollow_ugc_noopener():
    html = render_body("See https://example.org/a?b=1&c=2. Or www.example.net!")
    assert '<a href="https://example.org/a?b=1&amp;c=2" rel="nofollow ugc noopener">' in html
    assert ">https://example.org/a?b=1&amp;c=2</a>. Or" in html
    assert (
        '<a href="https://www.example.net" rel="nofollow ugc noopener">www.example.net</a>!' in html
    )


def test_balanced_brackets_stay_in_the_address():
    html = render_body("(see https://en.wikipedia.org/wiki/Tide_(disambiguation))")
    assert 'href="https://en.wikipedia.org/wiki/Tide_(disambiguation)"' in html
    assert "</a>)" in html


def test_javascript_addresses_are_never_linked():
    html = render_body("javascript:alert(document.cookie)")
    assert "<a" not in html


def test_attribute_breakouts_stay_inside_the_href():
    html = render_body('https://example.org/"onmouseover="alert(1)')
    assert "onmouseover=" not in html.split(">")[0]


def test_invisible_characters_and_controls_are_removed_but_joiners_kept():
    assert clean_text("a\u202eb\u200bc\x00d\x07e") == "abcde"
    assert clean_text("می\u200cخواهم") == "می\u200cخواهم"  # Persian needs ZWNJ
    assert clean_text("line one\r\nline two  ") == "line one\nline two"


@pytest.mark.parametrize(
    ("text", "links"),
    [("", 0), ("no links", 0), ("https://a.example", 1), ("https://a.example www.b.example", 2)],
)
def test_links_are_counted(text, links):
    assert count_links(text) == links


@pytest.mark.parametrize(
    "haystack", ["Buy VIAGRA now", "v\u200biagra", "ｖｉａｇｒａ", "ViAgRa-online"]
)
def test_words_match_whatever_the_case_width_or_hidden_characters(haystack):
    assert first_match(["viagra"], [haystack]) == "viagra"


def test_words_do_not_match_elsewhere():
    assert first_match(["casino"], ["A fine comment"]) is None
