"""A reader whose form fails the CSRF check gets a page saying what to do."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_a_form_sent_without_its_cookie_says_to_allow_cookies():
    reader = Client(enforce_csrf_checks=True)  # cookies blocked: no csrftoken cookie is sent
    response = reader.post("/privacy/", {"email": "me@example.net", "action": "export"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "Your form was not sent" in page
    assert "Allow cookies for this site" in page
    assert "CSRF verification failed" not in page  # Django's page for developers
    assert response["Cache-Control"] == "private, no-store"


def test_a_stale_token_says_to_reload(settings):
    reader = Client(enforce_csrf_checks=True)
    reader.get("/privacy/")  # sets the cookie
    response = reader.post(
        "/privacy/", {"email": "me@example.net", "csrfmiddlewaretoken": "x" * 64}
    )
    assert response.status_code == 403
    assert "reload the page and send the form again" in response.content.decode()


def test_developers_keep_djangos_explanation(settings):
    settings.DEBUG = True
    response = Client(enforce_csrf_checks=True).post("/privacy/", {"email": "me@example.net"})
    assert response.status_code == 403
    assert "CSRF verification failed" in response.content.decode()


def test_favicon_ico_sends_browsers_to_the_sites_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].startswith("/static/masthead/favicon")
    assert response["Location"].endswith(".svg")
