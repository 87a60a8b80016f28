"""Per-app settings, read from Django's settings each time they are used.

An app declares its settings and defaults once::

    app_settings = AppSettings("MASTHEAD_", {"READING_WORDS_PER_MINUTE": 238})

and reads ``app_settings.READING_WORDS_PER_MINUTE`` when code runs, never at import time, so
``override_settings`` in tests and changes to the environment behave as expected.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings


class AppSettings:
    def __init__(self, prefix: str, defaults: dict[str, Any]) -> None:
        self._prefix = prefix
        self._defaults = defaults

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_") or name not in self._defaults:
            raise AttributeError(f"{self._prefix}{name} is not a known setting")
        return getattr(settings, self._prefix + name, self._defaults[name])

    def __dir__(self) -> list[str]:
        return list(self._defaults)
