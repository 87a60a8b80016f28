"""Text clean-up and link parsing shared by the feature extractors.

Comments arrive as plain text, as HTML (YouTube exports, WordPress imports) or with HTML
entities left in; links arrive as ``<a href>``, bare ``http://`` URLs, ``www.`` hosts or bare
domains (``murdev.com``). ``clean_text`` turns all of that into one plain text plus the list
of links it held.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass

__all__ = ["Link", "clean_text", "page_key", "parse_link", "registered_domain", "url_host"]

_HREF = re.compile(r"""<a\s[^>]*?href\s*=\s*["']([^"']{1,2000})["'][^>]*>""", re.IGNORECASE)
_BREAK = re.compile(r"<\s*(?:br|p|div|li)\b[^>]{0,200}>", re.IGNORECASE)
_TAG = re.compile(r"</?[a-zA-Z][^<>]{0,500}>")
_SPACES = re.compile(r"[^\S\n]{2,}")
_INVISIBLE = dict.fromkeys(map(ord, "\ufeff\u200b\u200c\u200d\u2060\u00ad"), None)
_TLDS = (
    "com|net|org|info|biz|co|io|me|tv|ly|gl|be|us|uk|ca|au|in|br|fr|es|it|nl|pl|ro|ru|de|"
    "eu|xyz|online|site|club|top|shop|store|app|blog|live|link|click|tk|ml|ga|cf"
)
# Scheme or www. links, then bare host names ending in a common TLD (murdev.com).
URL_PATTERN = re.compile(
    r"(?:https?://|www\.)[^\s<>\"'()\[\]{}]+"
    r"|\b(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:" + _TLDS + r")\b(?:/[^\s<>\"']*)?",
    re.IGNORECASE,
)
# Second-level labels under which a registrar sells names (example.co.uk, example.com.br).
_SECOND_LEVEL = frozenset({"co", "com", "org", "net", "ac", "gov", "edu", "or", "ne", "go"})


@dataclass(frozen=True, slots=True)
class Link:
    """A link found in a comment: its host and what follows it."""

    host: str
    domain: str
    tld: str
    path: str
    query: str


def clean_text(raw: str, max_chars: int = 5000) -> tuple[str, list[str]]:
    """Return the comment as plain text and the links it contains (hrefs first).

    HTML tags are dropped (link targets kept), entities decoded, invisible characters
    removed and the text NFKC-normalised; the text is cut at ``max_chars``.
    """
    text = raw[: max_chars * 2]
    links: list[str] = []
    if "<" in text:
        links.extend(html.unescape(m) for m in _HREF.findall(text))
        text = _BREAK.sub("\n", text)
        text = _TAG.sub(" ", text)
    if "&" in text:
        text = html.unescape(text)
    text = unicodedata.normalize("NFKC", text.translate(_INVISIBLE))
    text = _SPACES.sub(" ", text)[:max_chars]
    seen = set(links)
    for match in URL_PATTERN.finditer(text):
        url = match.group(0).rstrip(".,;:!?")
        if url not in seen:
            seen.add(url)
            links.append(url)
    return text, links


def registered_domain(host: str) -> str:
    """Return the name a registrant owns: ``www.shop.example.co.uk`` → ``example.co.uk``."""
    labels = [label for label in host.lower().strip(".").split(".") if label]
    if len(labels) <= 2:
        return ".".join(labels)
    if labels[-2] in _SECOND_LEVEL and len(labels[-1]) == 2:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def parse_link(url: str) -> Link | None:
    """Split a URL (with or without scheme) into host, domain, TLD, path and query."""
    rest = url.strip()
    if "://" in rest[:12]:
        rest = rest.split("://", 1)[1]
    host_end = len(rest)
    for sep in "/?#":
        pos = rest.find(sep)
        if pos != -1:
            host_end = min(host_end, pos)
    host = rest[:host_end].rsplit("@", 1)[-1].split(":", 1)[0].lower().strip(".")
    if not host or "." not in host:
        return None
    tail = rest[host_end:]
    path, _, query = tail.partition("?")
    domain = registered_domain(host)
    if domain == "youtu.be":  # YouTube's short share links: youtu.be/ID = watch?v=ID
        domain, host = "youtube.com", "youtube.com"
        query = "v=" + path.strip("/") + ("&" + query if query else "")
        path = "/watch"
    return Link(
        host=host,
        domain=domain,
        tld=host.rsplit(".", 1)[-1],
        path=path.split("#", 1)[0],
        query=query.split("#", 1)[0],
    )


def page_key(url: str) -> str:
    """Identify the page a URL points to, ignoring scheme, ``www.``, fragments and most of
    the query (YouTube's ``v=`` is kept): two links to the same page get the same key."""
    link = parse_link(url)
    if link is None:
        return ""
    key = link.domain + "/" + link.path.strip("/")
    for param in link.query.split("&"):
        if param.startswith(("v=", "p=", "id=")):
            key += "?" + param
            break
    return key


def url_host(url: str) -> str:
    """The registered domain of a URL, or "" when it has none."""
    link = parse_link(url)
    return link.domain if link else ""
