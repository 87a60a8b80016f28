"""What reader templates call for related stories (registered in :mod:`masthead.core.jinja2`)."""

from __future__ import annotations

from django.utils.safestring import SafeString, mark_safe
from jinja2 import pass_context

from masthead.related.selectors import related_page

BLOCK_TEMPLATE = "related/block.html"


def related_body(article) -> SafeString:
    """``{{ related_body(article) }}``: the story's body, with its inline "SEE ALSO" / "READ"
    links put in."""
    return related_page(article=article).body


@pass_context
def related_stories(context, article, heading: str = "Related stories") -> SafeString:
    """``{{ related_stories(article) }}``: the "Related stories" block after the body, rendered
    with ``related/block.html`` (nothing when the list is empty)."""
    block = context.environment.get_template(BLOCK_TEMPLATE)
    stories = related_page(article=article).block
    return mark_safe(block.render(stories=stories, heading=heading))  # escaped by the template
