"""Fixtures for discussion tests: a live story, the settings row, and a posting helper."""

from __future__ import annotations

import itertools
import time

import pytest

from masthead.discussion import tokens
from masthead.discussion.models import Comment, DiscussionSettings
from masthead.newsroom.tests.factories import make_article

_seq = itertools.count(1)


@pytest.fixture(autouse=True)
def _tasks_run_immediately(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def no_spam_filter(settings):
    """The rules alone, without the spam filter's opinion (which would, rightly, catch some
    of the odd comments these tests post: ten links and nothing else)."""
    from masthead.discussion import spam

    spam._load.cache_clear()
    settings.MASTHEAD_SPAM_CHECKER = "masthead.discussion.spam.NoOpinion"
    yield
    spam._load.cache_clear()


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


def issued(article, seconds_ago: float = 60) -> str:
    """The form's signed timestamp, as if the page had been read ``seconds_ago``."""
    return tokens.form_token(article.pk, issued_at=time.time() - seconds_ago)


def post(client, article, **overrides):
    """Post the comment form; ``HTTP_*`` keywords are request headers, the rest form fields."""
    from django.urls import reverse

    headers = {k: v for k, v in overrides.items() if k.startswith("HTTP_")}
    overrides.setdefault("issued", issued(article))
    data = fields(**{k: v for k, v in overrides.items() if not k.startswith("HTTP_")})
    return client.post(reverse("discussion:post", args=[article.pk]), data, **headers)


def make_comment(article, **values) -> Comment:
    n = next(_seq)
    values.setdefault("author_name", f"Commenter {n}")
    values.setdefault("author_email", f"commenter{n}@example.net")
    values.setdefault("body", f"Stored comment {n}")
    values.setdefault("status", Comment.Status.APPROVED)
    return Comment.objects.create(article=article, **values)
