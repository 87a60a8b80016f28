"""Reader pages. Each view parses the request, calls a selector and renders."""

from __future__ import annotations

from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from masthead.core.pagination import paginate
from masthead.newsroom import selectors
from masthead.newsroom.models import Author, Section, Tag
from masthead.newsroom.preview import preview_article_id
from masthead.newsroom.search import article_search

PER_PAGE = 20


@require_safe
def home(request):
    return render(request, "newsroom/home.html", {"page": selectors.home_page()})


@require_safe
def article_detail(request, year: int, month: str, day: str, slug: str):
    article = selectors.article_get_live(slug=slug)
    if article is None:
        raise Http404("No story lives at this address.")
    canonical = article.get_absolute_url()
    if request.path != canonical:
        # The publish date changed, or the address was mistyped: send readers to the story.
        return HttpResponsePermanentRedirect(canonical)
    return render(request, "newsroom/article.html", {"article": article, "preview": False})


@require_safe
def article_preview(request, token: str):
    article_id = preview_article_id(token)
    article = selectors.article_get_for_preview(pk=article_id) if article_id else None
    if article is None:
        raise Http404("This preview link is not valid, or has expired. Ask for a new one.")
    response = render(request, "newsroom/article.html", {"article": article, "preview": True})
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "private, no-store"
    return response


def _listing(request, template: str, context: dict, **filters):
    page = paginate(request, selectors.article_list(**filters), per_page=PER_PAGE)
    return render(request, template, {**context, "page_obj": page, "articles": page.object_list})


@require_safe
def section_detail(request, slug: str):
    section = get_object_or_404(Section, slug=slug)
    return _listing(request, "newsroom/section.html", {"section": section}, section=section)


@require_safe
def tag_detail(request, slug: str):
    tag = get_object_or_404(Tag, slug=slug)
    return _listing(request, "newsroom/tag.html", {"tag": tag}, tag=tag)


@require_safe
def author_detail(request, slug: str):
    author = get_object_or_404(Author.objects.select_related("photo"), slug=slug)
    return _listing(request, "newsroom/author.html", {"author": author}, author=author)


@require_safe
def search(request):
    query = request.GET.get("q", "").strip()
    page = paginate(request, article_search(query=query), per_page=PER_PAGE)
    return render(
        request,
        "newsroom/search.html",
        {"query": query, "page_obj": page, "articles": page.object_list, "now": timezone.now()},
    )
