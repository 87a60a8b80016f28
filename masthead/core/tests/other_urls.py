"""A second URLconf for the reversing tests: the same names at other addresses."""

from django.http import HttpResponse
from django.urls import include, path


def view(request, **kwargs):
    return HttpResponse()


urlpatterns = [
    path("elsewhere/", include(([path("t/<slug:slug>/", view, name="tag")], "newsroom"))),
]
