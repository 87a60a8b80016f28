"""Masthead's related-stories engine: pure Python, no Django.

The Django app wraps it: it feeds published stories in, stores the lists it computes,
and asks ``affected_by`` whose stored lists to refresh after an edit.
"""

from .documents import DocId, Document, Match
from .index import RelatedIndex

__all__ = ["DocId", "Document", "Match", "RelatedIndex"]
