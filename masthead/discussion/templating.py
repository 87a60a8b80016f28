"""What reader templates call for comments (registered in :mod:`masthead.core.jinja2`)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from jinja2 import pass_context

from masthead.discussion import cookies
from masthead.discussion.conf import app_settings
from masthead.discussion.forms import CommentForm
from masthead.discussion.guards import comments_open
from masthead.discussion.models import Comment, DiscussionSettings
from masthead.discussion.privacy import spam_sends_to
from masthead.discussion.rendering import render_items
from masthead.discussion.selectors import thread_page
from masthead.discussion.tokens import form_token

SECTION_TEMPLATE = "discussion/section.html"


def _number(value, default: int | None = None) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


@pass_context
def comment_section(context, article) -> SafeString:
    """``{{ comment_section(article) }}``: threads of the requested comment page and the form
    (bound, after an error: the page's ``comment_form``), with ``discussion/section.html``."""
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
    edit_minutes = app_settings.COMMENT_EDIT_MINUTES
    just_posted = _number(request.GET.get("posted"))
    section = context.environment.get_template(SECTION_TEMPLATE)
    return mark_safe(  # the template escapes what it prints
        section.render(
            article=article,
            page=page,
            form=form,
            open=is_open,
            order=config.order,
            reply_to=reply_to,
            sends_to=spam_sends_to(),
            # Just posted (the page after posting without the script): where to change it.
            just_posted=just_posted if edit_minutes and 0 < (just_posted or 0) < 2**63 else None,
            edit_minutes=edit_minutes,
            request=request,
            messages=context.get("messages"),
            csrf_input=context.get("csrf_input", ""),
        )
    )


def comment_form_token(article) -> str:
    """A fresh signed timestamp for the comment form (also after a refused post)."""
    return form_token(article.pk)


def comment_items(page, base: str = "") -> SafeString:
    """``{{ comment_items(page, article.get_absolute_url()) }}``: the ``<li>`` elements of a
    page of threads, their Reply links to ``base`` (the story's address)."""
    return render_items(page.items, cpage=page.number, base=base)
