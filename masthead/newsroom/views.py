"""Reader pages. Each view parses the request, calls a selector and renders."""

from __future__ import annotations

import re
from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from masthead.core.pagination import paginate
from masthead.newsroom import addresses, cache, selectors
from masthead.newsroom.models import Author, Section, Tag
from masthead.newsroom.models.article import prefetch_bylines
from masthead.newsroom.permissions import can_edit
from masthead.newsroom.preview import preview_grant
from masthead.newsroom.search import article_search

PER_PAGE = 20
CONTROL_CHARACTERS = re.compile("[\x00-\x1f\x7f-\x9f]")


def _last_modified(response, *moments) -> None:
    """Last-Modified from the newest of ``moments``, so caches can revalidate cheaply."""
    newest = max(filter(None, moments), default=None)
    if newest is not None:
        response["Last-Modified"] = http_date(newest.timestamp())


@require_safe
@cache.home_page
def home(request):
    return render(request, "newsroom/home.html", {"page": selectors.home_page()})


@require_safe
@cache.article_page
def article_detail(request, year: int, month: str, day: str, slug: str):
    article = selectors.article_get_live(slug=slug)
    if article is None:
        raise Http404("No story lives at this address.")
    canonical = article.get_absolute_url()
    if request.path != canonical:
        # The publish date changed, or the address was mistyped: send readers to the story,
        # unless another story used to live at exactly this address (its slug was free
        # again, and this story took it): that one is what links to the address meant.
        moved = addresses.moved_story_url(request.path, not_article_id=article.pk)
        return HttpResponsePermanentRedirect(moved or canonical)
    context = {"article": article, "preview": False, "staff_links": _staff_links(request, article)}
    response = render(request, "newsroom/article.html", context)
    _last_modified(response, article.modified_at, article.updated_at, article.published_at)
    return response


def _staff_links(request, article) -> dict[str, str]:
    """For signed-in newsroom staff, as WordPress's admin bar: the story's admin page, and
    the moderation queue searched for its comments. Readers without a session cookie never
    make the session be read (their page stays one the cache may share); signed-in users'
    pages are never cached."""
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return {}
    user = request.user
    if not user.is_staff:
        return {}
    links = {}
    if can_edit(user, article):
        links["edit"] = reverse("admin:newsroom_article_change", args=[article.pk])
    if user.has_perm("discussion.moderate_comment"):
        query = urlencode({"q": article.headline})
        links["comments"] = f"{reverse('admin:discussion_comment_changelist')}?{query}"
    return links


@require_safe
def article_preview(request, token: str):
    grant = preview_grant(token)
    article = selectors.article_get_for_preview(pk=grant[0]) if grant else None
    if article is None or not constant_time_compare(article.preview_key, grant[1]):
        raise Http404("This preview link is not valid, or has expired. Ask for a new one.")
    context = {"article": article, "preview": True, "staff_links": _staff_links(request, article)}
    response = render(request, "newsroom/article.html", context)
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "private, no-store"
    return response


def _listing(request, template: str, context: dict, **filters):
    page = paginate(request, selectors.article_list(**filters), per_page=PER_PAGE)
    articles = list(page.object_list)
    prefetch_bylines(articles)
    response = render(request, template, {**context, "page_obj": page, "articles": articles})
    _last_modified(response, *(a.updated_at or a.published_at for a in articles))
    return response


@require_safe
@cache.home_page  # any story published, changed or withdrawn changes it, as the home page
def latest(request):
    """Every live story, newest first, page by page: where the home page's "More stories"
    leads (WordPress's "Older posts")."""
    return _listing(request, "newsroom/latest.html", {})


@require_safe
@cache.section_page
def section_detail(request, slug: str):
    section = get_object_or_404(Section, slug=slug)
    return _listing(request, "newsroom/section.html", {"section": section}, section=section)


@require_safe
@cache.tag_page
def tag_detail(request, slug: str):
    tag = get_object_or_404(Tag, slug=slug)
    return _listing(request, "newsroom/tag.html", {"tag": tag}, tag=tag)


@require_safe
@cache.author_page
def author_detail(request, slug: str):
    author = get_object_or_404(Author.objects.select_related("photo"), slug=slug)
    return _listing(request, "newsroom/author.html", {"author": author}, author=author)


@require_safe
def search(request):
    # Control characters (a NUL, say) mean nothing in a search and must not reach the page.
    query = CONTROL_CHARACTERS.sub(" ", request.GET.get("q", "")).strip()
    page = paginate(request, article_search(query=query), per_page=PER_PAGE)
    return render(
        request,
        "newsroom/search.html",
        {
            "query": query,
            "page_obj": page,
            "articles": page.object_list,
            "now": timezone.now(),
            "page_labels": ("Previous", "Next"),  # by relevance, not by date
        },
    )
