"""Finding and rewriting ``<img>`` tags with a parser, leaving the rest of a body as it was."""

from masthead.core.html import image_tags, replace_image_tags

BODY = (
    "<p>Fish &amp; chips</p>\n"
    '<figure><img src="https://old.example.org/a.jpg?w=1&amp;h=2" '
    'srcset="https://old.example.org/a-300x200.jpg 300w" sizes="100vw" alt="The &quot;quay&quot;">'
    "\n<figcaption>Caf\u00e9 <em>at dawn</em></figcaption></figure>\n"
    "<p>Then <img src=/local.png /> and <!-- <img src=x> --> more.</p>"
)


def test_image_tags_gives_unescaped_attributes_in_order():
    assert image_tags(BODY) == [
        [
            ("src", "https://old.example.org/a.jpg?w=1&h=2"),
            ("srcset", "https://old.example.org/a-300x200.jpg 300w"),
            ("sizes", "100vw"),
            ("alt", 'The "quay"'),
        ],
        [("src", "/local.png")],
    ]


def test_only_the_changed_tag_is_written_again():
    def change(attrs):
        values = dict(attrs)
        if "old.example.org" not in values["src"]:
            return None
        return [("src", "/media/a.jpg"), ("alt", values["alt"])]

    start = BODY.index('<img src="https://old')
    written = BODY[start : BODY.index(">", start) + 1]
    expected = BODY.replace(written, '<img src="/media/a.jpg" alt="The &quot;quay&quot;">')
    assert replace_image_tags(BODY, change) == expected


def test_nothing_changes_when_every_tag_is_left_alone():
    assert replace_image_tags(BODY, lambda attrs: None) == BODY
    assert replace_image_tags("<p>No pictures</p>", lambda attrs: []) == "<p>No pictures</p>"


def test_a_picture_in_a_comment_is_not_a_picture():
    assert len(image_tags(BODY)) == 2
    assert "<!-- <img src=x> -->" in replace_image_tags(BODY, lambda attrs: attrs)
