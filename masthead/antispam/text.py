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

__all__ = [
    "Link",
    "clean_text",
    "deobfuscate",
    "page_key",
    "parse_link",
    "registered_domain",
    "url_host",
]

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
# Obfuscated links and words: "site . com", "site(dot)com", "w w w", "you[tube]", a bare
# "watch?v=ID", letters spaced out ("s u b s c r i b e"), digits for letters ("ch3ck").
# (Each pattern starts where it is cheap to fail, and each is tried only when a quick test
# finds a hint of it: this runs on every comment checked.)
_SPACED_DOT = re.compile(
    r"(?<=[a-z0-9-]{2})(?:\s*[.,]\s+|\s+[.,]\s*|\s*[(\[]\s*dot\s*[)\]]\s*|\s+dot\s+)"
    r"((?-i:com|net|org|info|biz))\b",
    re.IGNORECASE,
)
# What any match of it ends with: a space, " ." or a bracket, then the TLD (plain substring
# tests: a regular expression scanning for them costs as much as the pattern).
_SPACED_DOT_HINTS = tuple(
    sep + tld
    for tld in ("com", "net", "org", "info", "biz")
    for sep in (" ", "\n", "\t", " .", " ,", ")", "]")
)
_SPACED_WWW = re.compile(r"\bw\s*w\s*w\s*(?:\.|\(dot\)|\s)\s*(?=[a-z0-9])", re.IGNORECASE)
_BRACKETED = re.compile(r"(?<=\w)[\[(](\w+)[\])]")
_BARE_WATCH = re.compile(r"(?<![\w./])/?(watch\?v=[\w-]{6,})")
_SPACED_LETTERS = re.compile(r"(?<!\w)(?:[^\W\d_] ){3,}[^\W\d_](?!\w)")
# Words standing alone (not the random ids in links, "gvr7xg") with a digit or two for
# letters inside them: "ch3ck", "subscr1be", "m0ney"; not "mp3s", "4you", "b2b".
_LEET_WORD = re.compile(
    r"(?<![\w@$/.=?&%#-])[a-z]+[013578@$]{1,2}[a-z]{2,}(?:[013578@$]?[a-z]+)*(?![\w@$/.=?&%#-])",
    re.IGNORECASE,
)
_LEET = str.maketrans("013578@$", "oieslbas")
# Letters of other scripts that look like Latin ones, used inside Latin words.
_CONFUSABLE = str.maketrans(
    "\u0430\u0435\u043e\u0440\u0441\u0443\u0445\u0456\u0455\u0458\u0501"
    "\u03b1\u03b5\u03bf\u03c1\u03ba\u03bd\u03c4\u03c5\u03b9",
    "aeopcyxisjdaeopkntui",
)
_MIXED_SCRIPT = re.compile(r"\w*[a-zA-Z]\w*")

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


def clean_text(raw: str, max_chars: int = 5000, *, plain: bool = False) -> tuple[str, list[str]]:
    """Return the comment as plain text and the links it contains (hrefs first).

    HTML tags are dropped (link targets kept), entities decoded, invisible characters
    removed and the text NFKC-normalised; the text is cut at ``max_chars``. With ``plain``,
    obfuscation is undone too (see ``deobfuscate``).
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
    if plain:
        text = deobfuscate(text)
    seen = set(links)
    for match in URL_PATTERN.finditer(text):
        url = match.group(0).rstrip(".,;:!?")
        if url not in seen:
            seen.add(url)
            links.append(url)
    return text, links


def deobfuscate(text: str) -> str:
    """Undo the usual disguises of links and words, so they read as what they are."""
    if not text.isascii():
        text = _MIXED_SCRIPT.sub(lambda m: m.group(0).translate(_CONFUSABLE), text)
    lowered = text.lower()
    if "w w" in lowered or "www" in lowered:
        text = _SPACED_WWW.sub("www.", text)
    if any(hint in text for hint in _SPACED_DOT_HINTS):
        text = _SPACED_DOT.sub(r".\1", text)
    if "[" in text or "(" in text:
        text = _BRACKETED.sub(r"\1", text)
    if "watch?v=" in text:
        text = _BARE_WATCH.sub(r"youtube.com/\1", text)
    text = _SPACED_LETTERS.sub(lambda m: m.group(0).replace(" ", ""), text)
    if any(digit in text for digit in "013578@$"):
        text = _LEET_WORD.sub(_unleet, text)
    return text


def _unleet(match: re.Match[str]) -> str:
    word = match.group(0)
    if not (word.islower() or word.isupper() or word[1:].islower()):
        return word  # mixed case: an id or a code, not a word
    plain = word.translate(_LEET)
    return plain.upper() if word.isupper() else plain


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
