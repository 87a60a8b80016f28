"""Each test starts with no index in memory and its own VAR_DIR (for snapshots)."""

from __future__ import annotations

import pytest

from masthead.related import keeper


@pytest.fixture(autouse=True)
def _own_index(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"
    keeper.forget()
    yield
    keeper.forget()


@pytest.fixture
def immediate_tasks(settings):
    """Background tasks run at once, in the test, when their transaction commits."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
