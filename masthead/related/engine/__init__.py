"""Masthead's related-stories engine: pure Python, no Django.

The Django app wraps it: it feeds published stories in, stores the lists it computes,
and asks ``affected_by`` whose stored lists to refresh after an edit.
"""

from .documents import DocId, Document, Match
from .evaluation import DataError, evaluate_jsonl
from .index import RelatedIndex
from .yarpp import YarppIndex

__all__ = [
    "DataError",
    "DocId",
    "Document",
    "Match",
    "RelatedIndex",
    "YarppIndex",
    "evaluate_jsonl",
]
