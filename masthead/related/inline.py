"""Where inline links ("SEE ALSO: …", "READ: …") go in a story's body, and putting them there.

The rules: a link goes only between two top-level blocks of the body, right after a
top-level paragraph — never inside a quote, a list, a table or a figure; never after the
last paragraph; never in a story with fewer than the minimum number of paragraphs; and
never right next to another inline link (at least two paragraphs apart).

Bodies are sanitised HTML (see ``masthead.core.html.sanitize_body``), so a small tag
scanner is enough; it runs on every page view and costs well under a millisecond.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

TAG = re.compile(
    r"""<(/?)([a-zA-Z][a-zA-Z0-9]*)((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?)*)\s*(/?)>"""
)
VOID = frozenset({"br", "img", "hr", "wbr", "source", "col", "input", "meta", "link"})
MIN_GAP = 2


class InlineLink(NamedTuple):
    label: str
    url: str
    headline: str


def paragraph_ends(body: str) -> list[int]:
    """Offsets just after each top-level paragraph with some text, in order."""
    ends, depth, opened_at = [], 0, None
    for match in TAG.finditer(body):
        closing, name = match.group(1), match.group(2).lower()
        if name in VOID or match.group(4):
            continue
        if not closing:
            if depth == 0 and name == "p":
                opened_at = match.end()
            depth += 1
            continue
        depth = max(depth - 1, 0)
        if depth == 0 and name == "p" and opened_at is not None:
            if TAG.sub("", body[opened_at : match.start()]).strip():
                ends.append(match.end())
            opened_at = None
    return ends


def slots(paragraphs: int, positions: Sequence[int], min_paragraphs: int) -> list[int | None]:
    """For each position, the paragraph (1-based) its link follows, or ``None``."""
    if paragraphs < min_paragraphs:
        return [None] * len(positions)
    chosen: list[int | None] = []
    taken: list[int] = []
    for position in positions:
        after = position if position > 0 else paragraphs + position
        fits = 1 <= after < paragraphs and all(abs(after - t) >= MIN_GAP for t in taken)
        chosen.append(after if fits else None)
        if fits:
            taken.append(after)
    return chosen


def render(link: InlineLink) -> SafeString:
    return format_html(
        '<p class="inline-related"><strong class="inline-related__label">{}:</strong> '
        '<a class="inline-related__link" href="{}">{}</a></p>',
        link.label,
        link.url,
        link.headline,
    )


def insert(
    body: str,
    candidates: Sequence[tuple[str, str]],
    inline: Sequence[tuple[str, int]],
    min_paragraphs: int,
) -> tuple[SafeString, int]:
    """``body`` with inline links put in, and how many of ``candidates`` it used.

    ``candidates`` are ``(url, headline)`` pairs, best first; ``inline`` the configured
    ``(label, position)`` pairs. The first candidate goes to the first slot that fits,
    and so on; slots that don't fit this story are skipped.
    """
    if not candidates or not inline:
        return mark_safe(body), 0
    ends = paragraph_ends(body)
    placed: list[tuple[int, SafeString]] = []
    pool = iter(candidates)
    for (label, _), after in zip(
        inline, slots(len(ends), [p for _, p in inline], min_paragraphs), strict=True
    ):
        if after is None:
            continue
        candidate = next(pool, None)
        if candidate is None:
            break
        placed.append((ends[after - 1], render(InlineLink(label, *candidate))))
    out, last = [], 0
    for offset, html in sorted(placed, key=lambda item: item[0]):
        out += [body[last:offset], html]
        last = offset
    out.append(body[last:])
    return mark_safe("".join(out)), len(placed)
