"""A web process compiles its templates and imports its views before its first reader."""

from __future__ import annotations

import logging

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


def test_a_template_that_does_not_compile_is_logged_and_the_rest_still_are(
    settings, tmp_path, caplog
):
    (tmp_path / "broken.html").write_text("{% if %}")
    (tmp_path / "fine.html").write_text("<p>{{ 1 + 1 }}</p>")
    jinja = next(t for t in settings.TEMPLATES if t["BACKEND"].endswith("Jinja2"))
    settings.TEMPLATES = [
        {**t, "DIRS": [tmp_path, *t["DIRS"]]} if t is jinja else t for t in settings.TEMPLATES
    ]
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


def test_what_the_site_loads_at_start_is_left_out_of_garbage_collection(tmp_path):
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(
        MASTHEAD_VAR_DIR=str(tmp_path),
        SECRET_KEY="warmup-" + "x" * 40,
        DEBUG="false",
        DATABASE_URL=f"sqlite:///{tmp_path / 'site.sqlite3'}",
        DJANGO_SETTINGS_MODULE="masthead.settings",
    )
    code = "import gc, sys, masthead.wsgi; print(gc.get_freeze_count(), 'sklearn' in sys.modules)"
    frozen, imported = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    assert int(frozen) > 50_000
    assert imported == "True"
