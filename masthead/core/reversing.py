"""``reverse`` with its answers remembered.

A story page links to a dozen addresses (its section, authors, topics, feeds, related
stories, the comment form's action), and Django's ``reverse`` works each one out afresh,
which cost about a twelfth of an uncached page. The answer depends only on the URLconf in
use, the script prefix and the arguments, so it is remembered under exactly those: an
address reversed under another URLconf (``override_settings(ROOT_URLCONF=…)``, a request's
``urlconf``) or mounted under another prefix is worked out again.
"""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf
from django.urls import reverse as django_reverse


def reverse(viewname: str, *, args=(), kwargs=None) -> str:
    """``django.urls.reverse(viewname, args=args, kwargs=kwargs)``, remembered; arguments
    must be hashable (numbers and strings, as URL arguments are)."""
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    items = tuple(kwargs.items()) if kwargs else ()
    return _reverse(urlconf, get_script_prefix(), viewname, tuple(args), items)


@lru_cache(maxsize=8192, typed=True)  # 1 and True reverse differently
def _reverse(urlconf, prefix: str, viewname: str, args: tuple, items: tuple) -> str:
    del prefix  # part of the key: django's reverse reads the script prefix itself
    return django_reverse(viewname, urlconf=urlconf, args=args or None, kwargs=dict(items))


cache_clear = _reverse.cache_clear
