"""A mirror of cached pages on disk, for nginx to serve without asking Masthead.

Off unless ``PAGE_CACHE_DIR`` is set. Each HTML page the page cache stores is also written
to ``PAGE_CACHE_DIR/<host>/<path>/index.html``, and filed under the groups it depends on
(``PAGE_CACHE_DIR/.groups/<group>/<entry>``); purging a group deletes its files. nginx,
configured as in docs/deployment.md, answers anonymous GETs from these files at static-file
speed and passes everything else to Masthead.

A page rendered before a purge could otherwise be written after it: the writer files the
page under its groups first, writes it, then checks that none of its groups was purged in
the meantime, and deletes it if one was. Files also expire after ``PAGE_CACHE_SECONDS``.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings

logger = logging.getLogger("masthead.pagecache")

GROUPS = ".groups"
_SAFE_GROUP = re.compile(r"[^A-Za-z0-9:_.-]")
_SAFE_HOST = re.compile(r"^[a-z0-9.-]+$")


def root() -> Path | None:
    configured = getattr(settings, "MASTHEAD_PAGE_CACHE_DIR", "")
    return Path(configured) if configured else None


def _page_file(base: Path, host: str, path: str) -> Path | None:
    """Where the page for ``host`` and ``path`` lives, or None if it must not be mirrored."""
    host = host.lower().split(":")[0]  # as nginx's $host: no port
    if not _SAFE_HOST.match(host) or not path.startswith("/") or not path.endswith("/"):
        return None
    parts = [part for part in path.split("/") if part]
    if any(part in {".", ".."} or part.startswith(".") or "\0" in part for part in parts):
        return None
    return base.joinpath(host, *parts, "index.html")


def _group_dir(base: Path, group: str) -> Path:
    return base / GROUPS / _SAFE_GROUP.sub("_", group)


def store(
    *, host: str, path: str, content: bytes, groups: Iterable[str], still_fresh
) -> Path | None:
    """Write the page and file it under ``groups``; ``still_fresh()`` is asked afterwards."""
    base = root()
    target = _page_file(base, host, path) if base else None
    if target is None:
        return None
    relative = str(target.relative_to(base))
    entry = hashlib.sha256(relative.encode()).hexdigest()[:32]
    try:
        for group in groups:
            directory = _group_dir(base, group)
            directory.mkdir(parents=True, exist_ok=True)
            (directory / entry).write_text(relative)
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=target.parent, delete=False) as handle:
            handle.write(content)
        os.chmod(handle.name, 0o644)
        os.replace(handle.name, target)
    except OSError as err:
        logger.warning("Could not mirror %s to disk: %s", path, err)
        return None
    if not still_fresh():
        target.unlink(missing_ok=True)
        return None
    return target


def purge(groups: Iterable[str], *, everything: bool = False) -> None:
    base = root()
    if base is None or not base.exists():
        return
    if everything:
        for child in base.iterdir():
            if child.is_dir():
                shutil.rmtree(child, ignore_errors=True)
        return
    for group in groups:
        directory = _group_dir(base, group)
        if not directory.is_dir():
            continue
        for entry in directory.iterdir():
            try:
                (base / entry.read_text()).unlink(missing_ok=True)
                entry.unlink(missing_ok=True)
            except OSError:
                continue


def expire(*, older_than: float) -> int:
    """Delete mirrored pages older than ``older_than`` seconds. Returns how many."""
    base = root()
    if base is None or not base.exists():
        return 0
    cutoff = time.time() - older_than
    removed = 0
    for page in base.rglob("index.html"):
        try:
            if page.stat().st_mtime < cutoff:
                page.unlink()
                removed += 1
        except OSError:
            continue
    for entry in (base / GROUPS).glob("*/*"):  # filings of pages that are gone
        try:
            if not (base / entry.read_text()).exists():
                entry.unlink()
        except OSError:
            continue
    return removed
