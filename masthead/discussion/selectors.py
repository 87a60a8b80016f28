"""Reads for comment pages: threads for one page of a story, counts, the moderation queue.

:func:`thread_page` loads the story's visible comments in one query (never their email
addresses) and builds the threads in Python, so a page costs the same number of queries
with 5 comments or 5,000.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from masthead.core.db.prepared import Param, PreparedRead
from masthead.discussion.models import Comment, DiscussionSettings, Subscription

Status = Comment.Status
# What a public page may know about a comment. author_email is deliberately absent.
PUBLIC_FIELDS = (
    "id", "parent_id", "status", "author_name", "author_url", "user_id", "body", "body_html",
    "created_at", "depth",
)  # fmt: skip


@dataclass(slots=True)
class PublicComment:
    """A comment as public pages see it: no email address, no IP, nothing private."""

    pk: int
    parent_id: int | None
    status: str
    author_name: str
    author_url: str
    user_id: int | None
    body: str
    body_html: str
    created_at: datetime
    depth: int  # as stored: the thread's depth, even when an ancestor is hidden

    @classmethod
    def of(cls, comment: Comment) -> PublicComment:
        return cls(*(getattr(comment, "pk" if f == "id" else f) for f in PUBLIC_FIELDS))

    @property
    def display_name(self) -> str:
        return self.author_name.strip() or "Anonymous"


def comment_count_annotation():
    """Approved comments of each story, as a correlated subquery (no GROUP BY on the list)."""
    counts = (
        Comment.objects.published()
        .filter(article=OuterRef("pk"))
        .order_by()
        .values("article")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counts, output_field=IntegerField()), Value(0))


def approved_count(*, article_id: int) -> int:
    return Comment.objects.published().filter(article_id=article_id).count()


@dataclass
class Item:
    """One comment in reading order, with what the flat template needs to nest it."""

    comment: PublicComment
    level: int
    can_reply: bool
    pending: bool
    has_children: bool = False
    closes: range = field(default_factory=lambda: range(0))


@dataclass
class ThreadPage:
    items: list[Item]
    number: int
    num_pages: int
    total: int  # approved comments on the story, every page

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages


def _visible_query(article_id, pending: list[int], *, pingbacks: bool):
    visible = Q(status=Status.APPROVED)
    if pending:
        visible |= Q(pk__in=pending, status=Status.PENDING)
    comments = Comment.objects.filter(visible, article_id=article_id)
    if not pingbacks:
        comments = comments.by_readers()
    return comments.order_by("created_at", "id").values_list(*PUBLIC_FIELDS)


# What most readers see (no comment of theirs awaiting moderation), compiled once per
# setting (see masthead.core.db.prepared); a reader's pending comments change the query.
_approved = {
    pingbacks: PreparedRead(
        lambda article, pingbacks=pingbacks: _visible_query(article, [], pingbacks=pingbacks),
        article=Param(Comment, "article"),
    )
    for pingbacks in (False, True)
}


def _visible(article_id: int, pending: list[int], *, pingbacks: bool = False):
    if pending:
        rows = _visible_query(article_id, pending, pingbacks=pingbacks)
    else:
        rows = _approved[pingbacks](article=article_id)
    return [PublicComment(*row) for row in rows]


def _roots(comments: list[PublicComment]):
    known = {c.pk for c in comments}
    children: dict[int, list[PublicComment]] = {}
    roots = []
    for comment in comments:
        if comment.parent_id is not None and comment.parent_id in known:
            children.setdefault(comment.parent_id, []).append(comment)
        else:
            roots.append(comment)  # a top-level comment, or a reply whose parent is hidden
    return roots, children


def thread_page(
    *,
    article_id: int,
    page: int = 1,
    pending: list[int] | None = None,
    config: DiscussionSettings | None = None,
    open_for_replies: bool = True,
) -> ThreadPage:
    config = config or DiscussionSettings.load()
    comments = _visible(article_id, pending or [], pingbacks=config.show_pingbacks)
    total = sum(1 for c in comments if c.status == Status.APPROVED)
    roots, children = _roots(comments)
    if config.order == DiscussionSettings.Order.NEWEST:
        roots.reverse()
    per_page = config.per_page or max(len(roots), 1)
    num_pages = max(1, math.ceil(len(roots) / per_page))
    number = min(max(page, 1), num_pages)
    shown = roots[(number - 1) * per_page : number * per_page]
    items: list[Item] = []
    max_level = config.thread_depth

    def walk(comment: PublicComment, level: int) -> None:
        pending_here = comment.status == Status.PENDING
        # A reply whose parent is hidden is shown as a thread of its own (a lower level),
        # but a reply to it nests by the stored depth, which the Depth guard checks.
        deep = max(level, comment.depth)
        item = Item(
            comment=comment,
            level=min(level, max_level),
            can_reply=open_for_replies and not pending_here and deep < max_level,
            pending=pending_here,
        )
        items.append(item)
        kids = children.get(comment.pk, [])
        if kids:
            item.has_children = True
            for kid in kids:
                walk(kid, level + 1)
            items[-1].closes = range(len(items[-1].closes) + 1)

    for root in shown:
        walk(root, 1)
    return ThreadPage(items=items, number=number, num_pages=num_pages, total=total)


def _threads_query(article, *, pingbacks: bool):
    threads = Comment.objects.filter(
        article_id=article, status=Status.APPROVED, parent__isnull=True
    )
    return threads if pingbacks else threads.by_readers()


def _count(threads):
    """One row (the count) when ``threads`` has any, none when it has none."""
    counted = threads.order_by().values("article_id").annotate(n=Count("pk"))
    return counted.values_list("n", flat=True)


# page_of's reads, compiled once per setting (see masthead.core.db.prepared). The threads
# before a comment are counted in two parts, each a range of comment_threads_idx: those
# posted strictly earlier (later, when the newest come first), and those posted in the same
# instant with a smaller id (a larger one). One condition with OR would scan every thread.
_parent_row = PreparedRead(
    lambda pk: (
        Comment.objects.filter(pk=pk)
        .order_by()
        .values_list("pk", "parent_id", "created_at", "status")
    ),
    pk=Param(Comment, "id"),
)
_threads_earlier = {
    (pingbacks, newest): PreparedRead(
        lambda article, created, pingbacks=pingbacks, newest=newest: _count(
            _threads_query(article, pingbacks=pingbacks).filter(
                **{"created_at__gt" if newest else "created_at__lt": created}
            )
        ),
        article=Param(Comment, "article"),
        created=Param(Comment, "created_at"),
    )
    for pingbacks in (False, True)
    for newest in (False, True)
}
_threads_same_instant = {
    (pingbacks, newest): PreparedRead(
        lambda article, created, root, pingbacks=pingbacks, newest=newest: _count(
            _threads_query(article, pingbacks=pingbacks).filter(
                created_at=created, **{"pk__gt" if newest else "pk__lt": root}
            )
        ),
        article=Param(Comment, "article"),
        created=Param(Comment, "created_at"),
        root=Param(Comment, "id"),
    )
    for pingbacks in (False, True)
    for newest in (False, True)
}


def page_of(comment: Comment, *, config: DiscussionSettings | None = None) -> int:
    """The page of its story's comments on which ``comment`` appears: a walk up to the top of
    its thread (one query per level) and a count of the threads before it.

    The walk stops below a parent readers cannot see (trashed, held, spam): its replies are
    shown as threads of their own, placed by their own time. Such orphan threads are not
    counted among the threads before a comment, so with orphans earlier on the story the
    answer can be a page early.
    """
    config = config or DiscussionSettings.load()
    if not config.per_page:
        return 1
    root_id, parent_id, created = comment.pk, comment.parent_id, comment.created_at
    for _ in range(config.thread_depth + 1):
        if parent_id is None:
            break
        found = _parent_row(pk=parent_id)
        if not found or found[0][3] != Status.APPROVED:
            break  # the parent is hidden: this thread starts here
        root_id, parent_id, created, _ = found[0]
    shape = (config.show_pingbacks, config.order == DiscussionSettings.Order.NEWEST)
    article = comment.article_id
    earlier = _threads_earlier[shape](article=article, created=created)
    tied = _threads_same_instant[shape](article=article, created=created, root=root_id)
    return (sum(earlier) + sum(tied)) // config.per_page + 1


def comment_get_public(*, pk: int, config: DiscussionSettings | None = None) -> Comment | None:
    """The comment with this id if readers can see it (approved, on a live story, and not a
    pingback the site hides), with its story; otherwise None."""
    from masthead.newsroom.models import Article

    config = config or DiscussionSettings.load()
    comments = Comment.objects.filter(
        pk=pk, status=Status.APPROVED, article__in=Article.objects.live()
    )
    if not config.show_pingbacks:
        comments = comments.by_readers()
    return comments.select_related("article").first()


def subscription_get(*, subscription_id: int, email: str | None = None) -> Subscription | None:
    """A follow-up subscription with its story, or None (gone, or for another address)."""
    found = Subscription.objects.filter(pk=subscription_id)
    if email is not None:
        found = found.filter(email=email)
    return found.select_related("article").first()


def comment_count_pending() -> int:
    """Comments held for a moderator (the admin front page shows how many)."""
    return Comment.objects.filter(status=Status.PENDING).count()


def moderation_counts() -> dict[str, int]:
    counts = dict(
        Comment.objects.order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return {status: counts.get(status, 0) for status in Status.values}
