"""Measuring related-story quality on labelled stories.

A JSON-lines file holds one story per line: ``{"title": ..., "body": ..., "label": ...}``.
Every story is indexed with the engine the site uses (the labels are never shown to it)
and asked for its ``k`` related stories; precision@k is the share of those ``k`` slots
filled by a story with the same label, averaged over stories. A slot left empty (the
baseline's threshold can leave fewer than ``k``) counts as a miss.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from .documents import Document, Match
from .index import RelatedIndex
from .yarpp import YarppIndex

REQUIRED_KEYS = ("title", "body", "label")


class DataError(Exception):
    """The evaluation data can't be used; the message says where and how to fix it."""


def load_jsonl(path: str | Path) -> tuple[list[Document], list[Any]]:
    """Stories and their labels from a JSON-lines file (blank lines are skipped)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataError(
            f"{path}: no such file. Give a JSON-lines file with one story per line "
            f'like {{"title": "...", "body": "...", "label": "..."}}.'
        ) from None
    except IsADirectoryError:
        raise DataError(f"{path}: is a directory, not a JSON-lines file.") from None
    except UnicodeDecodeError as err:
        raise DataError(f"{path}: not UTF-8 text ({err.reason}); save it as UTF-8.") from None
    docs, labels = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}, line {number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as err:
            raise DataError(
                f"{where}: not valid JSON ({err.msg} at column {err.colno}). "
                "Each line must hold one JSON object."
            ) from None
        if not isinstance(record, dict):
            raise DataError(
                f"{where}: expected a JSON object with keys title, body and label, "
                f"found {type(record).__name__}."
            )
        missing = [key for key in REQUIRED_KEYS if key not in record]
        if missing:
            raise DataError(
                f"{where}: missing {', '.join(repr(k) for k in missing)}. "
                "Each object needs title, body and label."
            )
        for key in ("title", "body"):
            if not isinstance(record[key], str):
                raise DataError(f"{where}: {key!r} must be a string.")
        if not isinstance(record["label"], str | int) or isinstance(record["label"], bool):
            raise DataError(f"{where}: 'label' must be a string or an integer.")
        docs.append(Document(id=len(docs), title=record["title"], body=record["body"]))
        labels.append(record["label"])
    if not docs:
        raise DataError(
            f"{path}: no stories in the file (it is empty). Add one JSON object a line."
        )
    return docs, labels


def precision_at_k(lists: Sequence[Sequence[Match]], labels: Sequence[Any], k: int) -> float:
    """Mean share of the ``k`` slots holding a story with the query story's label."""
    hits = [
        sum(labels[m.doc_id] == labels[i] for m in matches[:k]) / k
        for i, matches in enumerate(lists)
    ]
    return float(np.mean(hits)) if hits else 0.0


def evaluate_jsonl(
    path: str | Path, k: int = 5, *, engine_options: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """precision@k of the engine and of the YARPP-style baseline on a labelled file.

    Returns ``{"precision_at_k", "baseline_precision_at_k", "k", "n"}``.
    """
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise ValueError(f"k must be a whole number of at least 1, not {k!r}.")
    docs, labels = load_jsonl(path)
    index = RelatedIndex(**(engine_options or {})).build(docs)
    ours = [index.related(doc.id, k) for doc in docs]
    baseline = YarppIndex().build(docs).related_rows(np.arange(len(docs)), k)
    return {
        "precision_at_k": precision_at_k(ours, labels, k),
        "baseline_precision_at_k": precision_at_k(baseline, labels, k),
        "k": k,
        "n": len(docs),
    }
