"""WordPress authors, categories and tags as Masthead authors, sections and tags.

Each is found by its slug and created if missing; a row the newsroom already has is used as it
is, never renamed. Names are unique in Masthead but not in WordPress, so a second term with a
name already taken gets its slug added: “Foo (foo-bar)”.
"""

from __future__ import annotations

from django.db import models

from masthead.importers.report import Report
from masthead.importers.util import make_slug
from masthead.importers.wxr import Author as WxrAuthor
from masthead.newsroom.models import Author, Section, Tag

PAGES_SECTION = ("pages", "Pages")
DEFAULT_SECTION = ("uncategorized", "Uncategorized")
# Sections an import makes that readers need not see in the navigation or on the home page.
HIDDEN_SECTIONS = {DEFAULT_SECTION[0], PAGES_SECTION[0]}


class TermMap:
    """Caches slug → row for one import, creating rows on first use."""

    def __init__(self, report: Report) -> None:
        self.report = report
        self.sections: dict[str, Section] = {}
        self.tags: dict[str, Tag] = {}
        self.authors: dict[str, Author] = {}
        self.category_names: dict[str, str] = {}  # slug → name, from the file's term list
        self.category_descriptions: dict[str, str] = {}

    @staticmethod
    def _unique_name(model: type[models.Model], name: str, slug: str, limit: int) -> str:
        name = (name or slug).strip()[:limit] or slug
        if model.objects.filter(name=name).exclude(slug=slug).exists():
            name = f"{name[: limit - len(slug) - 3]} ({slug})"
        return name

    def section(self, slug: str, name: str = "", description: str = "", **extra) -> Section:
        slug = make_slug(slug, name, fallback=f"section-{name}", max_length=100)
        if slug in self.sections:
            return self.sections[slug]
        section = Section.objects.filter(slug=slug).first()
        if section is None:
            if slug in HIDDEN_SECTIONS:  # WordPress's catch-all, and pages: not a desk
                extra = {"show_on_home": False, "in_navigation": False, **extra}
            name = name or self.category_names.get(slug, slug)
            section = Section.objects.create(
                slug=slug,
                name=self._unique_name(Section, name, slug, 100),
                description=description or self.category_descriptions.get(slug, ""),
                **extra,
            )
            self.report.add("sections", "created")
        else:
            self.report.add("sections", "matched")
        self.sections[slug] = section
        return section

    def tag(self, slug: str, name: str = "") -> Tag:
        slug = make_slug(slug, name, fallback=f"tag-{name}", max_length=100)
        if slug in self.tags:
            return self.tags[slug]
        tag = Tag.objects.filter(slug=slug).first()
        if tag is None:
            tag = Tag.objects.create(slug=slug, name=self._unique_name(Tag, name, slug, 100))
            self.report.add("tags", "created")
        else:
            self.report.add("tags", "matched")
        self.tags[slug] = tag
        return tag

    def author(self, login: str, known: WxrAuthor | None = None) -> Author | None:
        login = (login or "").strip()
        if not login:
            return None
        if login in self.authors:
            return self.authors[login]
        slug = make_slug(
            login, known.name if known else "", fallback=f"author-{login}", max_length=150
        )
        author = Author.objects.filter(slug=slug).first()
        if author is None:
            name = (known.name if known else login)[:150]
            author = Author.objects.create(slug=slug, name=name)
            self.report.add("authors", "created")
        else:
            self.report.add("authors", "matched")
        self.authors[login] = author
        return author
