"""Imported comments' HTML into the plain text Masthead stores for a comment.

A comment's ``body`` is what its author typed; ``body_html`` is rendered from it (see
``masthead.discussion.text``), which escapes everything. Disqus and WordPress export comments
as HTML, so storing that as the text would show its tags to readers. This turns it into text
as a reader would have typed it: paragraphs separated by a blank line, ``<br>`` a line break,
a link as its text and its address (which the rendering links again), a quotation as lines
starting with ``> ``, list items as lines starting with ``- ``, entities decoded, no tags.

The HTML is first cleaned by nh3 to the few tags read here (scripts and styles go with their
content, unclosed tags are closed), then read with the standard library's parser.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import nh3

PARAGRAPHS = frozenset(
    {
        "address", "article", "aside", "blockquote", "dl", "div", "figure", "footer", "h1",
        "h2", "h3", "h4", "h5", "h6", "header", "hr", "ol", "p", "pre", "section", "table",
        "ul",
    }
)  # fmt: skip
LINES = frozenset({"dd", "dt", "figcaption", "li", "tr"})
LISTS = frozenset({"dl", "ol", "ul"})
# Comments are stored with at most 65,525 characters of text: more HTML than this is not read
# (a message made of thousands of tiny links would take seconds).
MAX_HTML = 256 * 1024
_CLEANER = nh3.Cleaner(
    tags=set(PARAGRAPHS | LINES | {"a", "br", "img", "td", "th"}),
    attributes={"a": {"href"}, "img": {"src", "alt"}},
    url_schemes={"http", "https"},
    link_rel=None,
    strip_comments=True,
)
_SPACE = re.compile(r"\s+")
_TRAILING_SPACE = re.compile(r"[^\S\n]+$")
_SCHEME = re.compile(r"^https?://(www\.)?", re.I)
# Disqus sends outbound links through disq.us/url?url=<address>:<check>.
_DISQUS_CHECK = re.compile(r":[A-Za-z0-9_-]{8,}$")


def _address(href: str | None) -> str:
    """The web address a link leads to, or "" (relative, mailto:, a Disqus profile)."""
    href = (href or "").strip()
    parts = urlsplit(href)
    if parts.scheme.lower() not in {"http", "https"} or not parts.hostname:
        return ""
    host = parts.hostname.lower()
    if host == "disq.us" and parts.path.startswith("/url"):
        wrapped = parse_qs(parts.query).get("url", [""])[0]
        return _address(_DISQUS_CHECK.sub("", wrapped))
    if host in {"disqus.com", "www.disqus.com"} and parts.path.startswith("/by/"):
        return ""  # a mention: its text (@name) is what readers saw
    return href


def _is_address(text: str, address: str) -> bool:
    """Is a link's text its address, perhaps without ``https://`` or cut short with an
    ellipsis (as Disqus shows long ones)?"""
    bare = _SCHEME.sub("", address).rstrip("/")
    shown = _SCHEME.sub("", text.strip()).rstrip("/")
    if shown.endswith(("…", "...")):
        shown = shown.rstrip(".…")
        return len(shown) >= 8 and bare.startswith(shown)
    return bool(shown) and shown == bare


@dataclass
class _Block:
    quote: int
    text: str = ""


class _Reader(HTMLParser):
    def __init__(self, newlines: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.newlines = newlines
        self.blocks: list[_Block] = []
        self.quote = 0
        self.pre = 0
        self.lists = 0
        self.new_block = True
        self.link: tuple[str, _Block, int] | None = None  # address, where its text starts

    def _block(self) -> _Block:
        if self.new_block or not self.blocks:
            self.blocks.append(_Block(self.quote))
            self.new_block = False
        return self.blocks[-1]

    def _write(self, text: str) -> None:
        if text:
            self._block().text += text

    def _line(self) -> None:
        """End the line, unless it has just ended (only ``<br>`` makes an empty one)."""
        if self.new_block or not self.blocks:
            return
        text = _TRAILING_SPACE.sub("", self.blocks[-1].text)
        if not text.endswith("\n"):
            self.blocks[-1].text = text + "\n"

    def handle_starttag(self, tag: str, attrs) -> None:
        attrs = dict(attrs)
        if tag in LISTS:
            self.lists += 1
        if tag in PARAGRAPHS and not (tag in LISTS and self.lists > 1):
            self.new_block = True
        elif tag in PARAGRAPHS | LINES:
            self._line()  # a list inside a list goes on line by line
        if tag == "blockquote":
            self.quote += 1
        elif tag == "pre":
            self.pre += 1
        elif tag == "br":
            self._write("\n")
        elif tag == "li":
            self._write("- ")
        elif tag in {"td", "th"}:
            self._write(" ")
        elif tag == "a":
            block = self._block()
            self.link = (_address(attrs.get("href")), block, len(block.text))
        elif tag == "img":
            alt = " ".join((attrs.get("alt") or "").split())
            self._write(" " + " ".join(part for part in (alt, _address(attrs.get("src"))) if part))

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self.link:
            address, block, start = self.link
            self.link = None
            shown = block.text[start:] if block is self._block() else ""
            if address and _is_address(shown, address):
                lead = shown[: len(shown) - len(shown.lstrip())]
                block.text = block.text[:start] + lead + address  # whole: it links again
            elif address:
                self._write(f" ({address})" if shown.strip() else address)
        if tag == "blockquote" and self.quote:
            self.quote -= 1
        elif tag == "pre" and self.pre:
            self.pre -= 1
        if tag in LISTS and self.lists:
            self.lists -= 1
        if tag in PARAGRAPHS and not (tag in LISTS and self.lists):
            self.new_block = True
        elif tag in PARAGRAPHS | LINES:
            self._line()

    def handle_data(self, data: str) -> None:
        if not (self.newlines or self.pre):
            self._write(data.replace("\n", " "))  # in HTML, a newline is a space
            return
        # WordPress's comments are typed text: a blank line ends a paragraph and a newline
        # ends a line (WordPress gives them paragraphs when it shows them); so does <pre>.
        # A comment's text is shown with its spaces folded, so a <pre>'s are not kept.
        for n, chunk in enumerate(re.split(r"\n[ \t]*\n\s*", data)):
            if n:
                self.new_block = True
            for m, line in enumerate(chunk.split("\n")):
                if m:
                    self._line()
                self._write(line)

    def text(self) -> str:
        paragraphs = []
        for block in self.blocks:
            lines = [_SPACE.sub(" ", line).strip() for line in block.text.split("\n")]
            # An empty line (<br><br>) ends a paragraph, as a blank line does in a comment.
            paragraphs += [(block.quote, part) for part in _split(lines)]
        return "\n\n".join(
            "\n".join(f"{'> ' * quote}{line}" for line in part) for quote, part in paragraphs
        )


def _split(lines: list[str]) -> list[list[str]]:
    parts: list[list[str]] = [[]]
    for line in lines:
        if line:
            parts[-1].append(line)
        elif parts[-1]:
            parts.append([])
    return [part for part in parts if part]


def comment_text(value: str, *, newlines: bool = False) -> str:
    """The plain text of a comment exported as HTML.

    With ``newlines``, a newline in the text is a line break and a blank line a paragraph, as
    in WordPress's comments; without, HTML's rules apply (Disqus): only tags break lines.
    """
    value = (value or "")[:MAX_HTML].replace("\r\n", "\n").replace("\r", "\n")
    reader = _Reader(newlines)
    reader.feed(_CLEANER.clean(value))
    reader.close()
    return reader.text()
