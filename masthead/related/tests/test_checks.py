"""Bad related-stories settings are reported by `masthead check`, with a hint."""

from __future__ import annotations

import pytest

from masthead.core.tests.test_configuration import run_check
from masthead.related.checks import check_related_settings
from masthead.related.strategies import RelatedStrategy


class Wrong(RelatedStrategy):
    fallbacks = ("section", "random")


def ids(settings) -> list[str]:
    return [error.id for error in check_related_settings(None)]


def test_the_defaults_pass(settings):
    assert ids(settings) == []


@pytest.mark.parametrize(
    ("name", "value", "check_id"),
    [
        ("MASTHEAD_RELATED_COUNT", -1, "masthead.E501"),
        ("MASTHEAD_RELATED_COUNT", "4", "masthead.E501"),
        ("MASTHEAD_RELATED_INLINE", "SEE ALSO", "masthead.E502"),
        ("MASTHEAD_RELATED_INLINE", [("SEE ALSO", 0)], "masthead.E502"),
        ("MASTHEAD_RELATED_INLINE", [("SEE ALSO", "two")], "masthead.E502"),
        ("MASTHEAD_RELATED_INLINE", [("", 2)], "masthead.E502"),
        ("MASTHEAD_RELATED_INLINE", [("READ", True)], "masthead.E502"),
        ("MASTHEAD_RELATED_INLINE", [("READ",)], "masthead.E502"),
        ("MASTHEAD_RELATED_INLINE_MIN_PARAGRAPHS", 0, "masthead.E503"),
        ("MASTHEAD_RELATED_STRATEGY", "masthead.nowhere.Strategy", "masthead.E504"),
        ("MASTHEAD_RELATED_STRATEGY", "masthead.related.engine.RelatedIndex", "masthead.E504"),
        ("MASTHEAD_RELATED_REBUILD_DAYS", -7, "masthead.E505"),
    ],
)
def test_bad_values_are_reported(settings, name, value, check_id):
    setattr(settings, name, value)
    assert ids(settings) == [check_id]


def test_a_strategy_with_an_unknown_fallback_is_reported(settings):
    settings.MASTHEAD_RELATED_STRATEGY = f"{__name__}.Wrong"
    errors = check_related_settings(None)
    assert [e.id for e in errors] == ["masthead.E504"]
    assert "'random'" in errors[0].msg


def test_positive_and_negative_positions_are_fine(settings):
    settings.MASTHEAD_RELATED_INLINE = [("SEE ALSO", 3), ("READ", -2), ("MORE", 9)]
    assert ids(settings) == []


def test_the_environment_sets_inline_links_and_reports_mistakes(tmp_path):
    good = run_check(tmp_path, SECRET_KEY="x" * 50, RELATED_INLINE="SEE ALSO:3, READ:-2")
    assert good.returncode == 0, good.stderr
    none = run_check(tmp_path, SECRET_KEY="x" * 50, RELATED_INLINE="none")
    assert none.returncode == 0, none.stderr
    bad = run_check(tmp_path, SECRET_KEY="x" * 50, RELATED_INLINE="SEE ALSO:second")
    assert bad.returncode != 0
    assert "masthead.E502" in bad.stderr
    assert "RELATED_INLINE=SEE ALSO:2,READ:-1" in bad.stderr
