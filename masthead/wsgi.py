import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masthead.settings")

site_application = get_wsgi_application()

from masthead.antispam.api.wsgi import API_URLCONF, ApiDispatcher  # noqa: E402  (needs Django)
from masthead.core.pagecache import PageCacheApplication  # noqa: E402
from masthead.core.warmup import warm_up  # noqa: E402

# The Akismet-compatible API (/1.1/, /1.2/) skips the page cache and the site's middleware
# (see masthead/antispam/api/wsgi.py); cached pages for anonymous readers are answered
# before Django builds a request.
application = ApiDispatcher(PageCacheApplication(site_application))

# Imports and compiled templates, before the first reader rather than during that request
# (masthead/core/warmup.py).
warm_up(urlconfs=(None, API_URLCONF))
