from django import template

from masthead.newsroom.cards import picture_html, render_card

register = template.Library()


@register.simple_tag
def picture(
    image, sizes: str = "100vw", loading: str = "lazy", decorative: bool = False, css: str = ""
):
    """A responsive ``<img>``: renditions in ``srcset``, stored dimensions against layout shift."""
    return picture_html(image, sizes=sizes, loading=loading, decorative=decorative, css=css)


@register.simple_tag
def card(article, **options):
    """A story card: ``{% card article heading="h2" show_section=True %}``."""
    return render_card(article, **{k: v for k, v in options.items() if v not in (None, "")})
