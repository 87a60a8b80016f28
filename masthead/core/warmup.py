"""What a web process does once, before its first reader, instead of during that request.

Left to the first request, a new process imports every view (the spam filter's scikit-learn
and SciPy among them: over a second) and compiles the reader templates: 1–3 s of waiting
for whoever comes first to each process, after every deploy or restart. ``masthead serve``
runs gunicorn with ``--preload``: the master process imports ``masthead.wsgi``, which calls
:func:`warm_up`, and each worker it forks starts with all of it already done (and shares
those pages of memory with the others).

Nothing here touches the database or the cache: a connection opened in the master would be
shared by every forked worker.

Under gunicorn, ``masthead serve`` also passes :mod:`masthead.core.gunicorn_config`, whose
``when_ready`` hook freezes what the master has loaded out of garbage collection before it
forks its workers.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.template import engines
from django.urls import get_resolver

logger = logging.getLogger("masthead")

TEMPLATE_SUFFIXES = (".html", ".txt", ".xml")


def warm_up(urlconfs: Iterable[str | None] = (None,)) -> None:
    """``urlconfs``: the URL configurations requests are resolved with (None: the site's)."""
    for urlconf in urlconfs:
        resolver = get_resolver(urlconf)
        resolver.url_patterns  # noqa: B018  (imports every view and what they need)
        resolver.reverse_dict  # noqa: B018  (the reverse lookup tables)
    for engine in engines.all():
        environment = getattr(engine, "env", None)  # the Jinja2 engines
        if environment is None:
            continue
        for name in environment.list_templates(filter_func=_is_template):
            try:
                environment.get_template(name)
            except Exception as err:  # a syntax error, a file not in UTF-8, an extension's
                # Shown to the reader who asks for it; the other pages keep working.
                logger.warning("Template %s does not compile: %s", name, err)


def _is_template(name: str) -> bool:
    return name.endswith(TEMPLATE_SUFFIXES)
