from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def picture(
    image, sizes: str = "100vw", loading: str = "lazy", decorative: bool = False, css: str = ""
):
    """A responsive ``<img>``: renditions in ``srcset``, stored dimensions against layout shift."""
    if image is None:
        return ""
    return format_html(
        '<img src="{}" srcset="{}" sizes="{}" width="{}" height="{}" alt="{}" loading="{}" '
        'decoding="async"{}>',
        image.rendition_url(800),
        image.srcset(),
        sizes,
        image.width,
        image.height,
        "" if decorative else image.alt_text,
        loading,
        format_html(' class="{}"', css) if css else "",
    )
