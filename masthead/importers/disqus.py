"""``masthead import disqus``: comments from a Disqus export, on the articles they were about.

A Disqus export lists categories, then threads (one per page that had comments: its address
and title), then posts (the comments, each naming its thread and perhaps its parent). A thread
is matched to an article by its address — the article's canonical URL, an old address the
WordPress importer recorded, or Masthead's own article address — and failing that by title.
Deleted comments are kept in the trash and spam in spam, so that neither shows; commenters'
emails are stored like any commenter's, never shown.
"""

from __future__ import annotations

import os
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import IO
from xml.etree.ElementTree import Element

from django.db import transaction
from django.urls import Resolver404, resolve
from tqdm import tqdm

from masthead.core.pagecache import purge_everything
from masthead.discussion.models import Comment
from masthead.importers.comments import CommentRecord, comments_link, comments_upsert
from masthead.importers.commenttext import comment_text
from masthead.importers.models import Redirect
from masthead.importers.report import Report
from masthead.importers.util import (
    anonymise_ip,
    clean_email,
    clip,
    parse_iso,
    url_path,
)
from masthead.importers.xmlsafe import ImportFailed, file_size, local, stream, text
from masthead.newsroom.models import Article

DISQUS = "http://disqus.com"
INTERNALS = "http://disqus.com/disqus-internals"
DSQ_ID = f"{{{INTERNALS}}}id"


class DryRunRollback(Exception):
    pass


@dataclass
class Thread:
    id: str
    link: str
    title: str
    forum: str


def _child(element: Element, name: str) -> Element | None:
    return element.find(f"{{{DISQUS}}}{name}")


def _value(element: Element, name: str) -> str:
    return text(_child(element, name)).strip()


def _records(path, progress=None):
    """``Thread`` records and post elements, each cleared from the tree once yielded."""
    depth, root = 0, None
    for event, element in stream(path, ("start", "end"), progress):
        if event == "start":
            depth += 1
            if depth == 1:
                if local(element.tag) != (DISQUS, "disqus"):
                    raise ImportFailed(
                        f"This file's root element is <{local(element.tag)[1]}>, not Disqus's "
                        "<disqus>: it is not a Disqus export. Export comments from Disqus's "
                        "admin (Moderation → Export)."
                    )
                root = element
            continue
        depth -= 1
        if depth != 1:
            continue
        namespace, name = local(element.tag)
        if namespace == DISQUS and name == "thread":
            yield Thread(
                id=element.get(DSQ_ID, ""),
                link=_value(element, "link"),
                title=_value(element, "title"),
                forum=_value(element, "forum"),
            )
        elif namespace == DISQUS and name == "post":
            yield element
        root.remove(element)


class ThreadMatcher:
    """Finds the article a Disqus thread was about: by address first, then by title."""

    def __init__(self) -> None:
        self.cache: dict[str, Article | None] = {}

    def __call__(self, thread: Thread) -> Article | None:
        if thread.id not in self.cache:
            self.cache[thread.id] = self._by_url(thread.link) or self._by_title(thread.title)
        return self.cache[thread.id]

    @staticmethod
    def _by_url(link: str) -> Article | None:
        if not link:
            return None
        found = Article.objects.filter(canonical_url=link).first()
        path = url_path(link)
        if found is None and path and path != "/":
            toggled = path[:-1] if path.endswith("/") else f"{path}/"
            redirect = (
                Redirect.objects.select_related("article")
                .filter(old_path__in=[path, toggled])
                .first()
            )
            found = redirect.article if redirect else None
        if found is None and path and path != "/":
            try:
                match = resolve(path)
            except Resolver404:
                match = None
            if match and match.view_name == "newsroom:article":
                found = Article.objects.filter(slug=match.kwargs.get("slug", "")).first()
        return found

    @staticmethod
    def _by_title(title: str) -> Article | None:
        title = (title or "").strip()
        if not title:
            return None
        matches = list(Article.objects.filter(headline__iexact=title)[:2])
        return matches[0] if len(matches) == 1 else None


def _post_record(post: Element, article: Article, report: Report) -> CommentRecord:
    post_id = post.get(DSQ_ID, "")
    author = _child(post, "author")
    parent = _child(post, "parent")
    deleted = _value(post, "isDeleted").lower() == "true"
    spam = _value(post, "isSpam").lower() == "true"
    status = (
        Comment.Status.TRASH
        if deleted
        else Comment.Status.SPAM
        if spam
        else Comment.Status.APPROVED
    )
    report.add("comments", f"comment {status}")
    return CommentRecord(
        import_id=post_id[:100],
        parent_import_id=(parent.get(DSQ_ID, "") if parent is not None else "")[:100],
        concerning=f"Disqus post {post_id}",
        fields={
            "article": article,
            "kind": Comment.Kind.COMMENT,
            "status": status,
            "author_name": clip(_value(author, "name") if author is not None else "", 245),
            "author_email": clean_email(_value(author, "email") if author is not None else ""),
            "author_url": "",
            "body": comment_text(_value(post, "message"))[:65525],  # Disqus sends HTML
            "ip_address": anonymise_ip(_value(post, "ipAddress")),
            "user_agent": "",
            "created_at": parse_iso(_value(post, "createdAt")) or article.published_at,
        },
    )


def disqus_import(
    *,
    path: str | os.PathLike,
    dry_run: bool = False,
    batch_size: int = 200,
    progress: bool = True,
    stderr: IO | None = None,
) -> Report:
    """Import a Disqus export. Raises ``ImportFailed`` (nothing written) for a bad file."""
    report = Report(title=f"Disqus import of {Path(path).name}", dry_run=dry_run)
    threads: dict[str, Thread] = {}
    posts = 0
    size = file_size(path)
    with tqdm(total=size, unit="B", unit_scale=True, desc="Checking", disable=not progress,
              file=stderr) as bar:  # fmt: skip
        for record in _records(path, lambda done: bar.update(done - bar.n)):
            if isinstance(record, Thread):
                threads[record.id] = record
            else:
                posts += 1
    forum = next((t.forum for t in threads.values() if t.forum), "") or "disqus"
    source = f"disqus:{forum}"[:200]
    matcher = ThreadMatcher()
    deferred: dict[str, str] = {}
    try:
        with transaction.atomic() if dry_run else nullcontext():
            batch: list[CommentRecord] = []

            def flush() -> None:
                with transaction.atomic():
                    result = comments_upsert(source=source, records=batch)
                report.add("comment rows", "created", result.created)
                report.add("comment rows", "updated", result.updated)
                deferred.update({r.import_id: r.parent_import_id for r in result.unresolved})
                batch.clear()

            with tqdm(total=posts, unit="post", desc="Importing", disable=not progress,
                      file=stderr) as bar:  # fmt: skip
                for record in _records(path):
                    if isinstance(record, Thread):
                        continue
                    bar.update(1)
                    _take_post(record, threads, matcher, batch, report)
                    if len(batch) >= batch_size:
                        flush()
                if batch:
                    flush()
            with transaction.atomic():
                linked = comments_link(source=source, links=deferred)
            for child in set(deferred) - set(_linked_ids(source, deferred)):
                report.warn(
                    f"Disqus post {child}", "its parent is not in the file; kept at the top."
                )
            report.add("replies linked after their parent", "linked", linked)
            if dry_run:
                raise DryRunRollback
    except DryRunRollback:
        pass
    finally:
        if not dry_run:  # even a failed import may have written comments already
            purge_everything()
    return report


def _take_post(post, threads, matcher, batch, report) -> None:
    post_id = post.get(DSQ_ID, "")
    thread_element = _child(post, "thread")
    thread = threads.get(thread_element.get(DSQ_ID, "") if thread_element is not None else "")
    if not post_id:
        report.warn("a Disqus post", "it has no dsq:id; skipped.")
        report.add("comments", "skipped")
        return
    if thread is None:
        report.warn(f"Disqus post {post_id}", "its thread is not in the file; skipped.")
        report.add("comments", "skipped")
        return
    article = matcher(thread)
    if article is None:
        where = thread.link or thread.title or f"thread {thread.id}"
        report.warn(f"Disqus post {post_id}", f"no article matches “{where}”; skipped.")
        report.add("comments", "skipped")
        return
    batch.append(_post_record(post, article, report))


def _linked_ids(source: str, deferred: dict[str, str]) -> list[str]:
    return list(
        Comment.objects.filter(import_source=source, import_id__in=list(deferred))
        .exclude(import_source="")
        .filter(parent__isnull=False)
        .values_list("import_id", flat=True)
    )
