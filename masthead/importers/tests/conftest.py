"""Helpers for importer tests: run the commands as a user would, count what they wrote."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command

from conftest import shared_data
from masthead.discussion.models import Comment
from masthead.importers.models import ImportedItem, Redirect
from masthead.newsroom.models import Article, Author, Byline, Section, Tag


def wxr(*parts: str) -> Path:
    """A file under ../shared/data/wxr/ (skips locally, fails in CI, when it is absent)."""
    return shared_data("data", "wxr", *parts)


def run(*args: str) -> str:
    """``masthead <args>``; returns what it printed on standard output."""
    out = io.StringIO()
    call_command(*args, verbosity=0, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def import_wordpress(path, *flags: str) -> str:
    return run("import", "wordpress", str(path), *flags)


def table_counts() -> dict[str, int]:
    return {
        "articles": Article.objects.count(),
        "sections": Section.objects.count(),
        "tags": Tag.objects.count(),
        "authors": Author.objects.count(),
        "bylines": Byline.objects.count(),
        "comments": Comment.objects.count(),
        "imported": ImportedItem.objects.count(),
        "redirects": Redirect.objects.count(),
        "article_tags": Article.tags.through.objects.count(),
    }


@pytest.fixture
def counts():
    return table_counts
