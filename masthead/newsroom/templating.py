"""What reader templates call for stories (registered in :mod:`masthead.core.jinja2`)."""

from __future__ import annotations

from django.utils.safestring import SafeString
from jinja2 import Undefined

from masthead.newsroom.cards import render_card


def card(article, **options) -> SafeString:
    """``{{ card(article, heading="h2", show_section=True) }}``: a story card. Options left
    empty, or given a variable the page does not have, take the card's defaults."""
    given = {
        name: value
        for name, value in options.items()
        if not isinstance(value, Undefined) and value is not None and value != ""
    }
    return render_card(article, **given)
