"""Reading Akismet API requests: form-encoded bodies as real clients send them.

Parsed by hand rather than through Django's ``request.POST`` so that a body over 64 KB is
refused before it is read, invalid UTF-8 is refused instead of being silently replaced, and
``comment_context[]`` / ``comment_context[0]`` arrays (PHP's ``http_build_query``) are kept.
Only the fields the API uses are read; the many others WordPress's plugin sends (``POST_*``,
``HTTP_*``, ``REMOTE_ADDR``, ``comment_post_ID``...) are ignored.
"""

from __future__ import annotations

import codecs
import ipaddress
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import unquote_to_bytes

from masthead.antispam.samples import CommentSample

MAX_BODY = 64 * 1024
MAX_FIELDS = 1000
_ARRAY = re.compile(r"^([A-Za-z0-9_]+)\[[0-9]*\]$")
# Lengths kept of each field: enough for any real comment, bounded for everything else.
LIMITS = {
    "comment_content": MAX_BODY, "comment_author": 245, "comment_author_email": 254,
    "comment_author_url": 500, "user_agent": 500, "referrer": 500, "permalink": 500,
    "comment_type": 40, "blog": 500, "user_ip": 64, "user_role": 200, "recheck_reason": 200,
}  # fmt: skip


class BadRequest(ValueError):
    """The request cannot be used; the message says why (sent as X-akismet-debug-help)."""


# The fields the API reads; every other field is skipped without being decoded.
USED = frozenset(LIMITS) | {
    "api_key", "key", "is_test", "honeypot_field_name", "hidden_honeypot_field",
    "comment_date_gmt", "comment_post_modified_gmt", "blog_lang", "blog_charset", "guid",
    "month", "format", "order", "limit", "offset", "filter",
}  # fmt: skip
ARRAYS = frozenset({"comment_context"})


@dataclass
class Params:
    values: dict[str, str] = field(default_factory=dict)
    arrays: dict[str, list[str]] = field(default_factory=dict)
    # Fields the API does not read, still URL-encoded (a honeypot field is looked up here).
    others: dict[str, bytes] = field(default_factory=dict)

    def get(self, name: str, default: str = "") -> str:
        value = self.values.get(name, default)
        limit = LIMITS.get(name)
        return value[:limit] if limit else value

    def other(self, name: str) -> str | None:
        raw = self.others.get(name)
        return None if raw is None else _unquote(raw).decode("utf-8", "replace")

    def flag(self, name: str) -> bool:
        return self.values.get(name, "").strip().lower() in {"1", "true", "yes"}


def _unquote(raw: bytes) -> bytes:
    if b"%" not in raw and b"+" not in raw:
        return raw
    return unquote_to_bytes(raw.replace(b"+", b" "))


def _pairs(raw: bytes) -> list[tuple[str, bytes]]:
    """(name, value still URL-encoded) pairs; names as ASCII (real field names are)."""
    pairs = []
    for chunk in raw.split(b"&"):
        if not chunk:
            continue
        name, _, value = chunk.partition(b"=")
        pairs.append((_unquote(name).decode("ascii", "replace"), value))
        if len(pairs) > MAX_FIELDS:
            raise BadRequest(f"The request has more than {MAX_FIELDS} fields.")
    return pairs


def _codec(pairs: list[tuple[str, bytes]], content_type: str) -> str:
    """UTF-8, unless the client names another charset (``blog_charset`` or Content-Type)."""
    declared = ""
    for name, value in pairs:
        if name == "blog_charset":
            declared = _unquote(value).decode("ascii", "replace").strip()
            break
    if not declared and "charset=" in content_type:
        declared = content_type.split("charset=", 1)[1].split(";")[0].strip().strip('"')
    if not declared or declared.lower() in {"utf-8", "utf8"}:
        return "utf-8"
    try:
        return codecs.lookup(declared).name
    except LookupError:
        return "utf-8"


def parse(body: bytes, query: bytes = b"", content_type: str = "") -> Params:
    """Fields of the query string, then of the body (a body value wins). Only the fields
    the API reads are decoded, strictly, in the client's charset."""
    if len(body) > MAX_BODY:
        raise BadRequest(f"The request body is larger than {MAX_BODY // 1024} KB.")
    if content_type.lower().startswith("multipart/"):
        raise BadRequest("Send the fields as application/x-www-form-urlencoded.")
    pairs = _pairs(query) + _pairs(body)
    codec = _codec(pairs, content_type)
    params = Params()
    for name, raw_value in pairs:
        match = _ARRAY.match(name) if name.endswith("]") else None
        key = match.group(1) if match else name
        if key not in USED and key not in ARRAYS:
            params.others[name] = raw_value
            continue
        try:
            value = _unquote(raw_value).decode(codec)
        except UnicodeDecodeError as err:
            label = "UTF-8" if codec == "utf-8" else f"{codec} (as blog_charset says)"
            raise BadRequest(f"The field {name[:40]!r} is not valid {label}.") from err
        if match:
            params.arrays.setdefault(key, []).append(value[:200])
        else:
            params.values[name] = value
    return params


def parse_date(value: str) -> datetime | None:
    """ISO 8601 or ``YYYY-MM-DD HH:MM:SS`` (read as UTC); None when it is neither."""
    value = value.strip()
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def roles(value: str) -> frozenset[str]:
    return frozenset(part.strip().lower() for part in value.split(",") if part.strip())


def require_ip(params: Params) -> str:
    ip = params.get("user_ip").strip()
    if not ip:
        raise BadRequest("Missing required field: user_ip (the commenter's IP address).")
    try:
        return str(ipaddress.ip_address(ip))
    except ValueError as err:
        raise BadRequest(f"user_ip {ip[:64]!r} is not an IP address.") from err


def sample(params: Params) -> CommentSample:
    """The comment as the classifier sees it. The API gets no story text: the tags and
    categories of ``comment_context[]`` are too short a stand-in (a genuine comment that
    names none of them would look off-topic), so relatedness stays neutral."""
    return CommentSample(
        comment_content=params.get("comment_content"),
        comment_author=params.get("comment_author"),
        comment_author_email=params.get("comment_author_email"),
        comment_author_url=params.get("comment_author_url"),
        user_ip=params.get("user_ip"),
        user_agent=params.get("user_agent"),
        referrer=params.get("referrer"),
        permalink=params.get("permalink"),
        comment_type=params.get("comment_type"),
    )


def honeypot(params: Params) -> str | None:
    """The value of the client's hidden field, when it names one."""
    name = params.get("honeypot_field_name").strip()
    if not name:
        return None
    value = params.get(name) if name in USED else params.other(name)
    return value if value is not None else params.get("hidden_honeypot_field")
