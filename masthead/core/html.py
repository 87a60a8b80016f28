"""HTML helpers shared by the newsroom, comments and importers.

Everything stored as HTML passes through :func:`sanitize_body` (or a stricter policy) with
nh3 before it is ever shown.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from html.parser import HTMLParser
from urllib.parse import urlsplit

import nh3

BODY_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "em", "figcaption",
        "figure", "h2", "h3", "h4", "hr", "i", "img", "li", "ol", "p", "pre", "s", "small",
        "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
    }
)  # fmt: skip
BODY_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height", "srcset", "sizes", "loading"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start", "reversed"},
    "abbr": {"title"},
    "blockquote": {"cite"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})

_BODY_CLEANER = nh3.Cleaner(
    tags=set(BODY_TAGS),
    attributes={tag: set(attrs) for tag, attrs in BODY_ATTRIBUTES.items()},
    url_schemes=set(URL_SCHEMES),
    link_rel=None,
    strip_comments=True,
)

BLOCK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt",
        "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr",
        "li", "main", "nav", "ol", "p", "pre", "section", "table", "td", "th", "tr", "ul",
    }
)  # fmt: skip


def sanitize_body(value: str) -> str:
    """Clean an article body to the newsroom's small allowed set of tags and attributes."""
    return _BODY_CLEANER.clean(value or "").strip()


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.images = 0
        self._skip = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in {"script", "style", "template"}:
            self._skip += 1
        elif tag == "img":
            self.images += 1
        if tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style", "template"} and self._skip:
            self._skip -= 1
        if tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_to_text(value: str) -> str:
    """The readable text of an HTML fragment, with blocks separated by blank lines."""
    parser = _TextExtractor()
    parser.feed(value or "")
    parser.close()
    text = "".join(parser.parts)
    lines = (" ".join(line.split()) for line in text.split("\n"))
    return "\n\n".join(line for line in lines if line)


def count_images(value: str) -> int:
    parser = _TextExtractor()
    parser.feed(value or "")
    parser.close()
    return parser.images


def escape(value: str) -> str:
    return html.escape(value, quote=True)


_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_ATTRIBUTE = re.compile(r'\s([a-zA-Z-]+)="([^"]*)"')
_SRCSET = re.compile(r'\s(?:srcset|sizes)="[^"]*"')


def _host(url: str) -> str | None:
    """The host of an absolute or protocol-relative address; None for a relative one."""
    try:
        return urlsplit(html.unescape(url).strip()).hostname
    except ValueError:
        return ""  # unreadable: treated as another host's


def pictures_from(value: str, allowed: Callable[[str], bool]) -> str:
    """``value`` (sanitised HTML) with every picture on a host ``allowed`` refuses turned into
    a plain link to it, so that showing the page loads nothing from that host.

    Relative addresses are the site's own. A picture on an allowed host keeps only the
    ``srcset`` candidates it can: if any is elsewhere, ``srcset`` and ``sizes`` go.
    """
    if "<img" not in value:
        return value

    def swap(match: re.Match) -> str:
        tag = match.group(0)
        attributes = dict(_ATTRIBUTE.findall(tag))
        src = attributes.get("src", "")
        host = _host(src)
        if host is None or allowed(host):
            candidates = attributes.get("srcset", "").split(",")
            hosts = {_host(c.split()[0]) for c in candidates if c.strip()}
            if all(h is None or allowed(h) for h in hosts):
                return tag
            return _SRCSET.sub("", tag)
        label = attributes.get("alt") or "Picture"
        return f'<a href="{src}" rel="nofollow noopener">{label} (picture on {escape(host)})</a>'

    return _IMG.sub(swap, value)


Attributes = list[tuple[str, str | None]]


class _ImageFinder(HTMLParser):
    """Each ``<img>`` tag of a fragment: where it starts, its text as written, its attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.found: list[tuple[tuple[int, int], str, Attributes]] = []

    def handle_starttag(self, tag: str, attrs: Attributes) -> None:
        if tag == "img":
            self.found.append((self.getpos(), self.get_starttag_text() or "", attrs))

    def handle_startendtag(self, tag: str, attrs: Attributes) -> None:
        self.handle_starttag(tag, attrs)


def image_tags(value: str) -> list[Attributes]:
    """The attributes of every ``<img>`` in ``value``, in order (values unescaped)."""
    finder = _ImageFinder()
    finder.feed(value or "")
    finder.close()
    return [attrs for _, _, attrs in finder.found]


def replace_image_tags(value: str, change: Callable[[Attributes], Attributes | None]) -> str:
    """``value`` with each ``<img>`` for which ``change(attributes)`` returns new attributes
    written again with them; everything else is kept exactly as it was.

    ``change`` gets the attributes unescaped, as a list of ``(name, value)``, and returns None
    to leave a tag alone.
    """
    finder = _ImageFinder()
    finder.feed(value or "")
    finder.close()
    if not finder.found:
        return value
    line_starts = [0]
    for line in value.split("\n"):
        line_starts.append(line_starts[-1] + len(line) + 1)
    parts, done = [], 0
    for (line, column), written, attrs in finder.found:
        start = line_starts[line - 1] + column
        if not written or value[start : start + len(written)] != written:
            continue  # the parser lost its place: leave this tag as it was
        new = change(list(attrs))
        if new is None:
            continue
        shown = "".join(f" {name}" if v is None else f' {name}="{escape(v)}"' for name, v in new)
        parts += [value[done:start], f"<img{shown}>"]
        done = start + len(written)
    parts.append(value[done:])
    return "".join(parts)
