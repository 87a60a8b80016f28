"""WordPress post content to Masthead body HTML.

Three steps, each a small function: block-editor comment delimiters are removed, common
shortcodes are converted or stripped, and classic-editor text gets paragraphs from its blank
lines. The result still passes through ``sanitize_body`` when the article is saved.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from masthead.core.html import sanitize_body

# <!-- wp:paragraph {"align":"center"} -->, <!-- /wp:paragraph -->, <!-- wp:latest-posts /-->
BLOCK_DELIMITER = re.compile(r"<!--\s*/?wp:[a-z0-9/_-]+(?:\s+\{.*?\})?\s*/?-->\n?", re.S | re.I)
HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)


def has_blocks(content: str) -> bool:
    return bool(re.search(r"<!--\s*wp:", content or ""))


def remove_block_delimiters(content: str) -> str:
    """Drop the block editor's comment delimiters; the HTML between them is kept."""
    return BLOCK_DELIMITER.sub("", content)


# --- Shortcodes ----------------------------------------------------------------------------

_ATTRIBUTE = re.compile(r"""([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"']+))|("[^"]*"|\S+)""")

# Shortcodes whose output needs the old site (galleries, forms, polls, players): dropped,
# with whatever they enclose.
DROPPED = frozenset(
    {
        "gallery", "playlist", "contact-form", "contact-field", "polldaddy", "crowdsignal",
        "slideshow", "googlemaps", "instagram", "recipe", "archives", "sitemap", "wpforms",
        "contact-form-7", "ninja_form", "gravityform", "ad", "adsense", "wp_ad_camp_1",
    }
)  # fmt: skip
# Shortcodes that only wrap text (columns, layout): the tags go, the text stays.
UNWRAPPED = frozenset(
    {
        "column", "one_half", "one_third", "two_thirds", "one_fourth", "three_fourths",
        "one_half_last", "one_third_last", "row", "box", "note", "highlight", "dropcap",
        "pullquote", "private", "span", "section", "tab", "tabs", "accordion", "toggle",
    }
)  # fmt: skip
EMBEDS = frozenset(
    {"embed", "video", "audio", "youtube", "vimeo", "soundcloud", "wpvideo", "tweet", "twitter"}
)
CODE = frozenset({"code", "sourcecode", "source", "php", "html", "css", "javascript", "js"})


def parse_attributes(text: str) -> dict[str, str]:
    """``id="x" align='y' width=300 https://…`` → ``{"id": "x", …, "0": "https://…"}``."""
    attrs: dict[str, str] = {}
    position = 0
    for match in _ATTRIBUTE.finditer(text or ""):
        name, double, single, bare, positional = match.groups()
        if name:
            attrs[name.lower()] = html.unescape(
                next(v for v in (double, single, bare, "") if v is not None)
            )
        elif positional:
            attrs[str(position)] = html.unescape(positional.strip("\"'"))
            position += 1
    return attrs


def _shortcode_pattern(names: frozenset[str] | set[str]) -> re.Pattern:
    alternatives = "|".join(sorted((re.escape(n) for n in names), key=len, reverse=True))
    # [[escaped]] | [name attrs]inner[/name] | [name attrs /] | [name attrs]
    return re.compile(
        rf"\[\[(?:{alternatives})\b[^\]]*\]\]"
        rf"|\[(?P<name>{alternatives})\b(?P<attrs>[^\]]*?)(?P<selfclose>/)?\]"
        rf"(?:(?P<inner>.*?)\[/(?P=name)\])?",
        re.S | re.I,
    )


def _caption(attrs: dict[str, str], inner: str) -> str:
    caption = attrs.get("caption", "")
    inner = (inner or "").strip()
    if not caption:
        # The caption is the text after the image (or its link): "<a><img/></a> Caption".
        match = re.match(
            r"\s*((?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?)(.*)$", inner, re.S | re.I
        )
        if match:
            inner, caption = match.group(1), match.group(2)
    caption = caption.strip()
    figcaption = f"<figcaption>{caption}</figcaption>" if caption else ""
    return f"<figure>{inner.strip()}{figcaption}</figure>"


def _embed(attrs: dict[str, str], inner: str) -> str:
    url = (inner or "").strip() or attrs.get("src") or attrs.get("url") or attrs.get("0", "")
    for key in ("mp4", "webm", "ogv", "mp3", "ogg", "m4a", "wav", "id"):
        if not url and attrs.get(key):
            url = attrs[key]
    if not re.match(r"https?://", url or ""):
        return ""
    safe = html.escape(url, quote=True)
    return f'\n\n<p><a href="{safe}">{safe}</a></p>\n\n'


def _code(attrs: dict[str, str], inner: str) -> str:
    text = html.unescape(inner or "").strip("\n")
    return f"\n\n<pre><code>{html.escape(text, quote=False)}</code></pre>\n\n"


def convert_shortcodes(content: str) -> str:
    """Turn ``[caption]`` into a figure, embeds into links, code into ``<pre>``; drop the rest.

    Only shortcodes known to be common are touched: other bracketed text (``[sic]``, ``[1]``)
    is left alone, as WordPress itself leaves unregistered shortcodes.
    """
    handlers: dict[str, Callable[[dict[str, str], str], str]] = {
        "caption": _caption,
        "wp_caption": _caption,
        **dict.fromkeys(EMBEDS, _embed),
        **dict.fromkeys(CODE, _code),
        **dict.fromkeys(DROPPED, lambda attrs, inner: ""),
        **dict.fromkeys(UNWRAPPED, lambda attrs, inner: inner or ""),
    }
    pattern = _shortcode_pattern(set(handlers))

    def replace(match: re.Match) -> str:
        if match.group("name") is None:  # [[escaped]] stands for the literal [escaped]
            return match.group(0)[1:-1]
        name = match.group("name").lower()
        inner = match.group("inner") or ""
        if name in UNWRAPPED or name in {"caption", "wp_caption"}:
            inner = pattern.sub(replace, inner)
        return handlers[name](parse_attributes(match.group("attrs")), inner)

    return pattern.sub(replace, content)


# --- Paragraphs ----------------------------------------------------------------------------

BLOCK = frozenset(
    {
        "address", "article", "aside", "blockquote", "caption", "dd", "details", "div", "dl",
        "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4",
        "h5", "h6", "header", "hr", "legend", "li", "main", "nav", "ol", "p", "pre", "section",
        "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul", "iframe",
        "object", "video", "audio", "noscript", "script", "style",
    }
)  # fmt: skip
# Inside these, loose text is a run of paragraphs; inside other blocks it is kept inline.
PARAGRAPH_CONTAINERS = frozenset({"", "blockquote", "div", "section", "article", "aside", "main"})
VERBATIM = frozenset({"pre", "script", "style", "textarea"})
VOID = frozenset({"hr", "br", "img", "input", "source", "track", "wbr", "embed"})
_TOKEN = re.compile(r"(<!--.*?-->|<[a-zA-Z/!][^>]*>)", re.S)
_TAG_NAME = re.compile(r"</?\s*([a-zA-Z][a-zA-Z0-9-]*)")
_URL_LINE = re.compile(r"^\s*(https?://[^\s<>\"]+)\s*$", re.M)


def _paragraph(inline: str) -> str:
    text = inline.strip()
    if not text:
        return ""
    text = re.sub(r"\s*\n\s*", "<br>\n", text)
    return f"<p>{text}</p>\n"


def autop(content: str) -> str:
    """Give classic-editor text its paragraphs: a blank line ends one, a newline is a ``<br>``.

    Block-level HTML written by hand is kept as it is; text inside a ``<blockquote>`` or a
    ``<div>`` gets paragraphs too, text inside a list item or a table cell does not.
    """
    content = content.replace("\r\n", "\n").replace("\r", "\n")
    # A URL alone on its line is an embed in WordPress; here it becomes a link.
    content = _URL_LINE.sub(
        lambda m: f'\n<p><a href="{m.group(1)}">{m.group(1)}</a></p>\n', content
    )
    out: list[str] = []
    stack: list[str] = []
    buffer: list[str] = []
    verbatim: str | None = None

    def container() -> str:
        return stack[-1] if stack else ""

    def flush() -> None:
        if buffer:
            joined = "".join(buffer)
            buffer.clear()
            if container() in PARAGRAPH_CONTAINERS:
                out.append(_paragraph(joined))
            elif joined.strip():
                # Inside a heading, list item or cell: newlines are breaks, edges one space.
                lead, core, trail = re.match(r"^(\s*)(.*?)(\s*)$", joined, re.S).groups()
                core = re.sub(r"\s*\n\s*", "<br>\n", core)
                out.append(f"{' ' if lead else ''}{core}{' ' if trail else ''}")

    for token in _TOKEN.split(content):
        if not token:
            continue
        if verbatim is not None:
            out.append(token)
            if re.match(rf"</\s*{verbatim}\b", token, re.I):
                verbatim = None
            continue
        if token.startswith("<!--"):
            flush()  # <!--more-->, <!--nextpage-->: a break between paragraphs
            continue
        if token.startswith("<"):
            match = _TAG_NAME.match(token)
            name = match.group(1).lower() if match else ""
            if name not in BLOCK:
                buffer.append(token)
                continue
            flush()
            out.append(token)
            if token.startswith("</"):
                if name in stack:
                    while stack and stack.pop() != name:
                        pass
            elif name in VERBATIM:
                verbatim = name
            elif name not in VOID and not token.endswith("/>"):
                stack.append(name)
            continue
        parts = re.split(r"\n[ \t]*\n\s*", token)
        for index, part in enumerate(parts):
            if index:
                flush()
            buffer.append(part)
    flush()
    return "".join(out).strip()


def wrap_loose(content: str) -> str:
    """Wrap text and inline elements left loose at the top level or in a blockquote (where a
    stripped ``<div>`` or unknown tag left them) in paragraphs, as :func:`autop` would."""
    out: list[str] = []
    buffer: list[str] = []
    stack: list[str] = []

    def flush() -> None:
        joined = "".join(buffer)
        buffer.clear()
        out.append(f"<p>{joined.strip()}</p>" if joined.strip() else joined)

    def loose() -> bool:
        return not stack or stack[-1] in PARAGRAPH_CONTAINERS

    for token in _TOKEN.split(content):
        if not token:
            continue
        match = _TAG_NAME.match(token) if token.startswith("<") else None
        name = match.group(1).lower() if match else ""
        if name in BLOCK:
            flush()
            out.append(token)
            if token.startswith("</"):
                if name in stack:
                    while stack and stack.pop() != name:
                        pass
            elif name not in VOID and not token.endswith("/>"):
                stack.append(name)
        elif loose():
            buffer.append(token)
        else:
            out.append(token)
    flush()
    return "".join(out).strip()


_HEADING = re.compile(r"<(/?)h([1-6])\b", re.I)


def _heading_levels(content: str) -> str:
    """Masthead bodies use h2–h4 (the headline is the h1): h1 becomes h2, h5 and h6 h4."""
    return _HEADING.sub(lambda m: f"<{m.group(1)}h{min(max(int(m.group(2)), 2), 4)}", content)


def wordpress_to_html(content: str) -> str:
    """The body Masthead stores for a WordPress post: converted, then sanitised."""
    content = content or ""
    blocks = has_blocks(content)
    content = remove_block_delimiters(content)
    content = convert_shortcodes(content)
    if blocks:
        content = _URL_LINE.sub(lambda m: f'<a href="{m.group(1)}">{m.group(1)}</a>', content)
    else:
        content = autop(content)
    content = HTML_COMMENT.sub("", _heading_levels(content))
    return wrap_loose(sanitize_body(content))
