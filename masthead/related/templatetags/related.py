from django import template

from masthead.related.selectors import related_page

register = template.Library()


@register.simple_tag
def related_body(article):
    """The story's body, with its inline "SEE ALSO" / "READ" links put in."""
    return related_page(article=article).body


@register.inclusion_tag("related/block.html")
def related_stories(article, heading: str = "Related stories"):
    """The "Related stories" block after the body (nothing when the list is empty)."""
    return {"stories": related_page(article=article).block, "heading": heading}
