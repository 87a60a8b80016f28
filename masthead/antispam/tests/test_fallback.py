"""A missing or corrupt model: guards only, every comment held (never lost, never published
unchecked), a warning in the logs and from the system checks."""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

import pytest
from django.core.checks import run_checks

from masthead.antispam import learning, registry
from masthead.antispam.guards import Candidate
from masthead.antispam.model import DEFAULT_MODEL_PATH
from masthead.antispam.models import SpamDecision, SpamModelVersion
from masthead.antispam.pipeline import spam_assess
from masthead.antispam.samples import CommentSample

from .conftest import DISCARD_TEXT, HAM_TEXT

pytestmark = pytest.mark.django_db


def assess(text: str = HAM_TEXT, **sample):
    from django.utils import timezone

    sample = CommentSample(comment_content=text, **sample)
    return spam_assess(Candidate(sample=sample, source="site", now=timezone.now()))


@pytest.fixture
def corrupt_copy(tmp_path) -> Path:
    data = bytearray(DEFAULT_MODEL_PATH.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path = tmp_path / "corrupt.mhspam"
    path.write_bytes(bytes(data))
    return path


@pytest.mark.parametrize("problem", ["missing", "corrupt", "truncated", "not a model"])
def test_without_a_usable_model_every_comment_is_held(settings, tmp_path, corrupt_copy, problem):
    path = {
        "missing": tmp_path / "nowhere.mhspam",
        "corrupt": corrupt_copy,
        "truncated": tmp_path / "short.mhspam",
        "not a model": tmp_path / "text.mhspam",
    }[problem]
    if problem == "truncated":
        path.write_bytes(DEFAULT_MODEL_PATH.read_bytes()[:5000])
    if problem == "not a model":
        path.write_text("hello")
    settings.MASTHEAD_SPAM_BASE_MODEL = str(path)
    for text in (HAM_TEXT, DISCARD_TEXT):
        result = assess(text)
        assert (result.action, result.score, result.classified) == ("hold", None, False)
        assert result.reasons[0].startswith("not checked: the spam model is unavailable")
        assert str(path) in result.reasons[0]


def test_the_guards_still_work_without_a_model(settings, tmp_path):
    settings.MASTHEAD_SPAM_BASE_MODEL = str(tmp_path / "nowhere.mhspam")
    assert assess(comment_author="akismet-guaranteed-spam").action == "spam"


def test_the_problem_is_logged_once_and_recovery_too(settings, tmp_path, caplog):
    missing = tmp_path / "later.mhspam"
    settings.MASTHEAD_SPAM_BASE_MODEL = str(missing)
    with caplog.at_level(logging.INFO, logger="masthead.antispam"):
        for _ in range(3):
            assess()
        warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
        assert len(warnings) == 1
        assert "every comment is held" in warnings[0].getMessage()
        missing.write_bytes(DEFAULT_MODEL_PATH.read_bytes())
        registry.registry.invalidate()  # (otherwise retried within a minute)
        assert assess().action == "ham"
    assert any("checked again" in r.getMessage() for r in caplog.records)


def test_the_system_check_warns_about_the_base_model(settings, tmp_path):
    settings.MASTHEAD_SPAM_BASE_MODEL = str(tmp_path / "nowhere.mhspam")
    warnings = [m for m in run_checks() if m.id == "masthead.W401"]
    assert len(warnings) == 1
    assert "held for a moderator" in warnings[0].hint
    settings.MASTHEAD_SPAM_BASE_MODEL = None
    assert not [m for m in run_checks() if m.id == "masthead.W401"]


def _learnt_version() -> SpamModelVersion:
    for i, text in enumerate((HAM_TEXT, DISCARD_TEXT)):
        learning.decision_record(
            sample=CommentSample(comment_content=f"{text} {i}"), is_spam=bool(i), source="api"
        )
    return learning.model_retrain().version


def test_a_tampered_version_is_refused_and_the_check_says_so():
    version = _learnt_version()
    data = bytearray(version.data)
    data[-100] ^= 0x01
    SpamModelVersion.objects.filter(pk=version.pk).update(data=bytes(data))
    assert assess().action == "hold"
    messages = [m for m in run_checks(databases=["default"]) if m.id == "masthead.W402"]
    assert len(messages) == 1
    assert "changed after the site wrote it" in messages[0].msg


def test_a_version_signed_with_another_secret_is_refused(settings):
    _learnt_version()
    assert assess().action == "ham"
    original = settings.SECRET_KEY
    settings.SECRET_KEY = "another-" + "x" * 50
    registry.registry.reset()
    result = assess()
    assert result.action == "hold"
    assert "another key" in result.reasons[0]
    # ... unless the old secret is one of the fallbacks, as when Django's keys are rotated.
    settings.SECRET_KEY_FALLBACKS = [original]
    registry.registry.reset()
    assert assess().action == "ham"


def test_a_rebuild_recovers_from_a_broken_version():
    version = _learnt_version()
    SpamModelVersion.objects.filter(pk=version.pk).update(sha256="0" * 64)
    assert assess().action == "hold"
    result = learning.model_retrain()
    assert result.status == "rebuilt"
    assert result.learned == SpamDecision.objects.count() == 2
    registry.registry.invalidate()
    assert assess().action == "ham"
    assert hashlib.sha256(result.version.data).hexdigest() == result.version.sha256


def test_check_deploy_says_when_the_secret_key_changed_under_the_model(settings):
    """Not only `check --database`: `check --deploy` (no --database) names the cause too,
    and SECRET_KEY_FALLBACKS as the fix."""
    _learnt_version()
    original = settings.SECRET_KEY
    settings.SECRET_KEY = "another-" + "x" * 50
    messages = [m for m in run_checks(include_deployment_checks=True) if m.id == "masthead.W402"]
    assert len(messages) == 1
    assert "another key" in messages[0].msg
    assert "SECRET_KEY_FALLBACKS" in messages[0].hint
    both = run_checks(include_deployment_checks=True, databases=["default"])
    assert len([m for m in both if m.id == "masthead.W402"]) == 1  # not twice
    settings.SECRET_KEY_FALLBACKS = [original]
    assert not [m for m in run_checks(include_deployment_checks=True) if m.id == "masthead.W402"]
