"""HTML for comment threads, built in Python: a 500-comment page renders in milliseconds.

The markup is what ``discussion/section.html`` places inside ``<ol class="comment-list">``;
the script gets the very same markup for a comment it has just posted. Every value is
escaped here, except ``body_html``, which only ever comes from
:func:`masthead.discussion.text.render_body` (nh3-sanitised when the comment is saved).
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from masthead.discussion.text import render_body, sanitize_comment_html

AUTHOR_REL = "external nofollow ugc noopener"


def public_url(value: str) -> str:
    """A commenter's website, only if it is an ordinary http(s) address."""
    value = (value or "").strip()
    return value if value.lower().startswith(("https://", "http://")) else ""


class _Dates:
    """Formats "29 November 2026 at 09:12" in the site's time zone, month names once."""

    def __init__(self) -> None:
        self.months = {number: str(name) for number, name in MONTHS.items()}
        self.zone = timezone.get_current_timezone()

    def __call__(self, moment) -> tuple[str, str]:
        local = moment.astimezone(self.zone)
        shown = f"{local.day} {self.months[local.month]} {local.year} at {local:%H:%M}"
        return local.isoformat(), shown


def _item(item, dates: _Dates, cpage: int, base: str) -> str:
    c = item.comment
    name = escape(c.display_name)
    url = public_url(c.author_url)
    author = f'<a href="{escape(url)}" rel="{AUTHOR_REL}">{name}</a>' if url else name
    staff = ' <span class="comment__staff">Staff</span>' if c.user_id else ""
    iso, shown = dates(c.created_at)
    body = c.body_html or render_body(c.body)
    pending = (
        '\n  <p class="comment__awaiting"><em>Your comment is awaiting moderation.</em></p>'
        if item.pending
        else ""
    )
    reply = ""
    if item.can_reply:
        page = f"cpage={cpage}&amp;" if cpage > 1 else ""
        reply = (
            f'\n  <p class="comment__reply"><a rel="nofollow" class="comment-reply-link" '
            f'href="{base}?{page}replyto={c.pk}#respond" data-reply-to="{c.pk}" '
            f'data-reply-name="{name}" aria-label="Reply to {name}">Reply</a></p>'
        )
    css = f"comment depth-{item.level}" + (" comment--pending" if item.pending else "")
    return (
        f'<li id="comment-{c.pk}" class="{css}"><article class="comment__card">\n'
        f'  <footer class="comment__meta"><b class="comment__author"><bdi>{author}</bdi></b>'
        f"{staff}\n"
        f'    <a class="comment__permalink" href="#comment-{c.pk}"><time datetime="{iso}">'
        f"{shown}</time></a></footer>{pending}\n"
        f'  <div class="comment__content">{body}</div>{reply}\n</article>'
    )


def render_items(items, *, cpage: int = 1, base: str = "") -> SafeString:
    """The ``<li>`` elements of a page of threads, replies nested in ``<ol class="children">``.

    ``base`` is the story's address: Reply links carry it, so they still lead to the story
    from a page shown at another address (the form's, after a refused post)."""
    dates = _Dates()
    base = escape(base)
    parts = []
    for item in items:
        parts.append(_item(item, dates, cpage, base))
        if item.has_children:
            parts.append('<ol class="children">')
        else:
            parts.append("</li>" + "</ol></li>" * len(item.closes))
        parts.append("\n")
    return mark_safe("".join(parts))  # every value above is escaped


def comment_html(comment) -> SafeString:
    """A comment's stored, sanitised HTML (feeds, and the ``comment_html`` template filter);
    rendered on the fly for rows written in bulk without it."""
    if comment.body_html:
        return mark_safe(sanitize_comment_html(comment.body_html))
    return mark_safe(render_body(comment.body))
