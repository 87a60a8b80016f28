"""Small conversions shared by the importers: dates, slugs, addresses."""

from __future__ import annotations

import hashlib
import ipaddress
import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import parse_qs, unquote, urlsplit

from masthead.core.slugs import ascii_slug

_WP_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?")


def parse_wp_date(value: str) -> datetime | None:
    """``2024-06-05 16:04:48`` (taken as UTC) → aware datetime; ``0000-00-00 …`` → None."""
    match = _WP_DATE.match((value or "").strip())
    if not match:
        return None
    year, month, day, hour, minute, second = (int(part or 0) for part in match.groups())
    if year == 0:
        return None
    try:
        return datetime(year, month, day, hour, minute, second, tzinfo=UTC)
    except ValueError:
        return None


def parse_rfc822(value: str) -> datetime | None:
    """An RSS ``pubDate`` such as ``Wed, 05 Jun 2024 16:04:48 +0000`` → aware datetime."""
    try:
        parsed = parsedate_to_datetime((value or "").strip())
    except (TypeError, ValueError, IndexError):
        return None
    if parsed is None or parsed.year < 1971:  # "Thu, 01 Jan 1970" marks a draft's empty date
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def parse_iso(value: str) -> datetime | None:
    """``2013-10-10T19:20:29Z`` → aware datetime."""
    try:
        parsed = datetime.fromisoformat((value or "").strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def short_digest(value: str, length: int = 12) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()[:length]


def make_slug(*candidates: str, fallback: str, max_length: int = 200) -> str:
    """The first candidate that gives an ASCII slug (percent-encoded WordPress slugs decoded,
    other scripts transliterated: ``%d0%bc%d0%be%d1%81%d1%82`` gives ``most``)."""
    for candidate in candidates:
        if slug := ascii_slug(unquote(candidate or ""), max_length):
            return slug
    return ascii_slug(fallback, max_length) or short_digest(fallback)


def site_key(*urls: str) -> str:
    """``https://Old.Example.org/blog/`` → ``old.example.org/blog``: the same site over http or
    https, with or without ``www.``, is the same source."""
    for url in urls:
        parts = urlsplit((url or "").strip())
        host = (parts.hostname or "").lower()
        if host:
            host = host.removeprefix("www.")
            port = f":{parts.port}" if parts.port else ""
            return f"{host}{port}{parts.path.rstrip('/')}"[:190]
    return ""


def url_path(url: str) -> str:
    """The decoded path of ``url`` (as Django's ``request.path`` has it), "" if none."""
    path = urlsplit((url or "").strip()).path
    return unquote(path) if path.startswith("/") else ""


def query_post_id(url: str) -> str:
    """``https://example.org/?p=19`` → ``"19"`` (also ``page_id``); "" if there is none."""
    query = parse_qs(urlsplit((url or "").strip()).query)
    for key in ("p", "page_id"):
        values = query.get(key)
        if values and values[0].isdigit():
            return values[0]
    return ""


def anonymise_ip(value: str) -> str:
    """Keep the network, drop the host: IPv4 /24, IPv6 /48. Anything else is dropped."""
    try:
        address = ipaddress.ip_address((value or "").strip())
    except ValueError:
        return ""
    if address.version == 6 and address.ipv4_mapped:
        address = address.ipv4_mapped
    prefix = 24 if address.version == 4 else 48
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False).network_address)


def clip(value: str, limit: int) -> str:
    value = (value or "").strip()
    return value if len(value) <= limit else value[: limit - 1].rstrip() + "…"


def clean_email(value: str) -> str:
    value = (value or "").strip()
    return value if "@" in value and len(value) <= 100 and " " not in value else ""


def clean_url(value: str) -> str:
    value = (value or "").strip()
    return value if re.match(r"^https?://", value, re.I) and len(value) <= 200 else ""
