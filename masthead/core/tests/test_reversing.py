"""Remembered ``reverse``: Django's answer, worked out once per URLconf, prefix and arguments."""

from __future__ import annotations

import django.urls
import pytest
from django.test import override_settings
from django.urls import NoReverseMatch, set_script_prefix

from masthead.core import reversing
from masthead.core.reversing import reverse


@pytest.fixture(autouse=True)
def _fresh():
    reversing.cache_clear()
    yield
    reversing.cache_clear()
    set_script_prefix("/")


@pytest.fixture
def calls(monkeypatch):
    made = []
    original = django.urls.reverse

    def counting(*args, **kwargs):
        made.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(reversing, "django_reverse", counting)
    return made


def test_answers_are_djangos():
    kwargs = {"year": 2026, "month": "05", "day": "01", "slug": "harbour-wall"}
    assert reverse("newsroom:article", kwargs=kwargs) == django.urls.reverse(
        "newsroom:article", kwargs=kwargs
    )
    tag = django.urls.reverse("newsroom:tag", kwargs={"slug": "ports"})
    assert reverse("newsroom:tag", kwargs={"slug": "ports"}) == tag
    assert reverse("discussion:post", args=(7,)) == django.urls.reverse("discussion:post", args=[7])
    assert reverse("newsroom:home") == "/"


def test_each_address_is_worked_out_once(calls):
    for _ in range(3):
        reverse("newsroom:tag", kwargs={"slug": "ports"})
        reverse("discussion:post", args=(7,))
    reverse("newsroom:tag", kwargs={"slug": "ferries"})
    assert len(calls) == 3


def test_another_script_prefix_is_not_given_the_first_ones_answer(calls):
    plain = reverse("newsroom:tag", kwargs={"slug": "ports"})
    set_script_prefix("/news/")
    assert reverse("newsroom:tag", kwargs={"slug": "ports"}) == "/news" + plain
    set_script_prefix("/")
    assert reverse("newsroom:tag", kwargs={"slug": "ports"}) == plain
    assert len(calls) == 2


def test_another_urlconf_is_not_given_the_first_ones_answer():
    plain = reverse("newsroom:tag", kwargs={"slug": "ports"})
    with override_settings(ROOT_URLCONF="masthead.core.tests.other_urls"):
        assert reverse("newsroom:tag", kwargs={"slug": "ports"}) == "/elsewhere/t/ports/"
    assert reverse("newsroom:tag", kwargs={"slug": "ports"}) == plain


def test_a_name_that_does_not_reverse_raises_every_time():
    for _ in range(2):
        with pytest.raises(NoReverseMatch):
            reverse("newsroom:no-such-page")
