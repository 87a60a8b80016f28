"""What the classifier looks at: one comment with its metadata, and readers for labelled CSVs.

Field names follow Akismet's ``comment-check`` call, so that a comment posted to Masthead, an
import from another site and a row of training data all look the same.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from pathlib import Path

import numpy as np

from .errors import DataError

__all__ = ["AKISMET_FIELDS", "CommentSample", "parse_label", "read_csv"]


@dataclass(frozen=True, slots=True)
class CommentSample:
    """A comment as the spam classifier sees it. Every field may be empty."""

    comment_content: str
    comment_author: str = ""
    comment_author_email: str = ""
    comment_author_url: str = ""
    user_ip: str = ""
    user_agent: str = ""
    referrer: str = ""
    permalink: str = ""
    comment_type: str = ""
    article_text: str = ""

    @classmethod
    def from_mapping(cls, data: Mapping[str, object]) -> CommentSample:
        """Build a sample from a dict of Akismet-style fields; unknown keys are ignored."""
        values = {}
        for name in AKISMET_FIELDS:
            value = data.get(name)
            values[name] = "" if value is None else str(value)
        return cls(**values)


AKISMET_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(CommentSample))

_SPAM_LABELS = frozenset({"1", "spam", "true", "yes"})
_HAM_LABELS = frozenset({"0", "ham", "false", "no"})

# The YouTube Spam Collection layout (UCI): COMMENT_ID, AUTHOR, DATE, CONTENT, CLASS.
_YOUTUBE_COLUMNS = {"CONTENT": "comment_content", "AUTHOR": "comment_author"}
_YOUTUBE_REQUIRED = ("CONTENT", "CLASS")
_AKISMET_REQUIRED = ("comment_content", "label")


def parse_label(value: str) -> int | None:
    """Return 1 for a spam label, 0 for ham, None for anything else."""
    text = value.strip().lower()
    if text in _SPAM_LABELS:
        return 1
    if text in _HAM_LABELS:
        return 0
    return None


def read_csv(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
) -> tuple[list[CommentSample], np.ndarray]:
    """Read labelled comments from one or more CSV files.

    Two layouts are accepted, told apart by their header:

    * YouTube Spam Collection: ``CONTENT`` and ``CLASS`` (1 = spam), ``AUTHOR`` optional;
    * Akismet field names (``comment_content``, ``comment_author``, ... and optionally
      ``article_text``) plus a ``label`` column holding ``spam``/``ham`` or ``1``/``0``.

    Returns the samples and an ``int8`` array of labels (1 = spam). Raises ``DataError``
    naming the file, and the line for a bad label, when the data cannot be used.
    """
    if isinstance(paths, str | os.PathLike):
        paths = [paths]
    samples: list[CommentSample] = []
    labels: list[int] = []
    path_list = [Path(p) for p in paths]
    if not path_list:
        raise DataError("No CSV file given: pass at least one file of labelled comments.")
    for path in path_list:
        file_samples, file_labels = _read_one(path)
        samples.extend(file_samples)
        labels.extend(file_labels)
    return samples, np.asarray(labels, dtype=np.int8)


def _read_one(path: Path) -> tuple[list[CommentSample], list[int]]:
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except FileNotFoundError as err:
        raise DataError(f"{path}: no such file. Check the path (it is read as given).") from err
    except OSError as err:
        raise DataError(
            f"{path}: cannot be read ({err.strerror}). Check that it is a file you may read."
        ) from err
    samples: list[CommentSample] = []
    labels: list[int] = []
    try:
        with handle:
            reader = csv.DictReader(handle)
            header = [name.strip() for name in (reader.fieldnames or [])]
            columns = _map_columns(path, header)
            reader.fieldnames = header
            for row in reader:
                label_text = row.get(columns["label"]) or ""
                label = parse_label(label_text)
                if label is None:
                    raise DataError(
                        f"{path}, line {reader.line_num}: unknown label {label_text!r} in "
                        f"column {columns['label']!r}. Use 'spam' or 'ham' (or 1 or 0)."
                    )
                values = {
                    field: (row.get(column) or "")
                    for field, column in columns.items()
                    if field != "label"
                }
                samples.append(CommentSample(**values))
                labels.append(label)
    except UnicodeDecodeError as err:
        raise DataError(f"{path}: is not UTF-8 text ({err.reason}). Save it as UTF-8.") from err
    except csv.Error as err:
        raise DataError(f"{path}: is not a readable CSV file ({err}).") from err
    if not samples:
        raise DataError(f"{path}: has a header but no rows. Add labelled comments to it.")
    return samples, labels


def _map_columns(path: Path, header: list[str]) -> dict[str, str]:
    """Map CommentSample field names (and ``label``) to the file's column names."""
    if not header:
        raise DataError(
            f"{path}: is empty. Expected a header row, e.g. "
            f"{','.join(_AKISMET_REQUIRED)} or {','.join(_YOUTUBE_REQUIRED)}."
        )
    by_lower = {name.lower(): name for name in header}
    if "comment_content" in by_lower:
        missing = [name for name in _AKISMET_REQUIRED if name not in by_lower]
        if missing:
            raise DataError(
                f"{path}: missing column(s) {', '.join(missing)}. A file with Akismet field "
                f"names needs {', '.join(_AKISMET_REQUIRED)} (label: spam/ham or 1/0)."
            )
        columns = {name: by_lower[name] for name in AKISMET_FIELDS if name in by_lower}
        columns["label"] = by_lower["label"]
        return columns
    if "content" in by_lower:
        if "class" not in by_lower:
            raise DataError(
                f"{path}: missing column CLASS. A YouTube Spam Collection file needs "
                f"{', '.join(_YOUTUBE_REQUIRED)} (CLASS: 1 = spam, 0 = ham)."
            )
        columns = {
            field: by_lower[column.lower()]
            for column, field in _YOUTUBE_COLUMNS.items()
            if column.lower() in by_lower
        }
        columns["label"] = by_lower["class"]
        return columns
    raise DataError(
        f"{path}: found columns {', '.join(header)}, but no comment text. Expected either "
        f"{', '.join(_AKISMET_REQUIRED)} (Akismet field names; optional comment_author, "
        f"comment_author_email, comment_author_url, user_agent, referrer, article_text, ...) "
        f"or {', '.join(_YOUTUBE_REQUIRED)} (YouTube Spam Collection; optional AUTHOR)."
    )
