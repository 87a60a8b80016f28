"""A reader's search query, read as WordPress's search box reads it: every word is required,
``-word`` leaves out stories with that word, ``"two words"`` must appear together, and the
last word, when it is long enough to mean something as a beginning, also matches longer
words (``harb`` finds "harbour"). Everything else is dropped, so no input reaches the
database as an operator of its own."""

from __future__ import annotations

from dataclasses import dataclass, field

import regex

_TOKEN = regex.compile(r"[\p{L}\p{N}]+")
_CHUNK = regex.compile(r'(-?)"([^"]*)"?|(-?)(\S+)')
MAX_TERMS = 16  # words, over the whole query
MIN_PREFIX = 3  # a shorter last word ("a", "an") would match nearly everything as a prefix

Term = tuple[str, ...]  # one word, or the words of a phrase, in order


@dataclass(frozen=True)
class ParsedQuery:
    include: list[Term] = field(default_factory=list)
    exclude: list[Term] = field(default_factory=list)
    prefix: bool = False  # the last included term is one word, matched as a beginning

    def __bool__(self) -> bool:
        return bool(self.include)  # "-word" alone finds nothing, as an empty query does


def parse_query(query: str) -> ParsedQuery:
    include: list[Term] = []
    exclude: list[Term] = []
    budget = MAX_TERMS
    last_quoted = False
    for match in _CHUNK.finditer(query.lower()):
        minus, quoted, bare_minus, bare = match.groups()
        text = quoted if quoted is not None else bare
        words = tuple(_TOKEN.findall(text))[:budget]
        if not words:
            continue
        budget -= len(words)
        negative = bool(minus if quoted is not None else bare_minus)
        (exclude if negative else include).append(words)
        if not negative:
            last_quoted = quoted is not None
        if budget <= 0:
            break
    last = include[-1] if include else ()
    prefix = len(last) == 1 and not last_quoted and len(last[0]) >= MIN_PREFIX
    return ParsedQuery(include=include, exclude=exclude, prefix=prefix)
