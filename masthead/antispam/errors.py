"""Errors raised by the spam classifier core.

Every message says what went wrong and how to fix it, so that the management command and
the admin can show it to a person as it is.
"""

from __future__ import annotations


class AntispamError(Exception):
    """Base class for the errors of ``masthead.antispam``."""


class DataError(AntispamError):
    """Training or evaluation data cannot be used (missing file, columns, labels...)."""


class ModelLoadError(AntispamError):
    """A saved model file is missing, truncated, tampered with or of an unknown format."""
