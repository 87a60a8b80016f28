"""Writing imported comments: create or update by ``(import_source, import_id)``, then thread.

Rows are written in bulk (a few queries per batch, not per comment). Because bulk writes skip
``Comment.save()``, this module sets ``depth`` itself, the way ``save()`` would.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from masthead.discussion.models import Comment

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


def comments_upsert(*, source: str, records: list[CommentRecord]) -> UpsertResult:
    """Create or update ``records`` and link each to its parent (in the batch or already stored).

    Records whose parent cannot be found are stored at the top level and listed in
    ``unresolved``, so that a caller can link them later with :func:`comments_link`.
    """
    result = UpsertResult()
    if not records:
        return result
    ids = [r.import_id for r in records]
    existing = {
        c.import_id: c for c in Comment.objects.filter(import_source=source, import_id__in=ids)
    }
    new, changed = [], []
    objects: dict[str, Comment] = {}
    for record in records:
        comment = existing.get(record.import_id)
        if comment is None:
            comment = Comment(import_source=source, import_id=record.import_id)
            new.append(comment)
        else:
            changed.append(comment)
        for name, value in record.fields.items():
            setattr(comment, name, value)
        comment.parent, comment.depth = None, 1
        objects[record.import_id] = comment
    Comment.objects.bulk_create(new, batch_size=500)
    result.created, result.updated = len(new), len(changed)

    outside = {r.parent_import_id for r in records if r.parent_import_id} - objects.keys()
    stored = {
        row["import_id"]: row
        for row in Comment.objects.filter(import_source=source, import_id__in=outside).values(
            "import_id", "pk", "depth"
        )
    }
    by_id = {r.import_id: r for r in records}

    def depth_of(import_id: str, trail: tuple[str, ...] = ()) -> int | None:
        record = by_id[import_id]
        parent = record.parent_import_id
        if not parent:
            return 1
        if parent in trail or parent == import_id:
            return None
        if parent in by_id:
            above = depth_of(parent, (*trail, import_id))
            return None if above is None else above + 1
        if parent in stored:
            return stored[parent]["depth"] + 1
        return 0  # parent unknown

    for record in records:
        comment = objects[record.import_id]
        depth = depth_of(record.import_id)
        if depth is None:
            result.cycles.append(record)
        elif depth == 0:
            result.unresolved.append(record)
        elif record.parent_import_id:
            parent = record.parent_import_id
            if parent in objects:
                comment.parent = objects[parent]
            else:
                comment.parent_id = stored[parent]["pk"]
            comment.depth = depth
    Comment.objects.bulk_update(
        list(objects.values()), [*FIELDS, "parent", "depth"], batch_size=500
    )
    return result


def comments_link(*, source: str, links: dict[str, str]) -> int:
    """Attach stored comments to parents stored since (``{child: parent}`` import ids), then
    recompute the depth of every comment from ``source``. Returns how many were linked."""
    if not links:
        return 0
    wanted = set(links) | set(links.values())
    pks = dict(
        Comment.objects.filter(import_source=source, import_id__in=wanted).values_list(
            "import_id", "pk"
        )
    )
    linked = 0
    for child, parent in links.items():
        if child in pks and parent in pks and child != parent:
            Comment.objects.filter(pk=pks[child]).update(parent_id=pks[parent])
            linked += 1
    stored = {
        pk: (parent, depth)
        for pk, parent, depth in Comment.objects.filter(import_source=source)
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
