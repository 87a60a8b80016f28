"""Reading WordPress eXtended RSS (WXR 1.0, 1.1, 1.2) as a stream of plain records.

Only elements in the document's own ``wp`` namespace count (``http`` or ``https``, any
``wordpress.org/export/1.x/`` version): an element that redefines the ``wp`` prefix to some
other address is ignored, as WordPress's own importer ignores it. Each channel child is
cleared as soon as it has been read, so memory does not grow with the file.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element

from masthead.importers.xmlsafe import ImportFailed, local, stream, text

WP_NAMESPACE = re.compile(r"^https?://wordpress\.org/export/(\d+\.\d+)/$")
EXCERPT_NAMESPACE = re.compile(r"^https?://wordpress\.org/export/\d+\.\d+/excerpt/$")
CONTENT_NAMESPACE = "http://purl.org/rss/1.0/modules/content/"
DC_NAMESPACE = "http://purl.org/dc/elements/1.1/"
KNOWN_VERSIONS = ("1.0", "1.1", "1.2")


@dataclass
class Channel:
    title: str = ""
    link: str = ""
    base_site_url: str = ""
    base_blog_url: str = ""
    wxr_version: str | None = None
    namespace: str = ""


@dataclass
class Author:
    login: str
    email: str = ""
    display_name: str = ""
    first_name: str = ""
    last_name: str = ""

    @property
    def name(self) -> str:
        full = f"{self.first_name} {self.last_name}".strip()
        return self.display_name or full or self.login


@dataclass
class Term:
    taxonomy: str  # "category", "post_tag" or another taxonomy's name
    slug: str
    name: str
    parent: str = ""
    description: str = ""


@dataclass
class Comment:
    id: str
    author: str = ""
    email: str = ""
    url: str = ""
    ip: str = ""
    date: str = ""
    date_gmt: str = ""
    content: str = ""
    approved: str = "1"
    type: str = ""
    parent: str = "0"


@dataclass
class Item:
    title: str = ""
    link: str = ""
    guid: str = ""
    pub_date: str = ""
    creator: str = ""
    content: str = ""
    excerpt: str = ""
    post_id: str = ""
    post_date: str = ""
    post_date_gmt: str = ""
    comment_status: str = ""
    post_name: str = ""
    status: str = ""
    post_parent: str = ""
    post_type: str = ""
    post_password: str = ""
    is_sticky: str = ""
    attachment_url: str = ""
    # (domain, nicename, name) of each <category>
    categories: list[tuple[str, str, str]] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)
    comments: list[Comment] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    def describe(self) -> str:
        kind = self.post_type or "item"
        ident = f" {self.post_id}" if self.post_id else ""
        title = f" “{self.title[:60]}”" if self.title else ""
        return f"{kind}{ident}{title}"


SCALAR_FIELDS = frozenset(
    {
        "post_id", "post_date", "post_date_gmt", "comment_status", "post_name", "status",
        "post_parent", "post_type", "post_password", "is_sticky", "attachment_url",
    }
)  # fmt: skip
# Post meta worth keeping; the rest (edit locks, plugin data, serialized arrays) is not read.
KEPT_META = frozenset({"_thumbnail_id", "_wp_attachment_image_alt", "_wp_page_template"})


class WxrReader:
    """Iterate over a WXR file's authors, terms and items; ``channel`` fills in as it reads."""

    def __init__(self, path: str | os.PathLike, progress: Callable[[int], object] | None = None):
        self.path = path
        self.progress = progress
        self.channel = Channel()
        self._wp = ""

    def __iter__(self) -> Iterator[Author | Term | Item]:
        declared: dict[str, str] = {}
        depth = 0
        channel_element: Element | None = None
        for event, payload in stream(self.path, ("start", "end", "start-ns"), self.progress):
            if event == "start-ns":
                if depth == 0:
                    prefix, uri = payload
                    declared.setdefault(prefix, uri)
                continue
            element: Element = payload
            if event == "start":
                depth += 1
                if depth == 1:
                    self._check_root(element, declared)
                elif depth == 2 and local(element.tag)[1] == "channel":
                    channel_element = element
                continue
            depth -= 1
            if depth != 2 or channel_element is None:
                continue
            record = self._channel_child(element)
            channel_element.remove(element)
            if record is not None:
                yield record
        if not self._wp:
            raise ImportFailed(
                "This file has no elements in WordPress's export namespace "
                "(wordpress.org/export/1.x/), so it is not a WordPress export (WXR) file. "
                "In WordPress, use Tools → Export to make one."
            )
        self.channel.namespace = self._wp

    def _check_root(self, root: Element, declared: dict[str, str]) -> None:
        if local(root.tag)[1] != "rss":
            raise ImportFailed(
                f"This file's root element is <{local(root.tag)[1]}>, not <rss>: it is not a "
                "WordPress export (WXR) file. In WordPress, use Tools → Export to make one."
            )
        wp = declared.get("wp", "")
        if not WP_NAMESPACE.match(wp):
            wp = next((uri for uri in declared.values() if WP_NAMESPACE.match(uri)), "")
        self._wp = wp

    def _adopt(self, namespace: str) -> bool:
        """Is ``namespace`` the document's wp namespace? Adopts the first one seen if the root
        declared none."""
        if not self._wp and WP_NAMESPACE.match(namespace):
            self._wp = namespace
        return namespace == self._wp and namespace != ""

    def _channel_child(self, element: Element) -> Author | Term | Item | None:
        namespace, name = local(element.tag)
        if namespace == "" and name == "item":
            return self._item(element)
        if namespace == "" and name in {"title", "link"}:
            if not getattr(self.channel, name):
                setattr(self.channel, name, text(element).strip())
            return None
        if not self._adopt(namespace):
            return None
        values = self._fields(element)
        if name == "wxr_version":
            self.channel.wxr_version = text(element).strip()
        elif name in {"base_site_url", "base_blog_url"}:
            setattr(self.channel, name, text(element).strip())
        elif name == "author":
            login = values.get("author_login", "")
            if not login:
                return None
            return Author(
                login=login,
                email=values.get("author_email", ""),
                display_name=values.get("author_display_name", ""),
                first_name=values.get("author_first_name", ""),
                last_name=values.get("author_last_name", ""),
            )
        elif name == "category":
            return self._term("category", values, "category_nicename", "cat_name", "category")
        elif name == "tag":
            return self._term("post_tag", values, "tag_slug", "tag_name", "tag")
        elif name == "term":
            taxonomy = values.get("term_taxonomy", "")
            return self._term(taxonomy, values, "term_slug", "term_name", "term")
        return None

    @staticmethod
    def _term(taxonomy: str, values: dict[str, str], slug_key: str, name_key: str, prefix: str):
        slug, name = values.get(slug_key, ""), values.get(name_key, "")
        if not (slug or name):
            return None
        return Term(
            taxonomy=taxonomy,
            slug=slug,
            name=name or slug,
            parent=values.get(f"{prefix}_parent", ""),
            description=values.get(f"{prefix}_description", ""),
        )

    def _fields(self, element: Element) -> dict[str, str]:
        """The first text of each child in the wp namespace, stripped."""
        values: dict[str, str] = {}
        for child in element:
            namespace, name = local(child.tag)
            if namespace == self._wp and name not in values:
                values[name] = text(child).strip()
        return values

    def _item(self, element: Element) -> Item:
        item = Item()
        seen: set[str] = set()
        for child in element:
            namespace, name = local(child.tag)
            value = text(child)
            if namespace == "":
                if name == "category":
                    domain = child.get("domain", "")
                    item.categories.append((domain, child.get("nicename", ""), value.strip()))
                elif name in {"title", "link", "guid"} and name not in seen:
                    setattr(item, name, value.strip())
                elif name == "pubDate" and "pubDate" not in seen:
                    item.pub_date = value.strip()
            elif namespace == CONTENT_NAMESPACE and name == "encoded" and "content" not in seen:
                item.content, name = value.strip(), "content"
            elif EXCERPT_NAMESPACE.match(namespace) and name == "encoded" and "excerpt" not in seen:
                item.excerpt, name = value.strip(), "excerpt"
            elif namespace == DC_NAMESPACE and name == "creator" and "creator" not in seen:
                item.creator = value.strip()
            elif self._adopt(namespace):
                self._item_wp_field(item, child, name, value, seen)
            seen.add(name)
        for required in ("post_id", "post_type", "status"):
            if not getattr(item, required):
                item.missing.append(f"wp:{required}")
        return item

    def _item_wp_field(self, item: Item, child: Element, name: str, value: str, seen) -> None:
        if name == "postmeta":
            values = self._fields(child)
            key = values.get("meta_key", "")
            if key in KEPT_META and key not in item.meta:
                item.meta[key] = values.get("meta_value", "")
        elif name == "comment":
            values = self._fields(child)
            if values.get("comment_id"):
                item.comments.append(
                    Comment(
                        id=values["comment_id"],
                        author=values.get("comment_author", ""),
                        email=values.get("comment_author_email", ""),
                        url=values.get("comment_author_url", ""),
                        ip=values.get("comment_author_IP", ""),
                        date=values.get("comment_date", ""),
                        date_gmt=values.get("comment_date_gmt", ""),
                        content=values.get("comment_content", ""),
                        approved=values.get("comment_approved", "1"),
                        type=values.get("comment_type", ""),
                        parent=values.get("comment_parent", "0") or "0",
                    )
                )
        elif name == "author" and not item.creator:  # some tools write this for dc:creator
            item.creator = value.strip()
        elif name in SCALAR_FIELDS and name not in seen:
            setattr(item, name, value.strip())
