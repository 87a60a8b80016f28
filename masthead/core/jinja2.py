"""The Jinja2 environment of the reader pages (the first engine in ``settings.TEMPLATES``).

Reader pages are Jinja2 templates in ``masthead/jinja2/`` and each app's ``jinja2/``
directory; the admin and emails stay Django templates. This module gives the templates what
Django's tags and filters gave them, with Django's meaning:

- globals: ``static``, ``url`` (``reverse``), and each app's functions for the page parts it
  renders in Python (cards, pictures, share links, related stories, comments);
- filters: ``date`` (in the site's time zone, Django's format characters), ``pluralize``,
  ``default_if_none``, ``truncatechars``, and ``comment_html``;
- escaping: everything printed is escaped exactly as Django escapes it (``&#x27;`` and
  ``&quot;``, like the parts rendered in Python), and values Django marked safe
  (``mark_safe``, ``format_html``, forms) are printed as they are.

Django's own backend adds ``request``, ``csrf_input``, ``csrf_token`` and the context
processors' values to every page's context.
"""

from __future__ import annotations

from functools import lru_cache
from html import escape as html_escape

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.template import defaultfilters
from django.templatetags.static import static as django_static
from django.utils.safestring import SafeString
from django.utils.timezone import template_localtime
from jinja2 import Environment, pass_eval_context

from masthead.core.reversing import reverse
from masthead.discussion import templating as discussion
from masthead.discussion.rendering import comment_html
from masthead.newsroom import templating as newsroom
from masthead.newsroom.cards import picture_html
from masthead.related import templating as related
from masthead.syndication.html import article_meta_html, share_html
from masthead.syndication.structured import absolute


def environment(**options) -> Environment:
    """Django's Jinja2 backend calls this with the engine's OPTIONS and its loader."""
    if options.pop("autoescape", True) is not True:
        raise ImproperlyConfigured(
            "Reader pages show text from writers and commenters, so the Jinja2 engine must "
            "escape it: remove 'autoescape' from its OPTIONS in settings.TEMPLATES, or set it "
            "to True."
        )
    options.setdefault("keep_trailing_newline", True)  # as Django templates keep it
    env = Environment(autoescape=True, finalize=_escape_as_django, **options)
    env.globals.update(
        static=static,
        url=url,
        picture=picture_html,
        card=newsroom.card,
        article_meta=article_meta_html,
        share=share_html,
        absolute_url=absolute,
        related_body=related.related_body,
        related_stories=related.related_stories,
        comment_section=discussion.comment_section,
        comment_items=discussion.comment_items,
        comment_form_token=discussion.comment_form_token,
    )
    env.filters.update(
        date=date,
        pluralize=defaultfilters.pluralize,
        default_if_none=defaultfilters.default_if_none,
        truncatechars=defaultfilters.truncatechars,
        comment_html=comment_html,
    )
    return env


def url(viewname: str, *args, **kwargs) -> str:
    """``{{ url("newsroom:search") }}``, ``{{ url("syndication:tag-feed", tag.slug) }}``."""
    return reverse(viewname, args=args, kwargs=kwargs)


def static(path: str) -> str:
    """``{{ static("masthead/css/site.css") }}``: the file's address (its hashed name in
    production), worked out once per process: the manifest is read once at start-up anyway."""
    return _static(path, settings.STATIC_URL, settings.DEBUG)


@lru_cache(maxsize=256)
def _static(path: str, static_url: str, debug: bool) -> str:
    return django_static(path)


def date(value, format_string: str | None = None) -> str:
    """Django's ``date`` filter, in the site's time zone as Django templates show times:
    ``{{ article.published_at|date("j F Y, H:i") }}``, ``|date("c")``."""
    return defaultfilters.date(template_localtime(value), format_string)


@pass_eval_context
def _escape_as_django(eval_ctx, value):
    """What ``{{ value }}`` prints, before Jinja2's own escaping (which leaves Markup alone)."""
    if not eval_ctx.autoescape or hasattr(value, "__html__"):
        return value
    text = str(value)  # as Django prints a value: an object's __str__ may give a safe string
    if hasattr(text, "__html__"):
        return text
    return SafeString(html_escape(text))  # django.utils.html.escape, without its lazy wrapper
