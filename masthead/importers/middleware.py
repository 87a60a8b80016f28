"""Old WordPress addresses answer 301 to the article they became.

Like ``django.contrib.redirects``, the path lookup happens only when the site answered 404,
so a redirect never hides a page. ``?p=123`` and ``?page_id=123`` are looked up before the
view runs, because ``/`` itself is a page (the home page) and never answers 404.
"""

from __future__ import annotations

from django.http import HttpResponsePermanentRedirect

from masthead.importers.models import Redirect

QUERY_KEYS = ("p", "page_id")


def _target(request, candidates: list[str]) -> str:
    redirect = Redirect.objects.select_related("article").filter(old_path__in=candidates).first()
    if redirect is None or not redirect.article.is_live:
        return ""
    target = redirect.article.get_absolute_url()
    return "" if target == request.path else target


def redirect_for(request, *, after_404: bool) -> str:
    """The address an old link should go to now, or "" if there is none."""
    if request.method not in ("GET", "HEAD"):
        return ""
    if not after_404:
        for key in QUERY_KEYS:
            value = request.GET.get(key, "")
            if value.isdigit():
                return _target(request, [f"{request.path}?{key}={value}"])
        return ""
    path = request.path
    toggled = path[:-1] if path.endswith("/") else f"{path}/"
    return _target(request, [path, toggled])


class RedirectFallbackMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if target := redirect_for(request, after_404=False):
            return HttpResponsePermanentRedirect(target)
        response = self.get_response(request)
        if response.status_code == 404 and (target := redirect_for(request, after_404=True)):
            return HttpResponsePermanentRedirect(target)
        return response
