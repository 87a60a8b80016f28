"""Reader-facing endpoints: posting a comment, subscriptions, the privacy page, data requests.

Article pages are cached whole for anonymous readers, so the comment form cannot carry a
per-reader CSRF token. Anonymous posts are instead checked the way browsers allow: a
cross-site ``Origin`` or ``Sec-Fetch-Site`` is refused. Signed-in users' posts need Django's
CSRF token as usual (their pages are never cached, so the form has one).
"""

from __future__ import annotations

import json
import math
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponse, HttpResponseForbidden, JsonResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from masthead.core.pagecache import FRESH_PARAM
from masthead.discussion import cookies, services, tokens
from masthead.discussion.forms import CommentEditForm, CommentForm, DataRequestForm
from masthead.discussion.guards import throttle_claim
from masthead.discussion.models import Comment, DiscussionSettings, ModeratorOptOut
from masthead.discussion.privacy import (
    holds_data,
    keyed_hash,
    personal_data_erase,
    personal_data_export,
    privacy_facts,
)
from masthead.discussion.selectors import comment_get_public, page_of, subscription_get
from masthead.discussion.spam import RequestMeta
from masthead.newsroom import selectors as newsroom_selectors
from masthead.newsroom.models import Article


def _same_origin(request) -> bool:
    origin = request.META.get("HTTP_ORIGIN")
    if origin and origin != "null":
        allowed = {f"{request.scheme}://{request.get_host()}", settings.SITE_URL.rstrip("/")}
        allowed |= set(getattr(settings, "CSRF_TRUSTED_ORIGINS", []))
        return origin.rstrip("/") in allowed
    return request.META.get("HTTP_SEC_FETCH_SITE", "same-origin") != "cross-site"


def _csrf_failure(request):
    if not request.user.is_authenticated:
        return None if _same_origin(request) else HttpResponseForbidden("Cross-site post refused.")
    return CsrfViewMiddleware(lambda r: None).process_view(request, None, (), {})


def _wants_fragment(request) -> bool:
    return request.headers.get("X-Requested-With") == "masthead-comments"


def _meta(request) -> RequestMeta:
    return RequestMeta(
        ip=getattr(request, "client_ip", "") or request.META.get("REMOTE_ADDR", ""),
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:500],
        referrer=request.META.get("HTTP_REFERER", "")[:500],
    )


def _input(form: CommentForm, parent: Comment | None, user) -> services.CommentInput:
    data = form.cleaned_data
    if form.signed_in:
        name, email, url = user.get_full_name() or user.get_username(), user.email, ""
    else:
        name, email = data.get("author_name", ""), data.get("author_email", "")
        url = data.get("author_url", "")
    return services.CommentInput(
        body=data["body"],
        author_name=name,
        author_email=email,
        author_url=url,
        parent=parent,
        subscribe=bool(data.get("subscribe")),
        honeypot=data.get("leave_empty", ""),
        issued=data.get("issued", ""),
    )


def _invalid(request, article: Article, form: CommentForm):
    if _wants_fragment(request):
        html = render_to_string(
            "discussion/form.html",
            {"form": form, "article": article, "request": request},
            request=request,
        )
        return JsonResponse({"ok": False, "form": html}, status=400)
    article = newsroom_selectors.article_get_live(slug=article.slug)
    context = {"article": article, "preview": False, "comment_form": form}
    return render(request, "newsroom/article.html", context, status=400)


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def comment_post(request, article_id: int):
    if request.method != "POST":
        return _to_form(article_id)
    if failure := _csrf_failure(request):
        return failure
    article = newsroom_selectors.article_get_commentable(pk=article_id)
    if article is None:
        raise Http404("No story takes comments at this address.")
    config = DiscussionSettings.load()
    form = CommentForm(request.POST, config=config, user=request.user)
    parent = None
    if form.is_valid() and form.cleaned_data.get("parent"):
        parent = Comment.objects.filter(pk=form.cleaned_data["parent"]).first()
        if parent is None:
            form.add_error(None, "The comment you are replying to is not available any more.")
    if not form.is_valid():
        return _invalid(request, article, form)
    result = services.comment_post(
        article=article,
        data=_input(form, parent, request.user),
        meta=_meta(request),
        user=request.user,
        config=config,
    )
    if result.rejected:
        form.add_error(None, result.rejected)
        return _invalid(request, article, form)
    comment = result.comment
    if comment is None or comment.status not in (Comment.Status.APPROVED, Comment.Status.PENDING):
        message = "Thank you. Your comment will be looked at before it appears."
        if result.discarded:  # nobody will look at it: say so
            message = "Your comment was not published: the spam filter took it for spam."
        if _wants_fragment(request):
            response = JsonResponse({"ok": True, "status": "held", "message": message})
        else:
            messages.info(request, message, extra_tags="respond")  # shown beside the form
            # Its id, for a comment its author may still change (the page links to that).
            mine = comment is not None and comment.status == Comment.Status.PENDING
            posted = comment.pk if mine else "held"
            response = redirect(f"{_fresh(article, posted)}#respond", permanent=False)
    else:
        response = _posted(request, article, comment, config)
    _cookies(request, response, form, comment)
    return response


def _to_form(article_id: int) -> HttpResponse:
    """Someone opened the form's address itself (a bookmark, a pasted link): show the form."""
    article = newsroom_selectors.article_get_commentable(pk=article_id)
    if article is None:
        raise Http404("No story takes comments at this address.")
    return redirect(f"{article.get_absolute_url()}#respond", permanent=False)


def _posted(request, article: Article, comment: Comment, config) -> HttpResponse:
    number = page_of(comment, config=config)
    if _wants_fragment(request):
        from masthead.discussion.rendering import render_items
        from masthead.discussion.selectors import Item, PublicComment

        pending = comment.status == Comment.Status.PENDING
        level = min(comment.depth, config.thread_depth)
        can_reply = not pending and level < config.thread_depth
        item = Item(PublicComment.of(comment), level=level, can_reply=can_reply, pending=pending)
        html = render_items([item], cpage=number, base=article.get_absolute_url())
        return JsonResponse(
            {"ok": True, "status": comment.status, "id": comment.pk, "html": html, "page": number},
            status=201,
        )
    return redirect(f"{_fresh(article, comment.pk, cpage=number)}#comment-{comment.pk}")


def _fresh(article: Article, posted, *, cpage: int = 1) -> str:
    """The story's address for a reader who just posted to it: never a cached copy."""
    query = {"cpage": cpage} if cpage > 1 else {}
    return f"{article.get_absolute_url()}?{urlencode({**query, FRESH_PARAM: posted})}"


def _cookies(request, response, form: CommentForm, comment: Comment | None) -> None:
    if form.signed_in:
        return  # staff change their comments in the admin: no cookie outlives their session
    if comment is not None and comment.status in services.EDITABLE:
        earlier = cookies.editable_ids(request)  # usually none: most readers post once
        cookies.set_editable(request, response, [*_comments(earlier), comment])
    data = form.cleaned_data
    if data.get("remember"):
        cookies.remember(
            response,
            name=data.get("author_name", ""),
            email=data.get("author_email", ""),
            url=data.get("author_url", ""),
        )
    else:
        cookies.forget(request, response)
    if comment is not None and comment.status == Comment.Status.PENDING:
        cookies.add_pending(request, response, comment.pk)


def _comments(ids: list[int]) -> list[Comment]:
    """The comments with these ids that still exist, oldest first (no query for none)."""
    if not ids:
        return []
    return list(Comment.objects.filter(pk__in=ids).only("pk", "created_at").order_by("pk"))


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


def _notice(request, title: str, message: str, status: int = 200, back=None):
    """``back``: (address, words) of the link on, when it is not the front page."""
    context = {"title": title, "message": message, "back": back}
    return _private(render(request, "discussion/notice.html", context, status=status))


def _ask(request, title: str, message: str, button: str):
    """The page an emailed link opens: it says what the link does and does it only when the
    button is pressed (a POST). Mail gateways that open every link in a message, to scan
    it, change nothing."""
    context = {"title": title, "message": message, "button": button}
    return _private(render(request, "discussion/link_confirm.html", context))


@require_http_methods(["GET", "HEAD", "POST"])
def confirm_subscription(request, token: str):
    payload = tokens.read("confirm", token, max_age=tokens.link_max_age())
    subscription = None
    if isinstance(payload, list) and len(payload) == 2:
        subscription = subscription_get(subscription_id=payload[0], email=payload[1])
    if subscription is None:
        return _notice(
            request,
            "This link has expired",
            "Post a new comment and tick the box again to get a fresh link.",
            status=404,
        )
    headline = subscription.article.headline
    if request.method == "POST":
        services.subscription_confirm(subscription_id=payload[0], email=payload[1])
    elif not subscription.confirmed:
        return _ask(
            request,
            "Confirm your subscription",
            f"Get an email when someone comments on “{headline}”. Every email has a link to "
            "stop them.",
            "Yes, email me about new comments",
        )
    return _notice(
        request,
        "Subscription confirmed",
        f"We will email you about new comments on “{headline}”. Every email has a link to "
        "stop them.",
    )


# Unsubscribing takes no CSRF token: mail providers' one-click unsubscribe (RFC 8058) posts
# to the link in the List-Unsubscribe header without one. The signed token in the address is
# what authorises the change, and a plain GET (a person, or a gateway scanning the link)
# only shows the question.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token: str):
    subscription_id = tokens.read("unsubscribe", token)
    if not isinstance(subscription_id, int):
        return _notice(request, "This link is not valid", "Check that it was copied whole.", 404)
    subscription = subscription_get(subscription_id=subscription_id)
    if request.method != "POST" and subscription is not None:
        return _ask(
            request,
            "Stop these emails?",
            f"You will get no more emails about new comments on “{subscription.article.headline}”.",
            "Unsubscribe",
        )
    services.subscription_cancel(subscription_id=subscription_id)
    return _notice(
        request, "Unsubscribed", "You will get no more emails about comments on this story."
    )


@csrf_exempt  # as unsubscribe, above
@require_http_methods(["GET", "HEAD", "POST"])
def moderator_unsubscribe(request, token: str):
    from django.contrib.auth import get_user_model

    user_id = tokens.read("moderator-unsubscribe", token)
    user = get_user_model().objects.filter(pk=user_id).first() if isinstance(user_id, int) else None
    if user is None:
        return _notice(request, "This link is not valid", "Check that it was copied whole.", 404)
    opted_out = ModeratorOptOut.objects.filter(user=user).exists()
    if request.method != "POST" and not opted_out:
        return _ask(
            request,
            "Stop moderation emails?",
            "You will get no more emails about new comments and comments waiting for "
            "approval. You can still moderate in the admin.",
            "Stop moderation emails",
        )
    ModeratorOptOut.objects.get_or_create(user=user)
    return _notice(
        request,
        "Moderation emails stopped",
        "You will get no more emails about new comments. An administrator can turn them on "
        "again by deleting your entry under “Moderator email opt-outs” in the admin.",
    )


@never_cache
@require_http_methods(["GET", "HEAD"])
def comment_permalink(request, pk: int):
    """A comment's lasting address (feeds, emails, the admin): sent on to the page of its
    story's comments where it is shown now, which changes as comments come and go."""
    config = DiscussionSettings.load()
    comment = comment_get_public(pk=pk, config=config)
    if comment is None:
        raise Http404("No published comment has this number.")
    number = page_of(comment, config=config)
    query = f"?cpage={number}" if number > 1 else ""
    return redirect(f"{comment.article.get_absolute_url()}{query}#comment-{comment.pk}")


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def comment_edit(request, pk: int):
    """The reader who posted a comment changes or deletes it, from the same browser, for
    ``COMMENT_EDIT_MINUTES`` after posting (as in Isso)."""
    comment = Comment.objects.select_related("article").filter(pk=pk).first()
    if comment is None:
        raise Http404("No comment has this number.")
    editable = cookies.editable_ids(request)
    config = DiscussionSettings.load()
    if problem := services.comment_edit_problem(comment, editable, config=config):
        return _notice(request, "This comment cannot be changed", problem, status=403)
    article = comment.article
    story_url = f"{article.get_absolute_url()}#comment-{comment.pk}"
    back = (request.path, "Back to your comment’s change page")
    form = CommentEditForm(request.POST or None, initial={"body": comment.body})
    if request.method == "POST" and request.POST.get("delete"):
        if refused := services.comment_delete_own(comment=comment):
            return _notice(request, "Your comment stays", refused, status=409, back=back)
        messages.info(request, "Your comment was deleted.", extra_tags="respond")
        response = redirect(f"{_fresh(article, 'deleted')}#respond")
        cookies.set_editable(request, response, _comments([i for i in editable if i != pk]))
        return response
    if request.method == "POST" and form.is_valid():
        body = form.cleaned_data["body"]
        if refused := services.comment_edit(
            comment=comment, body=body, meta=_meta(request), config=config
        ):
            return _notice(
                request, "This comment cannot be changed", refused, status=409, back=back
            )
        if comment.status == Comment.Status.APPROVED:
            messages.info(request, "Your change was saved.", extra_tags="respond")
            shown = _fresh(article, comment.pk, cpage=page_of(comment, config=config))
            return redirect(f"{shown}#comment-{comment.pk}")
        message = "Your change was saved; the comment will be looked at before it appears again."
        posted = comment.pk  # still the reader's to change: the page links to that again
        if comment.status != Comment.Status.PENDING:
            message = "Your change was saved, but it was taken for spam: it is hidden."
            posted = "held"
        messages.info(request, message, extra_tags="respond")
        response = redirect(f"{_fresh(article, posted)}#respond")
        if comment.status == Comment.Status.PENDING:
            cookies.add_pending(request, response, comment.pk)  # its author still sees it
        return response
    deadline = services.comment_edit_deadline(comment)
    context = {
        "comment": comment,
        "form": form,
        "story_url": story_url,
        "left": max(1, math.ceil((deadline - timezone.now()).total_seconds() / 60)),
        "has_replies": comment.replies.exists(),
    }
    return _private(render(request, "discussion/edit.html", context))


@require_http_methods(["GET", "HEAD", "POST"])
def privacy(request):
    form = DataRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email, action = form.cleaned_data["email"].strip(), form.cleaned_data["action"]
        now = timezone.now()
        allowed = throttle_claim(keyed_hash("data-request", email.lower()), seconds=600, now=now)
        if allowed and holds_data(email):
            from masthead.discussion.tasks import send_data_request

            transaction.on_commit(lambda: send_data_request.enqueue(email, action))
        return _notice(
            request,
            "Check your email",
            "If we hold comment data for that address, we have sent it a link to confirm "
            "your request. Nothing happens until you open it.",
        )
    context = {"facts": privacy_facts(), "form": form}
    response = render(request, "discussion/privacy.html", context)
    response["Cache-Control"] = "private, no-cache"
    return response


@require_http_methods(["GET", "HEAD", "POST"])
def data_request_confirm(request, token: str):
    payload = tokens.read("data-request", token, max_age=tokens.link_max_age())
    if not (isinstance(payload, list) and len(payload) == 2):
        return _notice(request, "This link has expired", "Ask again on the privacy page.", 404)
    email, action = payload
    if request.method != "POST":
        response = render(
            request, "discussion/data_request_confirm.html", {"action": action, "token": token}
        )
        response["Cache-Control"] = "private, no-store"
        return response
    if action == "export":
        data = json.dumps(personal_data_export(email=email), ensure_ascii=False, indent=2)
        response = HttpResponse(data, content_type="application/json; charset=utf-8")
        host = urlsplit(settings.SITE_URL).hostname or "site"
        response["Content-Disposition"] = f'attachment; filename="comments-{host}.json"'
        response["Cache-Control"] = "private, no-store"
        return response
    counts = personal_data_erase(email=email)
    return _notice(
        request,
        "Your comment data is erased",
        f"{counts['deleted']} unpublished comments were deleted and {counts['anonymised']} "
        f"published ones anonymised; {counts['subscriptions']} subscriptions were removed.",
    )
