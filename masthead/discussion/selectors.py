"""Reads for comment pages: threads for one page of a story, counts, the moderation queue.

:func:`thread_page` loads the story's visible comments in one query (never their email
addresses) and builds the threads in Python, so a page costs the same number of queries
with 5 comments or 5,000.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from masthead.discussion.models import Comment, DiscussionSettings

Status = Comment.Status
# What a public page may know about a comment. author_email is deliberately absent.
PUBLIC_FIELDS = (
    "id", "article_id", "parent_id", "status", "author_name", "author_url", "user_id",
    "body", "body_html", "created_at", "kind",
)  # fmt: skip


def comment_count_annotation():
    """Approved comments of each story, as a correlated subquery (no GROUP BY on the list)."""
    counts = (
        Comment.objects.filter(article=OuterRef("pk"), status=Status.APPROVED)
        .order_by()
        .values("article")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counts, output_field=IntegerField()), Value(0))


def approved_count(*, article_id: int) -> int:
    return Comment.objects.filter(article_id=article_id, status=Status.APPROVED).count()


@dataclass
class Item:
    """One comment in reading order, with what the flat template needs to nest it."""

    comment: Comment
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


def _visible(article_id: int, pending: list[int]):
    visible = Q(status=Status.APPROVED)
    if pending:
        visible |= Q(pk__in=pending, status=Status.PENDING)
    return (
        Comment.objects.filter(visible, article_id=article_id)
        .only(*PUBLIC_FIELDS)
        .order_by("created_at", "id")
    )


def _roots(comments: list[Comment]) -> tuple[list[Comment], dict[int, list[Comment]]]:
    known = {c.pk for c in comments}
    children: dict[int, list[Comment]] = {}
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
    comments = list(_visible(article_id, pending or []))
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

    def walk(comment: Comment, level: int) -> None:
        pending_here = comment.status == Status.PENDING
        item = Item(
            comment=comment,
            level=min(level, max_level),
            can_reply=open_for_replies and not pending_here and level < max_level,
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


def page_of(comment: Comment, *, config: DiscussionSettings | None = None) -> int:
    """The page of its story's comments on which ``comment`` appears."""
    config = config or DiscussionSettings.load()
    if not config.per_page:
        return 1
    rows = list(
        Comment.objects.filter(article_id=comment.article_id)
        .filter(Q(status=Status.APPROVED) | Q(pk=comment.pk))
        .order_by("created_at", "id")
        .values_list("pk", "parent_id")
    )
    parents = dict(rows)
    root = comment.pk
    seen = set()
    while parents.get(root) in parents and root not in seen:
        seen.add(root)
        root = parents[root]
    roots = [pk for pk, parent in rows if parent not in parents]
    if config.order == DiscussionSettings.Order.NEWEST:
        roots.reverse()
    index = roots.index(root) if root in roots else 0
    return index // config.per_page + 1


def moderation_counts() -> dict[str, int]:
    counts = dict(
        Comment.objects.order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return {status: counts.get(status, 0) for status in Status.values}
