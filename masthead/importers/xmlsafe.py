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


_PACKED = {
    b"\x1f\x8b": "gzip: gunzip it",
    b"PK\x03\x04": "zip: unzip it",
    b"BZh": "bzip2: bunzip2 it",
}


def file_size(path: str | os.PathLike) -> int:
    """The size of ``path`` in bytes, or ImportFailed saying why it cannot be read as an
    export (a folder, a compressed file), before any progress bar is drawn."""
    try:
        with Path(path).open("rb") as handle:
            start = handle.read(4)
            size = os.fstat(handle.fileno()).st_size
    except IsADirectoryError as err:
        raise ImportFailed(f"{path} is a folder: name the export file in it.") from err
    except OSError as err:
        raise ImportFailed(f"Cannot read {path}: {err.strerror or err}.") from err
    for magic, advice in _PACKED.items():
        if start.startswith(magic):
            kind, _, what = advice.partition(": ")
            raise ImportFailed(
                f"{Path(path).name} is compressed ({kind}): {what} first and import the XML "
                "file inside. Nothing was imported."
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
