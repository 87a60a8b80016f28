"""Site-wide views that belong to no app."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponsePermanentRedirect
from django.middleware.csrf import REASON_NO_CSRF_COOKIE
from django.shortcuts import render
from django.templatetags.static import static
from django.views.csrf import csrf_failure as technical
from django.views.decorators.http import require_safe


def csrf_failure(request, reason: str = ""):
    """``CSRF_FAILURE_VIEW``: a reader's page saying what to do, instead of Django's technical
    one (with ``DEBUG`` on, Django's own explanation is more useful and is kept)."""
    if settings.DEBUG:
        return technical(request, reason)
    context = {"no_cookie": reason == REASON_NO_CSRF_COOKIE}
    response = render(request, "csrf_failure.html", context, status=403)
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
def favicon(request):
    """Browsers ask for /favicon.ico where a page names no icon (the admin's pages, feeds
    opened directly): the site's icon, instead of a 404 in the log for each."""
    response = HttpResponsePermanentRedirect(static("masthead/favicon.svg"))
    response["Cache-Control"] = "public, max-age=86400"
    return response
