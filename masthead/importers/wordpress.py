"""``masthead import wordpress``: a WXR file into articles, sections, tags, authors, comments.

Two passes over the file. The first reads everything without writing: it proves the XML is
well-formed (so a broken file imports nothing), and collects the small things items refer to
(authors, terms, attachment addresses). The second streams the items and writes them, one
transaction per batch. A dry run does the same inside a transaction that is rolled back.
"""

from __future__ import annotations

import os
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from django.conf import settings
from django.db import transaction
from tqdm import tqdm

from masthead.core.pagecache import purge_everything
from masthead.importers.articles import ItemWriter
from masthead.importers.report import Report
from masthead.importers.terms import TermMap
from masthead.importers.util import site_key
from masthead.importers.wxr import KNOWN_VERSIONS, Author, Channel, Item, Term, WxrReader
from masthead.importers.xmlsafe import file_size

IMPORTED_TYPES = {"post", "page"}


class DryRunRollback(Exception):
    """Raised at the end of a dry run to roll every write back."""


@dataclass
class Scan:
    channel: Channel = field(default_factory=Channel)
    authors: dict[str, Author] = field(default_factory=dict)
    terms: list[Term] = field(default_factory=list)
    attachments: dict[str, str] = field(default_factory=dict)  # post ID → file address
    attachment_alts: dict[str, str] = field(default_factory=dict)  # post ID → alt text
    items: int = 0


def scan(path: str | os.PathLike, *, bar: bool, stderr: IO | None) -> Scan:
    """Read the whole file once without writing anything; raises ImportFailed on bad XML."""
    result = Scan()
    size = file_size(path)
    with tqdm(
        total=size, unit="B", unit_scale=True, desc="Checking", disable=not bar, file=stderr
    ) as progress:
        reader = WxrReader(path, progress=lambda done: progress.update(done - progress.n))
        for record in reader:
            if isinstance(record, Author):
                result.authors.setdefault(record.login, record)
            elif isinstance(record, Term):
                result.terms.append(record)
            elif isinstance(record, Item):
                result.items += 1
                if record.post_type == "attachment" and record.post_id:
                    result.attachments[record.post_id] = record.attachment_url or record.guid
                    alt = " ".join(record.meta.get("_wp_attachment_image_alt", "").split())
                    if alt:
                        result.attachment_alts[record.post_id] = alt
        result.channel = reader.channel
    return result


def _check_version(channel: Channel, report: Report) -> None:
    version = channel.wxr_version
    if version is None:
        report.warn("", "The file has no <wp:wxr_version>; it was read as WXR 1.2.")
    elif version not in KNOWN_VERSIONS:
        report.warn("", f"Unknown WXR version “{version[:20]}”; it was read as WXR 1.2.")


def _write_terms(terms: TermMap, found: Scan, report: Report) -> None:
    for term in found.terms:
        if term.taxonomy == "category":
            terms.category_names.setdefault(term.slug, term.name)
            terms.category_descriptions.setdefault(term.slug, term.description)
    for term in found.terms:
        if term.taxonomy == "category":
            terms.section(term.slug, term.name, term.description)
        elif term.taxonomy == "post_tag":
            terms.tag(term.slug, term.name)
        else:
            report.add(f"terms ({term.taxonomy or 'no taxonomy'})", "skipped")
    for author in found.authors.values():
        terms.author(author.login, author)


def wordpress_import(
    *,
    path: str | os.PathLike,
    dry_run: bool = False,
    pages: bool = False,
    batch_size: int = 100,
    progress: bool = True,
    stderr: IO | None = None,
) -> Report:
    """Import a WXR file. Raises ``ImportFailed`` (nothing written) for a file it cannot read."""
    report = Report(title=f"WordPress import of {Path(path).name}", dry_run=dry_run)
    found = scan(path, bar=progress, stderr=stderr)
    _check_version(found.channel, report)
    channel = found.channel
    key = site_key(channel.base_blog_url, channel.link, channel.base_site_url)
    if not key:
        key = f"file/{Path(path).name}"[:190]
        report.warn(
            "",
            "The file names no site (no <link> or <wp:base_blog_url>); its items are keyed on "
            f"the file name “{Path(path).name}”, so import it under the same name to update it.",
        )
    source = f"wxr:{key}"
    own_site = key == site_key(settings.SITE_URL)
    try:
        with transaction.atomic() if dry_run else nullcontext():
            terms = TermMap(report)
            with transaction.atomic():
                _write_terms(terms, found, report)
            writer = ItemWriter(
                source=source,
                channel=channel,
                terms=terms,
                authors=found.authors,
                attachments=found.attachments,
                attachment_alts=found.attachment_alts,
                report=report,
                own_site=own_site,
            )
            _write_items(path, writer, found, pages, batch_size, progress, stderr, report)
            if writer.already_here:
                report.warn(
                    "",
                    f"This is an export of this site ({settings.SITE_URL}, the SITE_URL "
                    f"setting): {writer.already_here} of its stories are here already and were "
                    "left as they are (not copied, not overwritten); only stories missing here "
                    "were imported.",
                )
            if dry_run:
                raise DryRunRollback
    except DryRunRollback:
        pass
    finally:
        if not dry_run:  # even a failed import may have written stories already
            purge_everything()
    return report


def _write_items(path, writer, found, pages, batch_size, progress, stderr, report) -> None:
    batch: list[Item] = []

    def flush() -> None:
        if batch:
            with transaction.atomic():
                for item in batch:
                    writer.write(item)
            batch.clear()

    with tqdm(
        total=found.items, unit="item", desc="Importing", disable=not progress, file=stderr
    ) as bar:
        for record in WxrReader(path):
            if not isinstance(record, Item):
                continue
            bar.update(1)
            post_type = record.post_type or "post"
            if post_type not in IMPORTED_TYPES or (post_type == "page" and not pages):
                label = f"{post_type}s" if post_type != "page" else "pages (use --pages)"
                report.add(label, "skipped")
                if record.comments:
                    report.add("comments", "skipped", len(record.comments))
                continue
            batch.append(record)
            if len(batch) >= batch_size:
                flush()
        flush()
