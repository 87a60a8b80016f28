"""The Akismet-compatible API, at the paths Akismet uses (``/1.1/…`` and ``/1.2/…``)."""

from django.urls import path

from masthead.antispam.api import views

urlpatterns = [
    path("1.1/verify-key", views.verify_key, name="akismet-verify-key"),
    path("1.1/comment-check", views.comment_check, name="akismet-comment-check"),
    path("1.1/submit-spam", views.submit_spam, name="akismet-submit-spam"),
    path("1.1/submit-ham", views.submit_ham, name="akismet-submit-ham"),
    path("1.2/usage-limit", views.usage_limit, name="akismet-usage-limit"),
    path("1.2/key-sites", views.key_sites, name="akismet-key-sites"),
]
