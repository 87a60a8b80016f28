"""Writing imported comments: create or update by ``(import_source, import_id)``, then thread.

Rows are written in bulk (a few queries per batch, not per comment). Because bulk writes skip
``Comment.save()``, this module sets ``depth`` itself, the way ``save()`` would.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import groupby

from masthead.discussion.models import Comment
from masthead.discussion.text import render_body

FIELDS = (
    "article",
    "kind",
    "status",
    "author_name",
    "author_email",
    "author_url",
    "body",
    "ip_address",
    "user_agent",
    "created_at",
)


@dataclass
class CommentRecord:
    import_id: str
    parent_import_id: str  # "" for a top-level comment
    fields: dict = field(default_factory=dict)
    concerning: str = ""


@dataclass
class UpsertResult:
    created: int = 0
    updated: int = 0
    unresolved: list[CommentRecord] = field(default_factory=list)
    cycles: list[CommentRecord] = field(default_factory=list)


def _imported(source: str):
    """Comments from ``source``; the extra condition lets the database use the partial unique
    index on (import_source, import_id) instead of scanning every comment."""
    return Comment.objects.filter(import_source=source).exclude(import_source="").order_by()


def comments_upsert(*, source: str, records: list[CommentRecord]) -> UpsertResult:
    """Create or update ``records`` and link each to its parent (in the batch or already stored).

    Records whose parent cannot be found are stored at the top level and listed in
    ``unresolved``, so that a caller can link them later with :func:`comments_link`.
    New rows are inserted level by level (top-level comments first), so that each reply is
    inserted knowing its parent's id and depth.
    """
    result = UpsertResult()
    if not records:
        return result
    by_id = {r.import_id: r for r in records}
    existing = {c.import_id: c for c in _imported(source).filter(import_id__in=list(by_id))}
    outside = {r.parent_import_id for r in records if r.parent_import_id} - by_id.keys()
    stored = {
        row["import_id"]: row
        for row in _imported(source)
        .filter(import_id__in=list(outside))
        .values("import_id", "pk", "depth")
    }
    depths: dict[str, int] = {}

    def depth_of(import_id: str, trail: tuple[str, ...] = ()) -> int:
        """1 for a top-level comment, 0 for a parent that cannot be found, -1 for a loop."""
        if import_id in depths:
            return depths[import_id]
        parent = by_id[import_id].parent_import_id
        if not parent:
            depth = 1
        elif parent in trail or parent == import_id:
            depth = -1
        elif parent in by_id:
            above = depth_of(parent, (*trail, import_id))
            depth = above + 1 if above > 0 else above
        else:
            depth = stored[parent]["depth"] + 1 if parent in stored else 0
        depths[import_id] = depth
        return depth

    for record in records:
        depth = depth_of(record.import_id)
        if depth == 0:
            result.unresolved.append(record)
        elif depth < 0:
            result.cycles.append(record)
    objects: dict[str, Comment] = {}
    ordered = sorted(records, key=lambda r: max(depths[r.import_id], 1))
    for _, level in groupby(ordered, key=lambda r: max(depths[r.import_id], 1)):
        new = []
        for record in level:
            comment = existing.get(record.import_id)
            if comment is None:
                comment = Comment(import_source=source, import_id=record.import_id)
            for name, value in record.fields.items():
                setattr(comment, name, value)
            # Rows are written in bulk, past Comment.save(): render the text here, so an
            # imported comment is never shown blank or stale.
            comment.body_html = render_body(comment.body)
            parent, depth = record.parent_import_id, depths[record.import_id]
            comment.parent, comment.depth = None, 1
            if depth > 1 and parent in objects:
                comment.parent, comment.depth = objects[parent], depth
            elif depth > 1 and parent in stored:
                comment.parent_id, comment.depth = stored[parent]["pk"], depth
            if comment.pk is None:
                new.append(comment)
            else:
                values = {name: getattr(comment, name) for name in (*FIELDS, "body_html")}
                Comment.objects.filter(pk=comment.pk).update(
                    **values, parent_id=comment.parent_id, depth=comment.depth
                )
                result.updated += 1
            objects[record.import_id] = comment
        Comment.objects.bulk_create(new, batch_size=500)
        result.created += len(new)
    return result


def comments_link(*, source: str, links: dict[str, str]) -> int:
    """Attach stored comments to parents stored since (``{child: parent}`` import ids), then
    recompute the depth of every comment from ``source``. Returns how many were linked."""
    if not links:
        return 0
    wanted = set(links) | set(links.values())
    pks = dict(_imported(source).filter(import_id__in=list(wanted)).values_list("import_id", "pk"))
    linked = 0
    for child, parent in links.items():
        if child in pks and parent in pks and child != parent:
            Comment.objects.filter(pk=pks[child]).update(parent_id=pks[parent])
            linked += 1
    stored = {
        pk: (parent, depth)
        for pk, parent, depth in _imported(source)
        .values_list("pk", "parent_id", "depth")
        .iterator()
    }
    depths: dict[int, int] = {}
    for pk in stored:
        chain, node = [], pk
        while node is not None and node not in depths and node not in chain:
            chain.append(node)
            node = stored[node][0] if node in stored else None
        base = depths.get(node, 0) if node is not None and node not in chain else 0
        for offset, item in enumerate(reversed(chain), start=1):
            depths[item] = base + offset
    changed = [Comment(pk=pk, depth=d) for pk, d in depths.items() if stored[pk][1] != d]
    Comment.objects.bulk_update(changed, ["depth"], batch_size=500)
    return linked
