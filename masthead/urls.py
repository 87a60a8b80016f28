from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve

from masthead.core import views as core_views

admin.site.site_header = "Masthead newsroom"
admin.site.site_title = "Masthead"
admin.site.index_title = "Newsroom"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("favicon.ico", core_views.favicon, name="favicon"),
    # The Akismet-compatible API; masthead.wsgi sends these paths past the middleware.
    path("", include("masthead.antispam.api.urls")),
    path("", include("masthead.syndication.urls")),
    path("", include("masthead.newsroom.urls")),
    path("", include("masthead.discussion.urls")),
]

if (
    settings.MEDIA_URL.startswith("/")
    and not settings.MEDIA_S3_BUCKET
    and getattr(settings, "MASTHEAD_SERVE_MEDIA", True)
):
    # Uploaded images, for a single-machine site; behind nginx, let it serve /media/ instead.
    media_prefix = settings.MEDIA_URL.strip("/")
    urlpatterns.append(
        path(f"{media_prefix}/<path:path>", serve, {"document_root": settings.MEDIA_ROOT})
    )
