"""Loading the demo: its dates make sense whatever the time of day it is loaded."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.utils import timezone

from masthead.newsroom.demo.loader import load_demo
from masthead.newsroom.models import Article, ArticleNote


@pytest.mark.django_db
@pytest.mark.parametrize("clock", ["00:30"])  # the audit's case: before the day's stories
def test_notes_and_updates_come_after_publication(clock, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    hour, minute = map(int, clock.split(":"))
    now = timezone.make_aware(datetime(2026, 11, 30, hour, minute))
    load_demo(now=now, with_editor=False)
    notes = ArticleNote.objects.select_related("article")
    assert notes.exists()
    for note in notes:
        assert note.article.published_at < note.noted_at <= now, note.article.slug
    updated = Article.objects.exclude(updated_at=None)
    assert updated.exists()
    for article in updated:
        assert article.published_at < article.updated_at <= now, article.slug
        assert article.shown_updated_at == article.updated_at


@pytest.mark.django_db
def test_the_demo_editor_has_an_address_for_the_newsrooms_emails(settings, tmp_path):
    """Held comments and stories sent for review are emailed to editors: the demo's editor
    needs an address for a demo of that to reach anyone (the console, by default)."""
    from django.contrib.auth import get_user_model

    settings.MEDIA_ROOT = tmp_path
    settings.VAR_DIR = tmp_path
    load_demo()
    editor = get_user_model().objects.get(username="editor")
    assert editor.email == "editor@example.org"
    assert editor.has_perm("discussion.moderate_comment")
