"""Wrong spam-filter configuration is reported by the system checks with a hint."""

from __future__ import annotations

import pytest
from django.core.checks import run_checks

from masthead.core.tests.test_configuration import run_check


@pytest.mark.parametrize(
    ("env", "hint"),
    [({"SPAM_THRESHOLD": "2"}, "SPAM_THRESHOLD"), ({"SPAM_DISCARD_THRESHOLD": "high"}, "0.9")],
)
def test_a_bad_threshold_in_the_environment(tmp_path, env, hint):
    result = run_check(tmp_path, SECRET_KEY="x" * 50, **env)
    assert result.returncode != 0
    assert "masthead.E012" in result.stderr
    assert hint in result.stderr


@pytest.mark.parametrize(
    ("name", "value"),
    [("THRESHOLD", 0), ("THRESHOLD", 1.5), ("HOLD_THRESHOLD", "0.5"), ("DISCARD_THRESHOLD", None)],
)
def test_a_bad_threshold_in_django_settings(settings, name, value):
    setattr(settings, f"MASTHEAD_SPAM_{name}", value)
    errors = [m for m in run_checks() if m.id == "masthead.E401"]
    assert len(errors) == 1
    assert errors[0].msg.startswith(f"SPAM_{name}=")  # the environment variable's name


def test_good_settings_pass(settings):
    settings.MASTHEAD_SPAM_THRESHOLD = 0.8
    settings.MASTHEAD_SPAM_HOLD_THRESHOLD = 0.5
    assert not [m for m in run_checks() if m.id.startswith("masthead.E40")]


def test_a_retrain_interval_must_be_positive(settings):
    settings.MASTHEAD_SPAM_RETRAIN_MINUTES = 0
    assert [m.id for m in run_checks() if m.id == "masthead.E402"] == ["masthead.E402"]
