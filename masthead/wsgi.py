import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masthead.settings")

site_application = get_wsgi_application()

from masthead.antispam.api.wsgi import ApiDispatcher  # noqa: E402  (needs Django set up)

# The Akismet-compatible API (/1.1/, /1.2/) skips the site's middleware; see its module.
application = ApiDispatcher(site_application)
