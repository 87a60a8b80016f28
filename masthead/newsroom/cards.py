"""Story cards, rendered in Python: a home page shows forty of them, and a template include
per card costs more than everything else on the page."""

from __future__ import annotations

from html import escape

from django.utils import dateformat, timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from masthead.newsroom.models import Article

DEFAULT_SIZES = "(min-width: 60rem) 20rem, 100vw"
HEADINGS = {"h2", "h3", "h4"}


def picture_html(
    image, *, sizes: str = "100vw", loading: str = "lazy", decorative: bool = False, css: str = ""
) -> SafeString:
    """A responsive ``<img>``: renditions in ``srcset``, stored dimensions against layout shift
    (templates: ``{{ picture(image, sizes="8rem", loading="eager") }}``)."""
    if image is None:
        return mark_safe("")
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


def render_card(
    article: Article,
    *,
    heading: str = "h3",
    lead: bool = False,
    show_section: bool = False,
    show_standfirst: bool = False,
    sizes: str = "",
    loading: str = "lazy",
) -> SafeString:
    """One card. Every value from the database goes through ``escape``; the markup is ours."""
    h = heading if heading in HEADINGS else "h3"
    url = escape(article.get_absolute_url())
    out = [f'<article class="card{" card--lead" if lead else ""}">']
    if article.featured_image_id:
        image = picture_html(
            article.featured_image, sizes=sizes or DEFAULT_SIZES, loading=loading, decorative=True
        )
        out.append(
            f'<a class="card__image" href="{url}" tabindex="-1" aria-hidden="true">{image}</a>'
        )
    out.append('<div class="card__text">')
    if show_section:
        section = article.section
        out.append(
            f'<p class="card__section"><a href="{escape(section.get_absolute_url())}">'
            f"{escape(section.name)}</a></p>"
        )
    out.append(f'<{h} class="card__headline"><a href="{url}">{escape(article.headline)}</a></{h}>')
    if (lead or show_standfirst) and article.standfirst:
        out.append(f'<p class="card__standfirst">{escape(article.standfirst)}</p>')
    out.append('<p class="card__meta">')
    names = ", ".join(author.name for author in article.byline_authors())
    if names:
        out.append(f'<span class="card__byline">{escape(names)}</span> · ')
    if article.published_at:
        published = timezone.localtime(article.published_at)
        out.append(
            f'<time datetime="{published.isoformat()}">{dateformat.format(published, "j M Y")}'
            "</time> · "
        )
    out.append(f'<span class="reading-time">{int(article.reading_minutes)} Min Read</span>')
    comments = int(getattr(article, "comment_count", 0) or 0)
    if comments:
        plural = "" if comments == 1 else "s"
        out.append(
            f' · <a class="card__comments" href="{url}#comments">{comments} comment{plural}</a>'
        )
    out.append("</p></div></article>")
    return mark_safe("".join(out))
