"""``masthead export wordpress``: the newsroom as a WXR 1.2 file WordPress's importer reads.

Written as a stream, article by article, so memory does not grow with the archive. Sections
become categories, tags stay tags, the first byline is the post's author (WordPress has one),
pages imported with ``--pages`` go back as pages, and each featured image becomes an
attachment item whose address WordPress's importer can download.

Statuses: published → publish, scheduled → future, draft → draft, pending review → pending,
archived → private (kept out of sight, as archived stories are here).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from email.utils import format_datetime

from django.conf import settings
from django.db.models import Max, Prefetch
from django.utils import timezone

from masthead.discussion.models import Comment
from masthead.importers.models import ImportedItem
from masthead.newsroom.models import Article, Author, Byline, Section, Tag

WXR_NAMESPACES = (
    'xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" '
    'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
    'xmlns:wfw="http://wellformedweb.org/CommentAPI/" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:wp="http://wordpress.org/export/1.2/"'
)
STATUSES = {
    Article.Status.PUBLISHED: "publish",
    Article.Status.SCHEDULED: "future",
    Article.Status.DRAFT: "draft",
    Article.Status.PENDING: "pending",
    Article.Status.ARCHIVED: "private",
}
COMMENT_STATUSES = {
    Comment.Status.APPROVED: "1",
    Comment.Status.PENDING: "0",
    Comment.Status.SPAM: "spam",
    Comment.Status.TRASH: "trash",
}
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
NO_DATE = "0000-00-00 00:00:00"


def cdata(value: object) -> str:
    """Text as CDATA; a ``]]>`` inside is split across two sections, as WordPress does."""
    value = _NOT_XML.sub("", "" if value is None else str(value))
    return "<![CDATA[" + value.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def escape(value: object) -> str:
    value = _NOT_XML.sub("", "" if value is None else str(value))
    return (
        value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


_PRE = re.compile(r"(<pre\b.*?</pre>)", re.S | re.I)


def flatten_newlines(body: str) -> str:
    """Newlines outside ``<pre>`` become spaces (the same thing in HTML), so that WordPress's
    automatic paragraphs — and Masthead's, on the way back — add no ``<br>`` or ``<p>``."""
    parts = _PRE.split(body or "")
    return "".join(
        part if index % 2 else re.sub(r"\s*\n\s*", " ", part) for index, part in enumerate(parts)
    )


def wp_date(value: datetime | None, *, gmt: bool) -> str:
    if value is None:
        return NO_DATE
    value = value.astimezone(UTC if gmt else timezone.get_current_timezone())
    return value.strftime("%Y-%m-%d %H:%M:%S")


def _tag(name: str, value: object, *, raw: bool = False) -> str:
    return f"<{name}>{value if raw else escape(value)}</{name}>"


class WxrWriter:
    def __init__(self, write: Callable[[str], object]) -> None:
        self.write = write
        self.site = settings.SITE_URL.rstrip("/")
        self.tag_offset = Section.objects.aggregate(m=Max("pk"))["m"] or 0
        self.attachment_offset = Article.objects.aggregate(m=Max("pk"))["m"] or 0

    def run(self) -> dict[str, int]:
        counts = {"authors": 0, "categories": 0, "tags": 0, "posts": 0, "pages": 0,
                  "comments": 0, "attachments": 0}  # fmt: skip
        self.write('<?xml version="1.0" encoding="UTF-8" ?>\n')
        self.write(f'<rss version="2.0" {WXR_NAMESPACES}>\n<channel>\n')
        self.write(self._channel())
        for author in Author.objects.order_by("pk").iterator():
            self.write(self._author(author))
            counts["authors"] += 1
        for section in Section.objects.order_by("pk").iterator():
            self.write(self._category(section))
            counts["categories"] += 1
        for tag in Tag.objects.order_by("pk").iterator():
            self.write(self._post_tag(tag))
            counts["tags"] += 1
        self.write("<generator>Masthead</generator>\n")
        attachments: list[tuple[int, int, str, str]] = []
        for article in self._articles():
            text, post_type, attachment = self._item(article)
            self.write(text)
            counts["pages" if post_type == "page" else "posts"] += 1
            counts["comments"] += len(article.comments.all())
            if attachment:
                attachments.append(attachment)
        for attachment in attachments:
            self.write(self._attachment(*attachment))
            counts["attachments"] += 1
        self.write("</channel>\n</rss>\n")
        return counts

    def _channel(self) -> str:
        return "\n".join(
            [
                _tag("title", settings.SITE_NAME),
                _tag("link", self.site),
                _tag("description", ""),
                _tag("pubDate", format_datetime(timezone.now().astimezone(UTC))),
                _tag("language", settings.LANGUAGE_CODE),
                _tag("wp:wxr_version", "1.2"),
                _tag("wp:base_site_url", self.site),
                _tag("wp:base_blog_url", self.site),
                "",
            ]
        )

    def _author(self, author: Author) -> str:
        return (
            "<wp:author>"
            + _tag("wp:author_id", author.pk)
            + _tag("wp:author_login", cdata(author.slug), raw=True)
            + _tag("wp:author_email", cdata(""), raw=True)
            + _tag("wp:author_display_name", cdata(author.name), raw=True)
            + _tag("wp:author_first_name", cdata(""), raw=True)
            + _tag("wp:author_last_name", cdata(""), raw=True)
            + "</wp:author>\n"
        )

    def _category(self, section: Section) -> str:
        return (
            "<wp:category>"
            + _tag("wp:term_id", section.pk)
            + _tag("wp:category_nicename", cdata(section.slug), raw=True)
            + _tag("wp:category_parent", cdata(""), raw=True)
            + _tag("wp:cat_name", cdata(section.name), raw=True)
            + _tag("wp:category_description", cdata(section.description), raw=True)
            + "</wp:category>\n"
        )

    def _post_tag(self, tag: Tag) -> str:
        return (
            "<wp:tag>"
            + _tag("wp:term_id", self.tag_offset + tag.pk)
            + _tag("wp:tag_slug", cdata(tag.slug), raw=True)
            + _tag("wp:tag_name", cdata(tag.name), raw=True)
            + "</wp:tag>\n"
        )

    def _articles(self) -> Iterator[Article]:
        return (
            Article.objects.select_related("section", "featured_image")
            .prefetch_related(
                "tags",
                Prefetch("bylines", queryset=Byline.objects.select_related("author")),
                Prefetch("comments", queryset=Comment.objects.order_by("pk")),
                Prefetch("import_records", queryset=ImportedItem.objects.order_by("-pk")),
            )
            .order_by("pk")
            .iterator(chunk_size=200)
        )

    def _item(self, article: Article):
        records = list(article.import_records.all())
        post_type = "page" if records and records[0].post_type == "page" else "post"
        bylines = list(article.bylines.all())
        creator = bylines[0].author.slug if bylines else ""
        when = article.published_at
        url = f"{self.site}{article.get_absolute_url()}"
        parts = [
            "<item>",
            _tag("title", cdata(escape(article.headline)), raw=True),  # titles are HTML
            _tag("link", url),
            _tag("pubDate", format_datetime((when or article.created_at).astimezone(UTC))),
            _tag("dc:creator", cdata(creator), raw=True),
            f'<guid isPermaLink="false">{escape(f"{self.site}/?p={article.pk}")}</guid>',
            _tag("description", ""),
            _tag("content:encoded", cdata(flatten_newlines(article.body)), raw=True),
            _tag("excerpt:encoded", cdata(article.standfirst), raw=True),
            _tag("wp:post_id", article.pk),
            _tag("wp:post_date", cdata(wp_date(when or article.created_at, gmt=False)), raw=True),
            _tag("wp:post_date_gmt", cdata(wp_date(when, gmt=True)), raw=True),
            _tag("wp:post_modified", cdata(wp_date(article.modified_at, gmt=False)), raw=True),
            _tag("wp:post_modified_gmt", cdata(wp_date(article.modified_at, gmt=True)), raw=True),
            _tag(
                "wp:comment_status", cdata("open" if article.comments_open else "closed"), raw=True
            ),
            _tag("wp:ping_status", cdata("closed"), raw=True),
            _tag("wp:post_name", cdata(article.slug), raw=True),
            _tag("wp:status", cdata(STATUSES.get(article.status, "draft")), raw=True),
            _tag("wp:post_parent", 0),
            _tag("wp:menu_order", 0),
            _tag("wp:post_type", cdata(post_type), raw=True),
            _tag("wp:post_password", cdata(""), raw=True),
            _tag("wp:is_sticky", 1 if article.pinned else 0),
        ]
        if post_type == "post":
            parts.append(self._term_ref("category", article.section.slug, article.section.name))
            parts += [self._term_ref("post_tag", t.slug, t.name) for t in article.tags.all()]
        attachment = self._featured(article, records)
        if attachment:
            parts.append(self._meta("_thumbnail_id", attachment[0]))
        parts += [self._comment(comment) for comment in article.comments.all()]
        parts.append("</item>\n")
        return "\n".join(parts), post_type, attachment

    def _featured(self, article: Article, records: list[ImportedItem]):
        url, alt = "", ""
        if article.featured_image_id and article.featured_image.file:
            image = article.featured_image
            url, alt = image.url, image.alt_text
            if url.startswith("/"):
                url = f"{self.site}{url}"
        elif records and records[0].featured_image_url:
            url = records[0].featured_image_url
        if not url:
            return None
        return (self.attachment_offset + article.pk, article.pk, url, alt)

    @staticmethod
    def _term_ref(domain: str, slug: str, name: str) -> str:
        return f'<category domain="{domain}" nicename="{escape(slug)}">{cdata(name)}</category>'

    @staticmethod
    def _meta(key: str, value: object) -> str:
        return (
            "<wp:postmeta>"
            + _tag("wp:meta_key", cdata(key), raw=True)
            + _tag("wp:meta_value", cdata(value), raw=True)
            + "</wp:postmeta>"
        )

    @staticmethod
    def _comment(comment: Comment) -> str:
        kind = "comment" if comment.kind == Comment.Kind.COMMENT else comment.kind
        return (
            "<wp:comment>"
            + _tag("wp:comment_id", comment.pk)
            + _tag("wp:comment_author", cdata(comment.author_name), raw=True)
            + _tag("wp:comment_author_email", cdata(comment.author_email), raw=True)
            + _tag("wp:comment_author_url", escape(comment.author_url), raw=True)
            + _tag("wp:comment_author_IP", cdata(comment.ip_address), raw=True)
            + _tag("wp:comment_date", cdata(wp_date(comment.created_at, gmt=False)), raw=True)
            + _tag("wp:comment_date_gmt", cdata(wp_date(comment.created_at, gmt=True)), raw=True)
            # A comment is plain text here and HTML in WordPress: "<" is written as "&lt;".
            + _tag("wp:comment_content", cdata(escape(comment.body)), raw=True)
            + _tag(
                "wp:comment_approved", cdata(COMMENT_STATUSES.get(comment.status, "0")), raw=True
            )
            + _tag("wp:comment_type", cdata(kind), raw=True)
            + _tag("wp:comment_parent", comment.parent_id or 0)
            + _tag("wp:comment_user_id", 0)
            + "</wp:comment>"
        )

    def _attachment(self, post_id: int, parent: int, url: str, alt: str) -> str:
        name = url.rstrip("/").rsplit("/", 1)[-1][:200]
        return "\n".join(
            [
                "<item>",
                _tag("title", cdata(alt or name), raw=True),
                _tag("link", url),
                f'<guid isPermaLink="false">{escape(url)}</guid>',
                _tag("wp:post_id", post_id),
                _tag("wp:post_name", cdata(f"attachment-{post_id}"), raw=True),
                _tag("wp:status", cdata("inherit"), raw=True),
                _tag("wp:post_parent", parent),
                _tag("wp:post_type", cdata("attachment"), raw=True),
                _tag("wp:attachment_url", cdata(url), raw=True),
                self._meta("_wp_attachment_image_alt", alt),
                "</item>\n",
            ]
        )


def wordpress_export(*, write: Callable[[str], object]) -> dict[str, int]:
    """Write the whole newsroom as WXR 1.2 through ``write``; returns counts per kind."""
    return WxrWriter(write).run()
