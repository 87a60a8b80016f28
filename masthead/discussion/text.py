"""A comment's text: cleaning what was typed, rendering it to safe HTML, and matching words.

Comments are plain text. Rendering escapes everything, turns blank-line-separated blocks into
paragraphs and single line breaks into ``<br>``, links bare web addresses, and then passes
the result through nh3 with an allow-list of three tags, so nothing a commenter types can
ever become markup that runs.
"""

from __future__ import annotations

import html
import re
import unicodedata

import nh3

LINK_REL = "nofollow ugc noopener"

# Bidirectional embeddings, overrides and isolates: they can make text display in an order
# other than the one it was typed in ("moc.elgoog" tricks). Zero-width spaces, the word
# joiner and the byte-order mark are invisible. Zero-width (non-)joiners are kept: Persian,
# Indic scripts and emoji sequences need them.
_HIDDEN = dict.fromkeys(
    [*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200B, 0x2060, 0xFEFF, 0x180E, 0x200E,
     0x200F, 0x061C]
)  # fmt: skip
# C0 and C1 control characters other than tab and newline.
_CONTROLS = dict.fromkeys([*range(9), 11, 12, *range(14, 32), 127, *range(0x80, 0xA0)])

_CLEANER = nh3.Cleaner(
    tags={"p", "br", "a"},
    attributes={"a": {"href"}},
    url_schemes={"http", "https"},
    link_rel=LINK_REL,
    strip_comments=True,
)

_URL = re.compile(r"\b(?:https?://|www\.)[^\s<>\"'`]+", re.IGNORECASE)
_TRAILING = ".,:;!?'\")]}*_"
_PAIRS = {")": "(", "]": "[", "}": "{"}


def clean_text(value: str) -> str:
    """What is stored of a typed value: NFC, no control or invisible direction characters,
    Windows and old Mac line breaks as plain newlines, no trailing spaces."""
    value = (value or "").replace("\r\n", "\n").replace("\r", "\n")
    value = unicodedata.normalize("NFC", value).translate(_HIDDEN).translate(_CONTROLS)
    return "\n".join(line.rstrip() for line in value.split("\n")).strip()


def clean_line(value: str) -> str:
    """A one-line value (name, address): as :func:`clean_text`, with runs of space folded."""
    return " ".join(clean_text(value).split())


def _split_url(candidate: str) -> tuple[str, str]:
    """The address and whatever punctuation after it belongs to the sentence instead."""
    url = candidate
    while url and url[-1] in _TRAILING:
        closer = url[-1]
        if closer in _PAIRS and url.count(_PAIRS[closer]) >= url.count(closer):
            break  # a balanced bracket, as in Wikipedia's addresses
        url = url[:-1]
    return url, candidate[len(url) :]


def find_urls(text: str) -> list[str]:
    return [url for url in (_split_url(m.group(0))[0] for m in _URL.finditer(text)) if url]


def _linkify(line: str) -> str:
    out, last = [], 0
    for match in _URL.finditer(line):
        url, rest = _split_url(match.group(0))
        out.append(html.escape(line[last : match.start()], quote=False))
        href = url if "://" in url else f"https://{url}"
        out.append(f'<a href="{html.escape(href)}">{html.escape(url, quote=False)}</a>')
        out.append(html.escape(rest, quote=False))
        last = match.end()
    out.append(html.escape(line[last:], quote=False))
    return "".join(out)


def render_body(text: str) -> str:
    """Safe HTML for a comment's text: paragraphs, line breaks and links, nothing else."""
    paragraphs = re.split(r"\n\s*\n", clean_text(text))
    rendered = []
    for paragraph in paragraphs:
        if paragraph.strip():
            lines = [_linkify(line) for line in paragraph.split("\n")]
            rendered.append("<p>" + "<br>\n".join(lines) + "</p>")
    return sanitize_comment_html("\n".join(rendered))


def sanitize_comment_html(value: str) -> str:
    return _CLEANER.clean(value or "")


def count_links(text: str) -> int:
    """Links a comment's text carries once rendered: every web address in it."""
    return len(find_urls(text or ""))


def fold(value: str) -> str:
    """A form of the text for matching words: compatibility-folded, case-folded, with every
    invisible format character removed, so "V\u200biagra" and "ｖｉａｇｒａ" both match."""
    value = unicodedata.normalize("NFKC", value or "")
    value = "".join(ch for ch in value if unicodedata.category(ch) != "Cf")
    return value.casefold()


def first_match(words: list[str], haystacks: list[str]) -> str | None:
    """The first of ``words`` found (as a substring, like WordPress) in any of ``haystacks``."""
    folded = [fold(h) for h in haystacks if h]
    for word in words:
        needle = fold(word)
        if needle and any(needle in hay for hay in folded):
            return word
    return None


def normalise_for_duplicates(text: str) -> str:
    return " ".join(fold(text).split())
