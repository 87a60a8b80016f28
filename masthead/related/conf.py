"""The related app's settings, read when code runs (see ``masthead.core.conf``).

``MASTHEAD_RELATED_COUNT``
    stories in the "Related stories" block after the body (0: no block).
``MASTHEAD_RELATED_INLINE``
    the inline links, as ``(label, position)`` pairs: a position ``n > 0`` puts the link
    after the story's n-th paragraph, ``-n`` after the n-th paragraph from the end (so
    ``-1`` is just before the last one). An empty list: no inline links.
``MASTHEAD_RELATED_INLINE_MIN_PARAGRAPHS``
    stories with fewer paragraphs than this get no inline links.
``MASTHEAD_RELATED_STRATEGY``
    dotted path to the :class:`~masthead.related.strategies.RelatedStrategy` in use.
``MASTHEAD_RELATED_REBUILD_DAYS``
    the worker recomputes every list this often (0: only ``masthead related rebuild``).
"""

from __future__ import annotations

from masthead.core.conf import AppSettings

DEFAULTS = {
    "COUNT": 4,
    "INLINE": [("SEE ALSO", 2), ("READ", -1)],
    "INLINE_MIN_PARAGRAPHS": 6,
    "STRATEGY": "masthead.related.strategies.RelatedStrategy",
    "REBUILD_DAYS": 7,
}

app_settings = AppSettings("MASTHEAD_RELATED_", DEFAULTS)

# Stored lists hold a few more stories than a page shows, so that a story withdrawn a
# moment ago (its lists not yet recomputed) leaves no gap on the pages that linked to it.
SPARE = 2


def stored_length() -> int:
    """How many stories each stored list holds: the block, the inline links, spares."""
    return app_settings.COUNT + len(app_settings.INLINE) + SPARE
