"""Signals the newsroom sends after a change has been committed.

Receivers do side work (re-index related stories, purge caches); they never decide whether
something is allowed. Every signal is sent with ``article``, ``previous_slug``,
``previous_section_id`` and ``content_changed``; ``article_withdrawn`` after a delete also
carries ``groups``, the page-cache groups computed before the rows went away.
"""

from django.dispatch import Signal

# Sent with ``article`` when a story becomes visible to readers.
article_published = Signal()
# Sent with ``article`` whenever a live story is saved and stays live.
article_changed = Signal()
# Sent with ``article`` (may be unsaved after a delete) when a story stops being visible.
article_withdrawn = Signal()
