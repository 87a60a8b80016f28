"""A web process compiles its templates and imports its views before its first reader."""

from __future__ import annotations

import logging

import pytest
from django.template import engines

from masthead.core.warmup import warm_up


def _jinja():
    return next(engine.env for engine in engines.all() if hasattr(engine, "env"))


def _compiled(env) -> set[str]:
    return {name for _loader, name in env.cache}


def test_every_reader_template_is_compiled_before_the_first_request():
    env = _jinja()
    env.cache.clear()
    warm_up()
    compiled = _compiled(env)
    assert {"base.html", "newsroom/article.html", "discussion/section.html"} <= compiled
    assert compiled == {name for name in env.list_templates() if name.endswith(".html")}


@pytest.fixture
def own_templates(settings, tmp_path):
    """A directory of the site's own reader templates, searched first (as TEMPLATES_DIR)."""
    jinja = next(t for t in settings.TEMPLATES if t["BACKEND"].endswith("Jinja2"))
    settings.TEMPLATES = [
        {**t, "DIRS": [tmp_path, *t["DIRS"]]} if t is jinja else t for t in settings.TEMPLATES
    ]
    return tmp_path


def test_a_template_that_does_not_compile_is_logged_and_the_rest_still_are(own_templates, caplog):
    (own_templates / "broken.html").write_text("{% if %}")
    (own_templates / "fine.html").write_text("<p>{{ 1 + 1 }}</p>")
    with caplog.at_level(logging.WARNING, logger="masthead"):
        warm_up()
    assert "broken.html does not compile" in caplog.text
    assert {"fine.html", "newsroom/article.html"} <= _compiled(_jinja())


def test_the_site_and_the_api_resolve_addresses_with_their_url_configurations_loaded():
    from django.urls import clear_url_caches, get_resolver

    from masthead.antispam.api.wsgi import API_URLCONF

    clear_url_caches()
    warm_up(urlconfs=(None, API_URLCONF))
    for urlconf in (None, API_URLCONF):
        assert get_resolver(urlconf)._populated  # reverse tables built, views imported


def test_gunicorns_master_freezes_what_it_loaded_before_forking():
    import gc

    from masthead.core.gunicorn_config import when_ready

    try:
        when_ready(server=None)
        assert gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()


def test_a_template_file_not_in_utf8_is_logged_too(own_templates, caplog):
    (own_templates / "latin1.html").write_bytes("<p>caf\xe9</p>".encode("latin-1"))
    with caplog.at_level(logging.WARNING, logger="masthead"):
        warm_up()
    assert "latin1.html does not compile" in caplog.text
