"""Comments exported as HTML (Disqus, WordPress) read as the text a commenter would type."""

import pytest

from masthead.discussion.text import render_body
from masthead.importers.commenttext import comment_text


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("", ""),
        ("<p>7 is too early!</p>", "7 is too early!"),
        ("<p>One</p>\n<p>Two<br>three</p>", "One\n\nTwo\nthree"),
        ("<p>a<p>b", "a\n\nb"),  # unclosed paragraphs
        ("<p>wrapped\nin the source</p>", "wrapped in the source"),
        ("a<br><br>b", "a\n\nb"),
        ("<b>bold</b>, <i>italic</i>, <code>x</code>", "bold, italic, x"),
        ("Tom &amp; Jerry&#39;s &lt;3 &eacute;t&eacute;&nbsp;!", "Tom & Jerry's <3 été !"),
        ("<blockquote><p>one</p><p>two</p></blockquote>ok", "> one\n\n> two\n\nok"),
        ("<ul>\n<li>a</li>\n<li>b</li>\n</ul>", "- a\n- b"),
        ("<ul><li>a<ul><li>a1</li></ul></li><li>b</li></ul><p>c</p>", "- a\n- a1\n- b\n\nc"),
        # A comment is shown with its spaces folded: a <pre> keeps its lines, not its indent.
        ("<pre><code>def f():\n    return 1</code></pre>", "def f():\nreturn 1"),
        ('<a href="https://a.example/x">the story</a>', "the story (https://a.example/x)"),
        ('<a href="https://a.example/x">a.example/x</a>', "https://a.example/x"),
        ('<a href="https://a.example/long/path">https://a.example/lo...</a>', "https://a.example/long/path"),
        ('<a href="/relative">here</a> <a href="mailto:a@b.org">mail</a>', "here mail"),
        ('<a href="https://disqus.com/by/ana/">@ana</a> hi', "@ana hi"),
        ('<img src="https://a.example/c.png" alt="A cat">', "A cat https://a.example/c.png"),
        ('x<script>alert(1)</script><style>p{}</style><a href="javascript:alert(2)">y</a>', "xy"),
    ],
)  # fmt: skip
def test_html_to_comment_text(html, text):
    assert comment_text(html) == text


@pytest.mark.parametrize(
    ("typed", "text"),
    [
        ("one\ntwo\n\n\nthree", "one\ntwo\n\nthree"),
        ("a <3 b & c", "a <3 b & c"),
        ("Hi.<br />The post&#039;s comments.", "Hi.\nThe post's comments."),
        ("<strong>Headings</strong>\n<h1>One</h1>\nText", "Headings\n\nOne\n\nText"),
    ],
)
def test_wordpress_comments_keep_their_typed_line_breaks(typed, text):
    assert comment_text(typed, newlines=True) == text


def test_the_text_renders_back_to_paragraphs_and_links():
    text = comment_text('<p>See <a href="https://a.example/x">this</a></p><p>Bye</p>')
    assert render_body(text) == (
        '<p>See this (<a href="https://a.example/x" rel="nofollow ugc noopener">'
        "https://a.example/x</a>)</p>\n<p>Bye</p>"
    )


def test_an_enormous_message_is_read_only_as_far_as_a_comment_can_hold():
    html = "<p>" + '<a href="https://a.example/">y</a> ' * 200_000 + "</p>"
    text = comment_text(html)
    assert 65_525 < len(text) < len(html) / 2
    assert text.startswith("y (https://a.example/) y (https://a.example/)")
