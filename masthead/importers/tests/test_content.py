"""WordPress post content becomes clean body HTML."""

from masthead.core.html import sanitize_body
from masthead.importers.content import autop, convert_shortcodes, wordpress_to_html


def body(content: str) -> str:
    return sanitize_body(wordpress_to_html(content))


def test_blank_lines_make_paragraphs_and_single_newlines_breaks():
    assert body("first paragraph\n\nsecond\nline") == (
        "<p>first paragraph</p>\n<p>second<br>\nline</p>"
    )


def test_block_delimiters_are_removed_and_block_html_is_not_reparagraphed():
    content = (
        '<!-- wp:paragraph {"align":"center"} -->\n<p class="x">One</p>\n<!-- /wp:paragraph -->'
        "\n\n<!-- wp:latest-posts /-->\n<!-- wp:list -->\n<ul><li>a</li></ul>\n<!-- /wp:list -->"
    )
    result = body(content)
    assert "wp:" not in result
    assert "<p>One</p>" in result
    assert "<ul><li>a</li></ul>" in result
    assert "<p><ul>" not in result


def test_caption_becomes_a_figure_with_its_caption():
    content = (
        '[caption id="attachment_9" align="alignright" width="300"]<a href="https://e.org/b.jpg">'
        '<img src="https://e.org/b.jpg" alt="A boat" width="300"></a> A boat, at dusk[/caption]'
    )
    assert body(content) == (
        '<figure><a href="https://e.org/b.jpg"><img src="https://e.org/b.jpg" alt="A boat" '
        'width="300"></a><figcaption>A boat, at dusk</figcaption></figure>'
    )


def test_old_style_caption_attribute_is_used():
    assert "<figcaption>Lake</figcaption>" in body(
        '[caption caption="Lake"]<img src="l.jpg">[/caption]'
    )


def test_embeds_become_links_and_galleries_go():
    result = body('Before [gallery ids="1,2,3"]\n\n[embed]https://youtu.be/x[/embed]\n\nAfter')
    assert "gallery" not in result
    assert '<a href="https://youtu.be/x">https://youtu.be/x</a>' in result
    assert result.startswith("<p>Before")


def test_a_url_alone_on_its_line_becomes_a_link():
    assert body("See:\n\nhttps://vimeo.com/1\n\nEnd") == (
        '<p>See:</p>\n<p><a href="https://vimeo.com/1">https://vimeo.com/1</a></p><p>End</p>'
    )


def test_code_shortcode_is_escaped_into_pre():
    assert body('[sourcecode language="py"]if a < b: x = "<b>"[/sourcecode]') == (
        '<pre><code>if a &lt; b: x = "&lt;b&gt;"</code></pre>'
    )


def test_unknown_brackets_stay_and_escaped_shortcodes_become_literal():
    assert convert_shortcodes("He said [sic] see [1] and [[gallery]]") == (
        "He said [sic] see [1] and [gallery]"
    )


def test_pre_keeps_its_blank_lines():
    assert autop("<pre>a\n\nb</pre>") == "<pre>a\n\nb</pre>"


def test_blockquote_text_gets_paragraphs_list_items_do_not():
    result = autop("<blockquote>One\n\nTwo</blockquote>\n<ul>\n<li>x\ny</li>\n</ul>")
    assert "<blockquote><p>One</p>\n<p>Two</p>\n</blockquote>" in result
    assert "<li>x<br>\ny</li>" in result


def test_scripts_and_event_handlers_never_survive():
    result = body(
        '<p onclick="x()">Hi</p><script>alert(1)</script><iframe src="https://e"></iframe>'
    )
    assert result == "<p>Hi</p>"


def test_more_marker_ends_a_paragraph_and_backslashes_are_kept():
    assert body("Intro<!--more-->\nC:\\xampp\\htdocs") == "<p>Intro</p>\n<p>C:\\xampp\\htdocs</p>"
