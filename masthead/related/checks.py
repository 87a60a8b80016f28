"""System checks for the related app's settings (ids masthead.E501–E505)."""

from __future__ import annotations

from django.core.checks import Error, Tags, register
from django.core.exceptions import ImproperlyConfigured

from masthead.related.conf import app_settings


def _whole(value, minimum: int | None) -> bool:
    """An int (not a bool) of at least ``minimum``; with ``None``, any int but 0."""
    if not isinstance(value, int) or isinstance(value, bool):
        return False
    return value != 0 if minimum is None else value >= minimum


def _inline_pair_ok(item) -> bool:
    if not isinstance(item, list | tuple) or len(item) != 2:
        return False
    label, position = item
    return isinstance(label, str) and bool(label.strip()) and _whole(position, None)


def _inline_errors(value) -> list[Error]:
    hint = (
        'Use a list of (label, position) pairs, e.g. [("SEE ALSO", 2), ("READ", -1)]: '
        "n puts a link after paragraph n, -n after the n-th paragraph from the end; "
        "in the environment: RELATED_INLINE=SEE ALSO:2,READ:-1"
    )
    if not isinstance(value, list | tuple):
        message = f"RELATED_INLINE={value!r} is not a list."
        return [Error(message, hint=hint, id="masthead.E502")]
    return [
        Error(
            f"RELATED_INLINE entry {item!r} is not a (label, position) pair with a "
            "label and a position that is a whole number other than 0.",
            hint=hint,
            id="masthead.E502",
        )
        for item in value
        if not _inline_pair_ok(item)
    ]


@register(Tags.compatibility)
def check_related_settings(app_configs, **kwargs):
    errors = []
    count = app_settings.COUNT
    if not _whole(count, 0):
        errors.append(
            Error(
                f"RELATED_COUNT={count!r} is not a whole number of at least 0.",
                hint="Set RELATED_COUNT to the stories the block shows, e.g. 4 (0 hides it).",
                id="masthead.E501",
            )
        )
    errors += _inline_errors(app_settings.INLINE)
    minimum = app_settings.INLINE_MIN_PARAGRAPHS
    if not _whole(minimum, 1):
        errors.append(
            Error(
                f"RELATED_INLINE_MIN_PARAGRAPHS={minimum!r} is not a whole number of at least 1.",
                hint="Set RELATED_INLINE_MIN_PARAGRAPHS to e.g. 6.",
                id="masthead.E503",
            )
        )
    if not _whole(app_settings.REBUILD_DAYS, 0):
        errors.append(
            Error(
                f"RELATED_REBUILD_DAYS={app_settings.REBUILD_DAYS!r} is not a whole "
                "number of at least 0.",
                hint="Set RELATED_REBUILD_DAYS to e.g. 7, or 0 to rebuild only by hand.",
                id="masthead.E505",
            )
        )
    try:
        from masthead.related.strategies import get_strategy

        strategy = get_strategy()
        unknown = set(strategy.get_fallbacks()) - {"section", "latest"}
        if unknown:
            raise ImproperlyConfigured(f"its fallbacks include unknown {sorted(unknown)}.")
    except ImproperlyConfigured as err:
        errors.append(
            Error(
                f"The related-stories strategy is not usable: {err}",
                hint="Point RELATED_STRATEGY at a subclass of "
                "masthead.related.strategies.RelatedStrategy whose fallbacks are "
                "'section' and/or 'latest'.",
                id="masthead.E504",
            )
        )
    return errors
