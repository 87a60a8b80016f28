"""Site-wide views that belong to no app."""

from __future__ import annotations

from django.conf import settings
from django.middleware.csrf import REASON_NO_CSRF_COOKIE
from django.shortcuts import render
from django.views.csrf import csrf_failure as technical


def csrf_failure(request, reason: str = ""):
    """``CSRF_FAILURE_VIEW``: a reader's page saying what to do, instead of Django's technical
    one (with ``DEBUG`` on, Django's own explanation is more useful and is kept)."""
    if settings.DEBUG:
        return technical(request, reason)
    context = {"no_cookie": reason == REASON_NO_CSRF_COOKIE}
    response = render(request, "csrf_failure.html", context, status=403)
    response["Cache-Control"] = "private, no-store"
    return response
