"""The comment section of an article page, and filters for showing comments safely."""

from __future__ import annotations

from django import template
from django.utils import timezone
from django.utils.safestring import mark_safe

from masthead.discussion import cookies
from masthead.discussion.forms import CommentForm
from masthead.discussion.guards import comments_open
from masthead.discussion.models import Comment, DiscussionSettings
from masthead.discussion.privacy import spam_sends_to
from masthead.discussion.rendering import render_items
from masthead.discussion.selectors import thread_page
from masthead.discussion.text import render_body, sanitize_comment_html

register = template.Library()


def _number(value, default: int | None = None) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


@register.inclusion_tag("discussion/section.html", takes_context=True)
def comment_section(context, article):
    """Threads of the requested comment page, and the form (bound, after an error)."""
    request = context["request"]
    config = DiscussionSettings.load()
    is_open = comments_open(article, config, timezone.now())
    page = thread_page(
        article_id=article.pk,
        page=_number(request.GET.get("cpage"), 1),
        pending=cookies.pending_ids(request),
        config=config,
        open_for_replies=is_open,
    )
    form = context.get("comment_form")
    if form is None:
        initial = cookies.remembered(request)
        if initial:
            initial["remember"] = True
        form = CommentForm(initial=initial, config=config, user=request.user)
    reply_to = None
    parent_id = _number(form.data.get("parent")) if form.is_bound else None
    parent_id = parent_id or _number(request.GET.get("replyto"))
    if parent_id:
        reply_to = next((i.comment for i in page.items if i.comment.pk == parent_id), None)
        if reply_to is None:
            reply_to = (
                Comment.objects.filter(
                    pk=parent_id, article=article, status=Comment.Status.APPROVED
                )
                .only("pk", "author_name")
                .first()
            )
        if reply_to is not None and not form.is_bound:
            form.initial["parent"] = reply_to.pk
    return {
        "article": article,
        "page": page,
        "form": form,
        "open": is_open,
        "order": config.order,
        "reply_to": reply_to,
        "sends_to": spam_sends_to(),
        "request": request,
    }


@register.simple_tag
def comment_form_token(article) -> str:
    """A fresh signed timestamp for the comment form (also after a refused post)."""
    from masthead.discussion.tokens import form_token

    return form_token(article.pk)


@register.simple_tag
def comment_items(page) -> str:
    return render_items(page.items, cpage=page.number)


@register.filter
def comment_html(comment: Comment) -> str:
    """The stored, sanitised HTML; rendered on the fly for rows written in bulk without it."""
    if comment.body_html:
        return mark_safe(sanitize_comment_html(comment.body_html))
    return mark_safe(render_body(comment.body))
