"""Demo content for ``masthead demo``: The Harbour Gazette, a fictional regional news site.

``content.json`` holds the site, its sections, authors, tags and articles; every person,
place and organisation in it is invented. Each article names an illustration by motif,
palette and seed, which :func:`masthead.newsroom.demo.artwork.draw` turns into pixels.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from .artwork import MOTIFS, PALETTES

__all__ = ["CONTENT_PATH", "body_text", "load_content", "validate_content", "word_count"]

CONTENT_PATH = Path(__file__).with_name("content.json")

ALLOWED_TAGS = frozenset({"p", "h2", "h3", "blockquote", "ul", "ol", "li", "strong", "em", "a"})
LINK_PREFIXES = ("https://example.org/", "/")
ROLES = frozenset({"contributor", "author", "editor"})
STATUSES = frozenset({"published", "scheduled"})
NOTE_KINDS = frozenset({"correction", "update"})
TOP_LEVEL_KEYS = ("site", "sections", "authors", "tags", "articles")


def load_content(path: Path | None = None) -> dict[str, Any]:
    """Read the demo content and check that every reference in it resolves.

    Raises ``ValueError`` listing every problem found, each naming the article and field.
    """
    path = path or CONTENT_PATH
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as err:
        raise ValueError(f"{path} is not valid JSON: {err}") from err
    validate_content(data)
    return data


def validate_content(data: dict[str, Any]) -> None:
    problems = list(_problems(data))
    if problems:
        raise ValueError("The demo content is invalid:\n- " + "\n- ".join(problems))


def body_text(html: str) -> str:
    """The readable text of an article body, tags removed and entities decoded."""
    parser = _BodyParser()
    parser.feed(html)
    parser.close()
    return " ".join("".join(parser.text).split())


def word_count(html: str) -> int:
    return len(body_text(html).split())


class _BodyParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.tags: list[str] = []
        self.links: list[str | None] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.text.append(" ")
        if tag == "a":
            self.links.append(dict(attrs).get("href"))

    def handle_endtag(self, tag: str) -> None:
        self.text.append(" ")

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _duplicates(items: list[dict[str, Any]]) -> list[str]:
    counts = Counter(item.get("slug") for item in items)
    return sorted(str(slug) for slug, n in counts.items() if n > 1)


def _problems(data: dict[str, Any]) -> Iterator[str]:
    missing = [key for key in TOP_LEVEL_KEYS if key not in data]
    if missing:
        yield f"missing top-level keys: {', '.join(missing)}"
        return
    for key in ("name", "tagline"):
        if not data["site"].get(key):
            yield f"site: '{key}' is empty"
    for kind in ("sections", "authors", "tags", "articles"):
        for slug in _duplicates(data[kind]):
            yield f"{kind}: the slug '{slug}' is used more than once; slugs must be unique"
    for author in data["authors"]:
        if author.get("role") not in ROLES:
            yield (
                f"author '{author.get('slug')}': role {author.get('role')!r} is not one of "
                f"{', '.join(sorted(ROLES))}"
            )
    sections = {s["slug"] for s in data["sections"]}
    authors = {a["slug"] for a in data["authors"]}
    tags = {t["slug"] for t in data["tags"]}
    for article in data["articles"]:
        yield from _article_problems(article, sections, authors, tags)


def _article_problems(
    article: dict[str, Any], sections: set[str], authors: set[str], tags: set[str]
) -> Iterator[str]:
    where = f"article '{article.get('slug')}'"
    for field in ("slug", "headline", "standfirst", "body_html"):
        if not article.get(field):
            yield f"{where}: '{field}' is empty"
    if article.get("section") not in sections:
        yield f"{where}: section {article.get('section')!r} is not defined under 'sections'"
    if not article.get("authors"):
        yield f"{where}: give at least one author"
    for slug in article.get("authors", []):
        if slug not in authors:
            yield f"{where}: author {slug!r} is not defined under 'authors'"
    for slug in article.get("tags", []):
        if slug not in tags:
            yield f"{where}: tag {slug!r} is not defined under 'tags'"
    status, days = article.get("status"), article.get("published_days_ago")
    if status not in STATUSES:
        yield f"{where}: status {status!r} is not one of {', '.join(sorted(STATUSES))}"
    if not isinstance(days, int) or (status == "scheduled") != (days < 0):
        yield f"{where}: a scheduled article needs published_days_ago < 0, a published one >= 0"
    if (
        not isinstance(article.get("published_hour"), int)
        or not 0 <= article["published_hour"] < 24
    ):
        yield f"{where}: published_hour must be a whole hour from 0 to 23"
    image = article.get("image")
    if image is not None:
        if image.get("motif") not in MOTIFS:
            yield (
                f"{where}: image motif {image.get('motif')!r} does not exist; "
                f"use one of {', '.join(sorted(MOTIFS))}"
            )
        if image.get("palette") not in PALETTES:
            yield (
                f"{where}: image palette {image.get('palette')!r} does not exist; "
                f"use one of {', '.join(sorted(PALETTES))}"
            )
        if not image.get("alt"):
            yield f"{where}: the image needs alt text describing what it shows"
        if not isinstance(image.get("seed"), int):
            yield f"{where}: the image seed must be a whole number"
    for note in article.get("notes", []):
        if note.get("kind") not in NOTE_KINDS:
            yield f"{where}: note kind {note.get('kind')!r} is not one of correction, update"
        if not note.get("text"):
            yield f"{where}: a note has no text"
    yield from _body_problems(where, article.get("body_html") or "")


def _body_problems(where: str, html: str) -> Iterator[str]:
    parser = _BodyParser()
    parser.feed(html)
    parser.close()
    for tag in sorted(set(parser.tags) - ALLOWED_TAGS):
        yield f"{where}: <{tag}> is not allowed in body_html; use {', '.join(sorted(ALLOWED_TAGS))}"
    for href in parser.links:
        if not href or not href.startswith(LINK_PREFIXES) or href.startswith("//"):
            yield f"{where}: link {href!r} must point to https://example.org/... or a /path"
