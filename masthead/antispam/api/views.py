"""The Akismet-compatible REST API, answering as Akismet documents it.

``POST /1.1/verify-key``, ``/1.1/comment-check``, ``/1.1/submit-spam``, ``/1.1/submit-ham``,
``GET /1.2/usage-limit`` and ``/1.2/key-sites``. Answers are plain text (``true``, ``false``,
``valid``, ``invalid``, "Thanks for making the web a better place.") or JSON. A request that
cannot be used answers ``invalid`` with HTTP 200 and the reason in ``X-akismet-debug-help``;
nothing a client sends produces a server error. docs/akismet-api.md has a page per endpoint.
"""

from __future__ import annotations

import functools
import json
import logging
import uuid
from datetime import date

from django.http import HttpResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from masthead.antispam import learning, selectors
from masthead.antispam.api import params as p
from masthead.antispam.guards import Candidate, _count
from masthead.antispam.keys import KeyInfo, lookups
from masthead.antispam.models import KEY_LENGTH, DailyCount, SpamDecision, site_host
from masthead.antispam.pipeline import spam_assess
from masthead.antispam.stats import buffer

logger = logging.getLogger("masthead.antispam.api")

THANKS = "Thanks for making the web a better place."
RETRY_SECONDS = 60


def _text(body: str, status: int = 200, headers: dict[str, str] | None = None) -> HttpResponse:
    response = HttpResponse(body, status=status, content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _invalid(reason: str, status: int = 200, headers: dict[str, str] | None = None):
    return _text("invalid", status, {"X-akismet-debug-help": reason, **(headers or {})})


def api_view(*methods: str):
    """Parse the request, turn every problem into an ``invalid`` answer, never a 500."""

    def decorator(view):
        @csrf_exempt
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method not in methods:
                return _invalid(
                    f"Use {' or '.join(methods)} for this endpoint.",
                    405,
                    {"Allow": ", ".join(methods)},
                )
            try:
                return view(request, _read(request), *args, **kwargs)
            except p.BadRequest as err:
                return _invalid(str(err))
            except Exception:
                logger.exception("Akismet API call to %s failed", request.path)
                return _invalid(
                    "The server could not answer; try again later.", 503,
                    {"Retry-After": str(RETRY_SECONDS)},
                )  # fmt: skip

        return wrapper

    return decorator


def _read(request) -> p.Params:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError as err:
        raise p.BadRequest("The Content-Length header is not a number.") from err
    if length > p.MAX_BODY:
        raise p.BadRequest(f"The request body is larger than {p.MAX_BODY // 1024} KB.")
    body = request.read(p.MAX_BODY + 1) if request.method == "POST" else b""
    query = request.META.get("QUERY_STRING", "").encode("latin-1", "replace")
    return p.parse(body, query, request.META.get("CONTENT_TYPE", ""))


def _key_text(request, params: p.Params) -> str:
    """The key from ``api_key`` (or ``key``), else from a ``KEY.host`` Host header, which
    WordPress's plugin uses."""
    text = params.get("api_key").strip() or params.get("key").strip()
    if not text:
        label = request.META.get("HTTP_HOST", "").split(".", 1)[0].lower()
        text = label if len(label) == KEY_LENGTH else ""
    return text


def _authorise(request, params: p.Params) -> KeyInfo:
    text = _key_text(request, params)
    if not text:
        raise p.BadRequest("Missing required field: api_key.")
    key = lookups.get(text)
    if key is None or not key.is_active:
        raise p.BadRequest("Invalid API key. Ask the site's administrator for a valid one.")
    blog = params.get("blog").strip()
    if not blog:
        raise p.BadRequest("Missing required field: blog (the front page URL of your site).")
    if not key.serves(blog):
        raise p.BadRequest(f"This key is not for {blog[:100]}: it belongs to {key.site}.")
    return key


def _throttled(key: KeyInfo) -> HttpResponse | None:
    if key.rate_limit:
        minute = int(timezone.now().timestamp() // 60)
        if _count(f"antispam:rate:{key.id}:{minute}", 90) > key.rate_limit:
            return _invalid(
                f"This key is limited to {key.rate_limit} calls a minute; try again shortly.",
                429,
                {"Retry-After": str(RETRY_SECONDS)},
            )
    if key.monthly_limit is not None and selectors.month_usage(key.id) >= key.monthly_limit:
        return _invalid(
            f"This key has used its {key.monthly_limit} checks for this month.",
            429,
            {"Retry-After": str(3600)},
        )
    return None


@api_view("POST")
def verify_key(request, params: p.Params):
    text = _key_text(request, params)
    blog = params.get("blog").strip()
    if not text or not blog:
        missing = "key" if not text else "blog"
        return _invalid(f"Missing required field: {missing}.")
    key = lookups.get(text)
    if key is None or not key.is_active:
        return _invalid("This key is not known, or was revoked.")
    if not key.serves(blog):
        return _invalid(f"This key is not for {blog[:100]}: it belongs to {key.site}.")
    return _text("valid")


@api_view("POST")
def comment_check(request, params: p.Params):
    guid = str(uuid.uuid4())
    try:
        key = _authorise(request, params)
        ip = p.require_ip(params)
    except p.BadRequest as err:
        return _invalid(str(err), headers={"X-akismet-guid": guid})
    if refused := _throttled(key):
        return refused
    is_test = params.flag("is_test")
    assessment = spam_assess(
        Candidate(
            sample=p.sample(params),
            source="api",
            now=timezone.now(),
            user_roles=p.roles(params.get("user_role")),
            honeypot=p.honeypot(params),
            api_key_id=key.id,
            is_test=is_test,
            context=params.arrays.get("comment_context", []),
        )
    )
    assessment.guid = guid
    headers = {"X-akismet-guid": guid}
    if not assessment.classified:
        # Akismet clients hold a comment they could not get an answer for, and retry.
        return _invalid(
            "The spam model is unavailable, so the comment was not checked. Hold it and "
            "check it again later.",
            503,
            {**headers, "X-akismet-error": "model unavailable", "Retry-After": str(RETRY_SECONDS)},
        )
    spam = assessment.action in ("spam", "discard")
    if not is_test:
        buffer.usage(key.id, site_host(params.get("blog")), "checks", "spam" if spam else "ham")
    if assessment.action == "discard":
        headers["X-akismet-pro-tip"] = "discard"
    logger.debug("comment-check %s from %s: %s", guid, ip, assessment.action)
    return _text("true" if spam else "false", headers=headers)


def _submit(request, params: p.Params, *, is_spam: bool) -> HttpResponse:
    key = _authorise(request, params)
    p.require_ip(params)
    if refused := _throttled(key):
        return refused
    if not params.flag("is_test"):
        learning.decision_record(
            sample=p.sample(params),
            is_spam=is_spam,
            source=SpamDecision.Source.API,
            api_key_id=key.id,
        )
        field = "missed_spam" if is_spam else "false_positives"
        buffer.usage(key.id, site_host(params.get("blog")), field)
        buffer.day(DailyCount.Source.API, "missed" if is_spam else "false_positives")
    return _text(THANKS)


@api_view("POST")
def submit_spam(request, params: p.Params):
    return _submit(request, params, is_spam=True)


@api_view("POST")
def submit_ham(request, params: p.Params):
    return _submit(request, params, is_spam=False)


def _key_only(request, params: p.Params) -> KeyInfo:
    text = _key_text(request, params)
    if not text:
        raise p.BadRequest("Missing required field: api_key.")
    key = lookups.get(text)
    if key is None:
        raise p.BadRequest("Invalid API key.")
    return key


def _json(data: object) -> HttpResponse:
    response = HttpResponse(json.dumps(data), content_type="application/json")
    response["Cache-Control"] = "private, no-store"
    return response


@api_view("GET", "POST")
def usage_limit(request, params: p.Params):
    key = _key_only(request, params)
    return _json(selectors.usage_limit(key))


@api_view("GET", "POST")
def key_sites(request, params: p.Params):
    key = _key_only(request, params)
    month_text = params.get("month").strip()
    try:
        month = (
            date.fromisoformat(month_text + "-01")
            if month_text
            else timezone.localdate().replace(day=1)
        )
        limit = int(params.get("limit") or 500)
        offset = int(params.get("offset") or 0)
    except ValueError as err:
        raise p.BadRequest("month is YYYY-MM; limit and offset are whole numbers.") from err
    if limit < 0 or offset < 0:
        raise p.BadRequest("limit and offset cannot be negative.")
    report = selectors.key_sites(
        key,
        month=month,
        url_filter=params.get("filter").strip(),
        order=params.get("order").strip() or "total",
        limit=min(limit, 5000),
        offset=offset,
    )
    if params.get("format").strip().lower() == "csv":
        return _text(selectors.key_sites_csv(report, key_label=_key_text(request, params)))
    return _json(report.as_json())
