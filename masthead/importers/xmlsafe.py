"""Streaming XML for importers: defusedxml's parser, events as they come, clear errors.

Files are read with ``iterparse`` so that memory stays bounded: callers clear each element
once it has been handled. Documents that declare a DTD or entities are refused outright —
no export Masthead reads needs them, and they are how XXE and entity-expansion ("billion
laughs") attacks work.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO
from xml.etree.ElementTree import Element, ParseError, TreeBuilder

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser, iterparse


class ImportFailed(Exception):
    """The file cannot be imported; the message says why and what to do. Nothing was written."""


def _where(parser: DefusedXMLParser) -> str:
    expat = getattr(parser, "parser", None)
    if expat is None:
        return ""
    return f" at line {expat.CurrentLineNumber}, column {expat.CurrentColumnNumber + 1}"


def stream(
    path: str | os.PathLike,
    events=("start", "end"),
    progress: Callable[[int], object] | None = None,
) -> Iterator[tuple[str, object]]:
    """``(event, element)`` pairs from ``path``, with refusals and parse errors explained.

    ``progress``, if given, is called now and then with how many bytes have been read.
    """
    path = Path(path)
    try:
        handle: IO[bytes] = path.open("rb")
    except OSError as err:
        raise ImportFailed(f"Cannot read {path}: {err.strerror or err}.") from err
    parser = DefusedXMLParser(
        target=TreeBuilder(), forbid_dtd=True, forbid_entities=True, forbid_external=True
    )
    with handle:
        try:
            for count, event in enumerate(iterparse(handle, events=events, parser=parser)):
                if progress is not None and count % 4096 == 0:
                    progress(handle.tell())
                yield event
            if progress is not None:
                progress(handle.tell())
        except ParseError as err:
            line, column = err.position
            reason = str(err).split(":")[0]
            raise ImportFailed(
                f"{path.name} is not well-formed XML: {reason} at line {line}, column "
                f"{column + 1}. Nothing was imported. Fix the file there (or export it "
                "again) and run the import again."
            ) from err
        except DefusedXmlException as err:
            raise ImportFailed(
                f"{path.name} was refused{_where(parser)}: it declares a DTD or entities "
                f"({type(err).__name__}). Exports never need them, and they are how XML attacks "
                "(external entities, entity expansion) work. Nothing was imported."
            ) from err


# What an export sometimes arrives as, by its first bytes: unpack it first.
_PACKED = {b"\x1f\x8b": ("gzip", "gunzip"), b"PK\x03\x04": ("zip", "unzip"),
           b"BZh": ("bzip2", "bunzip2"), b"\xfd7zXZ": ("xz", "unxz")}  # fmt: skip


def file_size(path: str | os.PathLike) -> int:
    """The size of ``path`` in bytes, or ImportFailed saying why it cannot be read: checked
    before any progress bar is drawn, so a wrong path fails with one line."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise ImportFailed(f"{path} is a folder: give the export file inside it.")
        with path.open("rb") as handle:
            start = handle.read(6)
    except OSError as err:
        raise ImportFailed(f"Cannot read {path}: {err.strerror or err}.") from err
    for magic, (kind, tool) in _PACKED.items():
        if start.startswith(magic):
            raise ImportFailed(
                f"{path.name} is compressed ({kind}): unpack it first (e.g. `{tool} "
                f"{path.name}`) and import the XML file inside."
            )
    return size


def local(tag: str) -> tuple[str, str]:
    """``{namespace}name`` → ``(namespace, name)``."""
    if tag.startswith("{"):
        namespace, _, name = tag[1:].partition("}")
        return namespace, name
    return "", tag


def text(element: Element | None) -> str:
    """An element's text (CDATA included), or "" when it is missing or empty."""
    if element is None or element.text is None:
        return ""
    return element.text
