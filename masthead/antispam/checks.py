"""System checks for the spam filter: thresholds that make sense, a model that loads."""

from __future__ import annotations

from django.core.checks import Error, Tags, Warning, register

from masthead.antispam.conf import app_settings


def _probability(name: str, allow_none: bool) -> list[Error]:
    value = getattr(app_settings, name)
    if value is None and allow_none:
        return []
    if isinstance(value, int | float) and not isinstance(value, bool) and 0 < value <= 1:
        return []
    return [
        Error(
            f"SPAM_{name}={value!r} is not a probability between 0 and 1.",
            hint=f"Set SPAM_{name} to a number such as 0.9"
            + (", or None to use the model's own." if allow_none else "."),
            id="masthead.E401",
        )
    ]


@register(Tags.compatibility)
def check_thresholds(app_configs, **kwargs):
    errors = [
        *_probability("THRESHOLD", True),
        *_probability("HOLD_THRESHOLD", True),
        *_probability("DISCARD_THRESHOLD", False),
    ]
    for name in ("RETRAIN_MINUTES", "KEEP_VERSIONS", "USAGE_FLUSH_SECONDS"):
        value = getattr(app_settings, name)
        if not isinstance(value, int | float) or value < (
            1 if name != "USAGE_FLUSH_SECONDS" else 0
        ):
            errors.append(
                Error(
                    f"SPAM_{name}={value!r} is not a positive number.",
                    hint=f"Set SPAM_{name} to a whole number, or remove it.",
                    id="masthead.E402",
                )
            )
    return errors


_HINT = (
    "Until this is fixed no comment is published unchecked: every comment is held for a moderator. "
)


@register(Tags.compatibility)
def check_base_model(app_configs, **kwargs):
    """The base model file (SPAM_BASE_MODEL, or the shipped one) loads."""
    from masthead.antispam import registry
    from masthead.antispam.errors import ModelLoadError

    try:
        registry.load_base()
    except ModelLoadError as err:
        return [
            Warning(
                f"The base spam model cannot be used: {err}",
                hint=_HINT + "Point SPAM_BASE_MODEL at a model trained with "
                "'masthead spam train', or remove it to use the one Masthead ships.",
                id="masthead.W401",
            )
        ]
    return []


def _current_model_problems() -> list[Warning]:
    from django.core.exceptions import ImproperlyConfigured
    from django.db import DatabaseError

    from masthead.antispam import registry

    try:
        _token, version_id = registry.current_token()
        if version_id is None:
            return []  # the base model, checked above
        registry.load_version(version_id)
    except (DatabaseError, ImproperlyConfigured):
        return []  # no usable database: migrate, and check --deploy, report that themselves
    except Exception as err:
        hint = _HINT + (
            "If SECRET_KEY changed, put the old key in SECRET_KEY_FALLBACKS; otherwise rebuild "
            "the model from the admin (Spam filter → Dashboard → Rebuild), which replays every "
            "moderator decision on the base model."
        )
        return [
            Warning(
                f"The current spam model version cannot be used: {err}",
                hint=hint,
                id="masthead.W402",
            )
        ]
    return []


@register(Tags.database)
def check_current_model(app_configs, databases=None, **kwargs):
    """The model version in use loads (run by ``masthead check --database`` and migrate)."""
    return _current_model_problems() if databases else []


@register(Tags.security, deploy=True)
def check_current_model_deploy(app_configs, databases=None, **kwargs):
    """The same for ``masthead check --deploy``: a model that no longer verifies (SECRET_KEY
    changed) would hold every comment. Not twice when --database is given as well."""
    return [] if databases else _current_model_problems()
