"""The values the related-stories engine takes in and hands back."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

DocId = Hashable


@dataclass(frozen=True, slots=True)
class Document:
    """One story as the engine sees it: plain text and a few optional signals.

    ``tags`` and ``section`` are used when given; ``published_at`` drives the preference
    for recent stories among equally related ones (``None`` means "no age known").
    """

    id: DocId
    title: str
    body: str
    tags: Sequence[str] = ()
    section: str | None = None
    published_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Match:
    """A related story for some reference story, with the evidence for the link.

    ``score`` is the final ranking score (similarity times the recency factor);
    ``shared_terms`` are the terms, entities, tags or section the two stories share,
    strongest first, in a form an editor can read (``"Tony Blair"``, ``"#budget"``).
    """

    doc_id: DocId
    score: float
    shared_terms: tuple[str, ...] = field(default=())
