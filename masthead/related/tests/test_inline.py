"""Where inline "SEE ALSO" / "READ" links go in a body, and where they never go."""

from __future__ import annotations

import re

import pytest

from masthead.related.inline import insert, paragraph_ends, slots

INLINE = [("SEE ALSO", 2), ("READ", -1)]
LINKS = [("/a/", "First related"), ("/b/", "Second related"), ("/c/", "Third")]


def paragraphs(n: int) -> str:
    return "".join(f"<p>Paragraph {i}.</p>" for i in range(1, n + 1))


def after_which(html: str) -> list[tuple[str, str]]:
    """(label, the text just before the link) for each inline link in ``html``."""
    found = []
    for match in re.finditer(r'<p class="inline-related">.*?</p>', html):
        before = re.findall(r"<p>([^<]*)</p>", html[: match.start()])
        label = re.search(r"<strong[^>]*>([^<]*):</strong>", match.group()).group(1)
        found.append((label, before[-1] if before else ""))
    return found


def test_see_also_after_the_second_paragraph_and_read_before_the_last():
    html, used = insert(paragraphs(8), LINKS, INLINE, 6)
    assert used == 2
    assert after_which(html) == [("SEE ALSO", "Paragraph 2."), ("READ", "Paragraph 7.")]
    assert html.endswith("<p>Paragraph 8.</p>")


def test_links_are_their_own_labelled_paragraphs_with_escaped_headlines():
    html, _ = insert(paragraphs(8), [("/a/?x=1&y=2", "Fish <&> chips")], INLINE, 6)
    assert (
        '<p class="inline-related"><strong class="inline-related__label">SEE ALSO:</strong> '
        '<a class="inline-related__link" href="/a/?x=1&amp;y=2">Fish &lt;&amp;&gt; chips</a></p>'
    ) in html


@pytest.mark.parametrize(("n", "expected"), [(5, 0), (6, 2), (7, 2)])
def test_stories_shorter_than_the_minimum_get_no_links(n, expected):
    html, used = insert(paragraphs(n), LINKS, INLINE, 6)
    assert used == expected
    assert html.count("inline-related__label") == expected


def test_links_are_never_adjacent_or_after_the_last_paragraph():
    # 4 paragraphs, minimum 3: SEE ALSO after 2; READ (-1 -> after 3) would be next to it.
    html, used = insert(paragraphs(4), LINKS, INLINE, 3)
    assert used == 1
    assert after_which(html) == [("SEE ALSO", "Paragraph 2.")]
    assert slots(3, [3], 1) == [None]  # after the last paragraph: never
    assert slots(10, [2, 3, 5], 1) == [2, None, 5]


def test_never_inside_a_quote_a_list_or_a_table():
    body = (
        "<p>One.</p>"
        "<blockquote><p>Quoted one.</p><p>Quoted two.</p></blockquote>"
        "<ul><li><p>Listed.</p></li></ul>"
        "<table><tbody><tr><td><p>Cell.</p></td></tr></tbody></table>"
        "<p>Two.</p><p>Three.</p><p>Four.</p><p>Five.</p><p>Six.</p>"
    )
    html, used = insert(body, LINKS, INLINE, 6)
    assert used == 2
    assert after_which(html) == [("SEE ALSO", "Two."), ("READ", "Five.")]
    for container in ("blockquote", "ul", "table"):
        inner = re.search(rf"<{container}>.*?</{container}>", html).group()
        assert "inline-related" not in inner


def test_only_top_level_paragraphs_with_text_count():
    body = "<p></p><p><br></p><h2>Heading</h2><figure><p>Fig</p></figure>" + paragraphs(3)
    assert len(paragraph_ends(body)) == 3


def test_attributes_with_angle_brackets_do_not_confuse_the_scanner():
    body = '<p><a href="/x" title="a > b">link</a> one.</p>' + paragraphs(6)
    ends = paragraph_ends(body)
    assert len(ends) == 7
    assert body[: ends[0]].endswith("one.</p>")


def test_fewer_candidates_than_slots_fill_the_first_slots():
    html, used = insert(paragraphs(8), LINKS[:1], INLINE, 6)
    assert used == 1
    assert after_which(html) == [("SEE ALSO", "Paragraph 2.")]


def test_no_candidates_or_no_positions_leave_the_body_untouched():
    body = paragraphs(8)
    assert insert(body, [], INLINE, 6) == (body, 0)
    assert insert(body, LINKS, [], 6) == (body, 0)


def test_positions_are_settings_in_any_order():
    html, used = insert(paragraphs(10), LINKS, [("READ", 6), ("MORE", 3)], 6)
    assert used == 2
    assert after_which(html) == [("MORE", "Paragraph 3."), ("READ", "Paragraph 6.")]
    # The best candidate goes to the first configured position.
    assert html.index("First related") > html.index("Second related")
