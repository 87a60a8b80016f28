"""A lean way in for the API: its requests skip the site's middleware.

The API's views need none of it (sessions, authentication, messages, CSRF, the page cache,
revisions, old-link redirects, client addresses: the commenter's address is in the body),
and at a thousand checks a second the middleware costs more than the check. Requests under
``/1.1/`` and ``/1.2/`` go to a Django handler without middleware that resolves only the
API's URLs; everything else goes to the site as usual. Django's request signals still run,
so database connections are managed as for any request.

The Host header is not checked against ALLOWED_HOSTS for these paths: the API builds no URL
from it, and WordPress's plugin sends ``Host: <key>.rest.akismet.com``.
"""

from __future__ import annotations

from django.core.handlers.exception import convert_exception_to_response
from django.core.handlers.wsgi import WSGIHandler

API_PREFIXES = ("/1.1/", "/1.2/")
API_URLCONF = "masthead.antispam.api.urls"


class ApiHandler(WSGIHandler):
    def load_middleware(self, is_async: bool = False) -> None:
        self._view_middleware = []
        self._template_response_middleware = []
        self._exception_middleware = []
        self._middleware_chain = convert_exception_to_response(self._resolve_api)

    def _resolve_api(self, request):
        request.urlconf = API_URLCONF
        return self._get_response(request)


class ApiDispatcher:
    """WSGI application: the API's paths to :class:`ApiHandler`, the rest to ``site``."""

    def __init__(self, site) -> None:
        self.site = site
        self.api = ApiHandler()

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO", "").startswith(API_PREFIXES):
            return self.api(environ, start_response)
        return self.site(environ, start_response)
