"""One WXR item (a post or a page) into an article, its bylines, tags, comments and old links.

Writes go through the models: the newsroom's publishing service decides things an import must
not (a past "scheduled" date, a new "Updated" time), but ``Article.save()`` still sanitises
the body and derives its text, word count and reading time.
"""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from masthead.core.html import html_to_text
from masthead.discussion.models import Comment
from masthead.importers.comments import CommentRecord, comments_upsert
from masthead.importers.commenttext import comment_text
from masthead.importers.content import wordpress_to_html
from masthead.importers.models import ImportedItem, Redirect
from masthead.importers.report import Report
from masthead.importers.terms import DEFAULT_SECTION, PAGES_SECTION, TermMap
from masthead.importers.util import (
    anonymise_ip,
    clean_email,
    clean_url,
    clip,
    make_slug,
    parse_rfc822,
    parse_wp_date,
    query_post_id,
    short_digest,
    url_path,
)
from masthead.importers.wxr import Author, Channel, Item
from masthead.newsroom.addresses import remember_old_address
from masthead.newsroom.models import Article, Byline

Status = Article.Status
STATUSES = {
    "publish": Status.PUBLISHED,
    "future": Status.SCHEDULED,
    "draft": Status.DRAFT,
    "pending": Status.PENDING,
    "private": Status.DRAFT,
}
COMMENT_STATUSES = {
    "1": Comment.Status.APPROVED,
    "approve": Comment.Status.APPROVED,
    "approved": Comment.Status.APPROVED,
    "0": Comment.Status.PENDING,
    "hold": Comment.Status.PENDING,
    "spam": Comment.Status.SPAM,
    "trash": Comment.Status.TRASH,
    "post-trashed": Comment.Status.TRASH,
}
COMMENT_KINDS = {
    "": Comment.Kind.COMMENT,
    "comment": Comment.Kind.COMMENT,
    "pingback": Comment.Kind.PINGBACK,
    "trackback": Comment.Kind.TRACKBACK,
}


class ItemWriter:
    def __init__(
        self,
        *,
        source: str,
        channel: Channel,
        terms: TermMap,
        authors: dict[str, Author],
        attachments: dict[str, str],
        report: Report,
        attachment_alts: dict[str, str] | None = None,
        own_site: bool = False,
    ) -> None:
        self.source = source
        # An export of this very site (``masthead export wordpress``): its stories may be here.
        self.own_site = own_site
        self.already_here = 0
        self.channel = channel
        self.terms = terms
        self.authors = authors
        self.authors_listed = bool(authors)
        self.attachments = attachments
        self.attachment_alts = attachment_alts or {}
        self.report = report
        self.base_path = url_path(channel.base_blog_url or channel.link).rstrip("/") + "/"
        self.now = timezone.now()

    # --- identity ------------------------------------------------------------------------

    def _source_id(self, item: Item) -> str:
        if item.post_id:
            return item.post_id[:100]
        from_link = query_post_id(item.guid) or query_post_id(item.link)
        if from_link:
            self.report.warn(
                item.describe(), f"no <wp:post_id>; used {from_link} from its address."
            )
            item.post_id = from_link
            return from_link
        if item.guid or item.link:
            self.report.warn(item.describe(), "no <wp:post_id>; it is keyed on its GUID.")
            return f"guid:{short_digest(item.guid or item.link, 32)}"
        return ""

    def _find(self, source_id: str) -> ImportedItem | None:
        # Keyed on the post ID only: real exports repeat GUIDs across posts (the theme unit
        # test data does), so a GUID is the key only for an item that has no ID at all.
        return (
            ImportedItem.objects.select_related("article")
            .filter(source=self.source, source_id=source_id)
            .first()
        )

    def _here(self, item: Item, post_type: str) -> bool:
        """Is this item of the site's own export a story the site has (same slug, or same ID
        and headline: a slug changed since)? It is left as it is, as WordPress's importer
        leaves a post that "already exists": importing it would add a copy (``-2``) or, as
        an update, put back what was exported over what was changed since."""
        slug = make_slug(
            item.post_name, item.title, fallback=f"{post_type}-{item.post_id or 'untitled'}"
        )
        same = Article.objects.filter(slug=slug)
        if item.post_id.isdigit():
            same |= Article.objects.filter(pk=int(item.post_id), headline=self._headline(item))
        if not same.exists():
            return False
        self.already_here += 1
        self.report.add("pages" if post_type == "page" else "articles", "already here, left as is")
        if item.comments:
            self.report.add("comments", "skipped", len(item.comments))
        return True

    # --- the item ------------------------------------------------------------------------

    def write(self, item: Item) -> Article | None:
        post_type = item.post_type or "post"
        if not item.post_type:
            self.report.warn(item.describe(), "no <wp:post_type>; imported as a post.")
        source_id = self._source_id(item)
        if not source_id:
            self.report.warn(
                item.describe(),
                "no <wp:post_id>, GUID or link, so it could not be imported without risking "
                "duplicates on a second import; skipped.",
            )
            self.report.add(f"{post_type}s", "skipped")
            return None
        record = self._find(source_id)
        if record is None and self.own_site and self._here(item, post_type):
            return None
        article = record.article if record else Article()
        was_at = article.get_absolute_url() if record and article.is_live else ""
        self._fill(article, item, post_type)
        article.slug = self._unique_slug(article, item, post_type)
        article.save()
        if was_at and article.is_live and remember_old_address(article, was_at):
            # Its slug or date changed in WordPress (or in how Masthead reads them).
            self.report.warn(item.describe(), f"moved from {was_at}, which now redirects.")
        self._bylines(article, item)
        self._tags(article, item, post_type)
        label = "pages" if post_type == "page" else "articles"
        self.report.add(label, "updated" if record else "created")

        thumbnail = item.meta.get("_thumbnail_id", "")
        featured = self.attachments.get(thumbnail, "") if thumbnail else ""
        if thumbnail and not featured:
            self.report.warn(item.describe(), f"its featured image {thumbnail} is not in the file.")
        elif featured:
            self.report.add("featured images", "recorded (import media downloads them)")
        ImportedItem.objects.update_or_create(
            source=self.source,
            source_id=source_id,
            defaults={
                "article": article,
                "guid": item.guid[:255],
                "post_type": post_type[:20],
                "original_url": item.link[:500],
                "featured_image_url": featured[:500],
                "featured_image_alt": clip(self.attachment_alts.get(thumbnail, ""), 300)
                if featured
                else "",
            },
        )
        self._redirects(article, item, post_type)
        self._comments(article, item, source_id)
        return article

    def _fill(self, article: Article, item: Item, post_type: str) -> None:
        article.headline = self._headline(item)
        if not article.headline:
            article.headline = f"Untitled {post_type} {item.post_id}".strip()
            self.report.warn(item.describe(), f"no title; called “{article.headline}”.")
        article.body = wordpress_to_html(item.content)
        standfirst = html_to_text(item.excerpt).replace("\n\n", " ")
        if len(standfirst) > 600:
            self.report.warn(item.describe(), "its excerpt was cut to 600 characters.")
        article.standfirst = clip(standfirst, 600)
        article.section = self._section(item, post_type)
        article.pinned = item.is_sticky.strip() == "1"
        article.comments_open = item.comment_status.strip() != "closed"
        self._status(article, item)

    @staticmethod
    def _headline(item: Item) -> str:
        return clip(html_to_text(item.title).replace("\n", " "), 255)

    def _status(self, article: Article, item: Item) -> None:
        wp_status = item.status.lower()
        status = STATUSES.get(wp_status)
        if status is None:
            status = Status.DRAFT
            shown = f"status “{wp_status[:20]}”" if wp_status else "no <wp:status>"
            self.report.warn(item.describe(), f"{shown}; imported as a draft.")
        when = parse_wp_date(item.post_date_gmt)
        if status in (Status.DRAFT, Status.PENDING):
            # A draft's other dates are when it was written, not when it went live.
            article.status, article.published_at = status, when
            return
        when = when or parse_rfc822(item.pub_date)
        if when is None and item.post_date:
            when = parse_wp_date(item.post_date)
            if when:
                self.report.warn(item.describe(), "no GMT date; its local time was taken as UTC.")
        if item.post_password and status in (Status.PUBLISHED, Status.SCHEDULED):
            status = Status.DRAFT
            self.report.warn(
                item.describe(), "password-protected; imported as a draft to keep it private."
            )
        if status == Status.PUBLISHED and when is None:
            when = article.published_at or self.now  # a second import keeps the first's date
            self.report.warn(item.describe(), "published without a date; dated when imported.")
        if status == Status.PUBLISHED and when > self.now:
            status = Status.SCHEDULED
        if status == Status.SCHEDULED and when is None:
            status = Status.DRAFT
            self.report.warn(item.describe(), "scheduled without a date; imported as a draft.")
        elif status == Status.SCHEDULED and when <= self.now:
            status = Status.PUBLISHED
            self.report.warn(item.describe(), "scheduled for a time now past; published.")
        article.status = status
        article.published_at = when

    def _section(self, item: Item, post_type: str):
        if post_type == "page":
            return self.terms.section(*PAGES_SECTION, show_on_home=False)
        categories = self._categories(item)
        if categories:
            slug, name = categories[0]
            return self.terms.section(slug, name)
        return self.terms.section(*DEFAULT_SECTION)

    @staticmethod
    def _categories(item: Item) -> list[tuple[str, str]]:
        with_domain = [
            (nice, name) for domain, nice, name in item.categories if domain == "category"
        ]
        named = {name for _, name in with_domain}
        legacy = [
            ("", name)  # WXR 1.0 also lists categories without a domain
            for domain, _, name in item.categories
            if domain == "" and name and name not in named
        ]
        return with_domain + legacy

    def _tags(self, article: Article, item: Item, post_type: str) -> None:
        tags = []
        if post_type != "page":
            tags += [self.terms.tag(slug, name) for slug, name in self._categories(item)[1:]]
        tags += [
            self.terms.tag(nice, name)
            for domain, nice, name in item.categories
            if domain in {"post_tag", "tag"} and (nice or name)
        ]
        article.tags.set({tag.pk: tag for tag in tags}.values())

    def _bylines(self, article: Article, item: Item) -> None:
        author = self.terms.author(item.creator, self.authors.get(item.creator))
        if author is None:
            Byline.objects.filter(article=article).delete()
            return
        if item.creator not in self.authors:
            if self.authors_listed:  # WXR 1.0 has no list of authors: nothing to warn about
                self.report.warn(
                    item.describe(), f"author “{item.creator}” is not in the file's list."
                )
            self.authors[item.creator] = Author(login=item.creator)
        Byline.objects.filter(article=article).exclude(author=author).delete()
        Byline.objects.get_or_create(article=article, author=author, defaults={"position": 0})

    def _unique_slug(self, article: Article, item: Item, post_type: str) -> str:
        base = make_slug(
            item.post_name, item.title, fallback=f"{post_type}-{item.post_id or 'untitled'}"
        )
        taken = Article.objects.exclude(pk=article.pk)
        kept = article.slug and (article.slug == base or article.slug.startswith(f"{base}-"))
        if kept and not taken.filter(slug=article.slug).exists():
            return article.slug  # keep the slug it got last time
        slug, n = base, 1
        while taken.filter(slug=slug).exists():
            n += 1
            suffix = f"-{n}"
            slug = f"{base[: 200 - len(suffix)].rstrip('-')}{suffix}"
        if slug != base:
            self.report.warn(item.describe(), f"slug “{base}” was taken; it is “{slug}”.")
        return slug

    # --- old addresses -------------------------------------------------------------------

    def _redirects(self, article: Article, item: Item, post_type: str) -> None:
        paths = set()
        path = url_path(item.link)
        if path and path.rstrip("/") + "/" != self.base_path:
            paths.add(path)
        if item.post_id.isdigit():
            key = "page_id" if post_type == "page" else "p"
            paths.add(f"{self.base_path}?{key}={item.post_id}")
            paths.add(f"{self.base_path}?p={item.post_id}")
        paths.discard(article.get_absolute_url())  # an export of Masthead's own addresses
        for old in paths:
            if len(old) > 500:
                continue
            _, created = Redirect.objects.update_or_create(
                old_path=old, defaults={"article": article, "source": self.source}
            )
            self.report.add("redirects", "created" if created else "updated")

    # --- comments ------------------------------------------------------------------------

    def _comments(self, article: Article, item: Item, source_id: str) -> None:
        if not item.comments:
            return
        records = []
        for comment in item.comments:
            kind = COMMENT_KINDS.get(comment.type.strip().lower())
            if kind is None:
                kind = Comment.Kind.COMMENT
                self.report.warn(
                    f"comment {comment.id} on {item.describe()}",
                    f"type “{comment.type[:20]}” kept as a comment.",
                )
            status = COMMENT_STATUSES.get(comment.approved.strip().lower())
            if status is None:
                status = Comment.Status.PENDING
                self.report.warn(
                    f"comment {comment.id} on {item.describe()}",
                    f"status “{comment.approved[:20]}” held for moderation.",
                )
            created = self._comment_date(comment.date_gmt, comment.date, article)
            parent = comment.parent.strip()
            records.append(
                CommentRecord(
                    import_id=f"{source_id}/{comment.id}"[:100],
                    parent_import_id=f"{source_id}/{parent}"[:100]
                    if parent not in {"", "0"}
                    else "",
                    concerning=f"comment {comment.id} on {item.describe()}",
                    fields={
                        "article": article,
                        "kind": kind,
                        "status": status,
                        "author_name": clip(comment.author, 245),
                        "author_email": clean_email(comment.email),
                        "author_url": clean_url(comment.url),
                        # WordPress keeps a comment as HTML (links, <br>, entities).
                        "body": comment_text(comment.content, newlines=True)[:65525],
                        "ip_address": anonymise_ip(comment.ip),
                        "user_agent": "",
                        "created_at": created,
                    },
                )
            )
            self.report.add("comments", f"{kind} {status}")
        result = comments_upsert(source=self.source, records=records)
        self.report.add("comment rows", "created", result.created)
        self.report.add("comment rows", "updated", result.updated)
        for record in result.unresolved:
            self.report.warn(record.concerning, "its parent is not in the file; kept at the top.")
        for record in result.cycles:
            self.report.warn(record.concerning, "its replies loop back to it; kept at the top.")

    def _comment_date(self, gmt: str, local: str, article: Article) -> datetime:
        return parse_wp_date(gmt) or parse_wp_date(local) or article.published_at or self.now
