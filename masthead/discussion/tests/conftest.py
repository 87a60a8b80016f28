"""Fixtures for discussion tests: a live story, the settings row, and a posting helper."""

from __future__ import annotations

import itertools

import pytest

from masthead.discussion.models import Comment, DiscussionSettings
from masthead.newsroom.tests.factories import make_article

_seq = itertools.count(1)


@pytest.fixture(autouse=True)
def _tasks_run_immediately(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def config(db) -> DiscussionSettings:
    """The settings row with flood control off (tests post many comments at once)."""
    current = DiscussionSettings.load()
    current.flood_seconds = 0
    current.save()
    return current


def update(config: DiscussionSettings, **changes) -> DiscussionSettings:
    for name, value in changes.items():
        setattr(config, name, value)
    config.save()
    return config


@pytest.fixture
def article(db):
    return make_article(headline="Harbour wall vote passes")


def fields(**overrides) -> dict[str, str]:
    n = next(_seq)
    data = {
        "body": f"A thoughtful comment, number {n}.",
        "author_name": f"Reader {n}",
        "author_email": f"reader{n}@example.net",
        "author_url": "",
    }
    data.update(overrides)
    return data


def post(client, article, **overrides):
    """Post the comment form; ``HTTP_*`` keywords are request headers, the rest form fields."""
    from django.urls import reverse

    headers = {k: v for k, v in overrides.items() if k.startswith("HTTP_")}
    data = fields(**{k: v for k, v in overrides.items() if not k.startswith("HTTP_")})
    return client.post(reverse("discussion:post", args=[article.pk]), data, **headers)


def make_comment(article, **values) -> Comment:
    n = next(_seq)
    values.setdefault("author_name", f"Commenter {n}")
    values.setdefault("author_email", f"commenter{n}@example.net")
    values.setdefault("body", f"Stored comment {n}")
    values.setdefault("status", Comment.Status.APPROVED)
    return Comment.objects.create(article=article, **values)
