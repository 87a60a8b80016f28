import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masthead.settings")

from masthead.core.pagecache import PageCacheApplication

# Cached pages for anonymous readers are answered before Django builds a request.
application = PageCacheApplication(get_wsgi_application())
