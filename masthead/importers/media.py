"""``masthead import media``: the pictures of imported stories, brought over from the old site.

For every imported story: its featured image (the address the WordPress import recorded), if
the story has none yet, and each picture in its body whose address is on the old site, at the
largest size the old site has (WordPress's original of a resized copy, or the widest in its
``srcset``; Masthead makes its own smaller ones). Each address is downloaded once
(``ImportedMedia`` remembers it), stored as a newsroom Image (the upload checks, renditions),
and the body is pointed at Masthead's copy.

Downloads happen outside any transaction; each story is then written in a short one, re-read
under a lock so that an editor's change made meanwhile is kept. Saving goes through
``Article.save()`` as the WordPress import does, so the body is sanitised again and its text,
word count and reading time follow; search is kept current by the database; cached pages are
purged once at the end. A story whose content changes this way gets no "Updated" time: the
pictures are the same, only their address is new.
"""

from __future__ import annotations

import io
import ipaddress
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import IO
from urllib.parse import unquote, urlsplit

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils.text import slugify
from PIL import Image as PILImage
from tqdm import tqdm

from masthead.core.html import Attributes, image_tags, replace_image_tags
from masthead.importers.fetch import Fetcher, FetchFailed, Picture
from masthead.importers.models import ImportedItem, ImportedMedia
from masthead.importers.report import Report
from masthead.importers.util import clip
from masthead.newsroom.body import own_hosts
from masthead.newsroom.images import image_create
from masthead.newsroom.models import Article, Image

DEFAULT_TIMEOUT = 20.0
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
MAX_URL = ImportedMedia._meta.get_field("old_url").max_length
FAILED = "Not downloaded"
PLANNED = "To download"
PICTURES = "pictures"


def host_of(url: str) -> str:
    try:
        return (urlsplit(url.strip()).hostname or "").lower()
    except ValueError:
        return ""


def absolute(src: str | None) -> str:
    """An ``<img src>`` as an absolute address ("" for a relative one or none)."""
    src = (src or "").strip()
    if src.startswith("//"):
        src = f"https:{src}"
    parts = urlsplit(src)
    if not parts.scheme or not parts.netloc:
        return ""
    return parts._replace(fragment="").geturl()


# WordPress names a resized copy after its original: photo.jpg → photo-300x200.jpg.
_RESIZED = re.compile(r"-(\d+)x(\d+)(?=\.[A-Za-z0-9]+$)")
FRAMING_TOLERANCE = 0.02  # a resize rounds its sides: 1024x683 is 3:2 to within 0.1%


def resized_size(url: str) -> tuple[int, int] | None:
    """The width and height a WordPress-resized copy's name gives (photo-300x200.jpg)."""
    found = _RESIZED.search(urlsplit(url).path)
    return (int(found[1]), int(found[2])) if found else None


def larger_copies(
    src: str, srcset: str, width: str | None, is_old: Callable[[str], bool]
) -> list[str]:
    """Addresses that may hold the same picture at a larger size on the old site, best
    first: the original WordPress resized it from (the name without ``-WIDTHxHEIGHT``), then
    the widest ``srcset`` candidate if it is wider than ``src`` is known to be (its name, its
    ``srcset`` entry or its ``width``). Masthead makes its own smaller copies, so the largest
    picture is the one to bring over; :func:`same_framing` checks what comes back."""
    found = []
    parts = urlsplit(src)
    original = _RESIZED.sub("", parts.path)
    if original != parts.path:
        found.append(parts._replace(path=original).geturl())
    widths = {}
    for candidate in srcset.split(","):
        bits = candidate.split()
        if len(bits) == 2 and bits[1][:-1].isdigit() and bits[1].endswith("w"):
            url = absolute(bits[0])
            if is_old(url):
                widths[url] = max(widths.get(url, 0), int(bits[1][:-1]))
    shown = widths.get(src) or (resized_size(src) or (0, 0))[0]
    shown = shown or (int(width) if (width or "").strip().isdigit() else 0)
    if widths and shown:
        widest = max(widths, key=widths.__getitem__)
        if widths[widest] > shown:
            found.append(widest)
    return [url for url in dict.fromkeys(found) if url != src and len(url) <= MAX_URL]


def picture_size(picture: Picture) -> tuple[int, int]:
    """Width and height of a fetched picture ((0, 0) if Pillow cannot read it)."""
    try:
        with PILImage.open(io.BytesIO(picture.content)) as opened:
            return opened.size
    except Exception:  # not readable: the upload checks would refuse it too
        return 0, 0


def same_framing(src: str, width: int, height: int) -> bool:
    """Whether a larger copy ``width`` x ``height`` can stand in for ``src``: when ``src``
    is a resized copy, wider and with the same proportions. WordPress crops some sizes (a
    150x150 thumbnail of a landscape photo): their original is another framing."""
    size = resized_size(src)
    if size is None:
        return width > 0
    shown_width, shown_height = size
    if width <= shown_width or not (height and shown_height):
        return False
    ratio, shown_ratio = width / height, shown_width / shown_height
    return abs(ratio - shown_ratio) <= FRAMING_TOLERANCE * shown_ratio


def is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def discard_files(image: Image) -> None:
    """Remove an image's stored files (after its row was rolled back)."""
    storage = image.file.storage
    for path in [image.file.name, *(item["path"] for item in image.renditions)]:
        if path:
            storage.delete(path)


def old_site_hosts(*, extra: Iterable[str] = ()) -> frozenset[str]:
    """The hosts of the imported sites: each import's site, its stories' old addresses and
    featured images (but never this site's own hosts), plus ``extra`` as given."""
    hosts: set[str] = set()
    for source in ImportedItem.objects.values_list("source", flat=True).distinct():
        key = source.removeprefix("wxr:")
        if key != source and not key.startswith("file/"):
            host = host_of(f"//{key}")
            hosts.update({host, f"www.{host}"} if "." in host and not is_ip(host) else {host})
    rows = ImportedItem.objects.values_list("original_url", "featured_image_url")
    for row in rows.iterator(chunk_size=2000):
        hosts.update(host_of(url) for url in row)
    hosts -= own_hosts()
    hosts.update(host_of(h if "//" in h else f"//{h}") for h in extra)
    hosts.discard("")
    return frozenset(hosts)


@dataclass
class Wanted:
    """A story's pictures to bring over: address → alt text for a new Image."""

    featured: str = ""
    pictures: dict[str, str] = field(default_factory=dict)
    larger: dict[str, list[str]] = field(default_factory=dict)  # address → larger copies


class MediaImport:
    def __init__(
        self, *, hosts: frozenset[str], fetcher: Fetcher | None, report: Report, dry_run: bool
    ) -> None:
        self.hosts = hosts
        self.fetcher = fetcher
        self.report = report
        self.dry_run = dry_run
        self.done: dict[str, Image | None] = {}  # this run's answers: address → Image
        self.earlier: set[str] = set()  # brought over by an earlier run, not yet counted
        self.failed: set[str] = set()
        self.unavailable: set[str] = set()  # larger copies the old site did not give
        self.planned: set[str] = set()  # a dry run's list
        self.changed = 0

    def is_old(self, url: str) -> bool:
        return bool(url) and host_of(url) in self.hosts

    # --- what a story needs ---------------------------------------------------------------

    def wanted(self, article: Article) -> Wanted:
        wanted = Wanted()
        if article.featured_image_id is None:
            records = ImportedItem.objects.filter(article=article).exclude(featured_image_url="")
            record = records.order_by("pk").first()
            if record is not None:
                wanted.featured = record.featured_image_url.strip()
                alt = record.featured_image_alt or article.headline
                wanted.pictures[wanted.featured] = alt
        for attrs in image_tags(article.body):
            values = dict(attrs)
            url = absolute(values.get("src"))
            if self.is_old(url):
                alt = " ".join((values.get("alt") or "").split()) or article.headline
                wanted.pictures.setdefault(url, alt)
                srcset = values.get("srcset") or ""
                larger = larger_copies(url, srcset, values.get("width"), self.is_old)
                wanted.larger.setdefault(url, larger)
        return wanted

    # --- getting one picture ----------------------------------------------------------------

    def image_for(self, url: str, alt: str, story: str, larger: Iterable[str] = ()) -> Image | None:
        """Masthead's copy of ``url``: remembered, or downloaded now from the first of
        ``larger`` (the same picture at a larger size) the old site gives, else from ``url``
        itself; None if there is none."""
        larger = list(larger)
        known = set()  # brought over already: never downloaded again
        for address in [url, *larger]:
            found, image = self._remembered(address)
            if not found:
                continue
            known.add(address)
            framed_otherwise = image is not None and not same_framing(
                url, image.width, image.height
            )
            if address != url and framed_otherwise:
                continue  # brought over for a story that shows it framed otherwise
            self.done[url] = image
            self._count_earlier(address, image)
            return image
        if url in self.failed:
            return None
        if urlsplit(url).scheme.lower() not in {"http", "https"}:
            return self._fail(url, story, "only http and https addresses are downloaded")
        if len(url) > MAX_URL:
            return self._fail(url, story, f"the address is longer than {MAX_URL} characters")
        if self.dry_run:
            if url not in self.planned:
                self.planned.add(url)
                self.report.add(PICTURES, "to download")
                self.report.itemise(PLANNED, story, self._shown(url))
            return None
        for address in larger:
            if address in self.unavailable or address in known:
                continue
            try:
                picture = self.fetcher.fetch(address)
            except FetchFailed:
                self.unavailable.add(address)  # the copy in the story will do
                continue
            if not same_framing(url, *picture_size(picture)):
                self.unavailable.add(address)  # another crop, or no larger after all
                continue
            image = self._store(address, alt, picture, story, quiet=True)
            if image is None:  # not a picture the site takes (too many pixels, say)
                self.unavailable.add(address)
                continue
            self.done[url] = self.done[address] = image
            return image
        try:
            picture = self.fetcher.fetch(url)
        except FetchFailed as err:
            return self._fail(url, story, str(err))
        image = self._store(url, alt, picture, story)
        self.done[url] = image
        return image

    def _remembered(self, address: str) -> tuple[bool, Image | None]:
        """Whether ``address`` was brought over already (this run or an earlier one), and
        its Image (None if an editor deleted it since: it is not downloaded again)."""
        if address in self.done:
            return True, self.done[address]
        known = ImportedMedia.objects.filter(old_url=address).select_related("image").first()
        if known is None:
            return False, None
        self.done[address] = known.image
        self.earlier.add(address)
        return True, known.image

    def _count_earlier(self, address: str, image: Image | None) -> None:
        """Count a picture an earlier run brought over, once, when a story uses it (not when
        it is only looked at: a larger copy framed otherwise is passed over)."""
        if address in self.earlier:
            self.earlier.discard(address)
            outcome = (
                "already downloaded" if image is not None else "skipped (its image was deleted)"
            )
            self.report.add(PICTURES, outcome)

    def _shown(self, url: str) -> str:
        source = self.fetcher.source_of(url) if self.fetcher else url
        return url if source == url else f"{url} (from {source})"

    def _fail(self, url: str, story: str, reason: str) -> None:
        self.failed.add(url)
        self.report.add(PICTURES, "failed")
        self.report.itemise(FAILED, story, f"{self._shown(url)} — {reason}")
        return

    def _store(
        self, url: str, alt: str, picture: Picture, story: str, *, quiet: bool = False
    ) -> Image | None:
        stem = slugify(PurePosixPath(unquote(urlsplit(url).path)).stem)[:80] or "picture"
        upload = ContentFile(picture.content, name=f"{stem}{picture.suffix}")
        image = None
        try:
            with transaction.atomic():
                image = image_create(file=upload, alt_text=clip(alt, 300) or "Picture")
                ImportedMedia.objects.create(
                    old_url=url,
                    image=image,
                    content_type=picture.content_type,
                    size=len(picture.content),
                )
        except Exception as err:  # nothing of it stays: the row is rolled back, files go
            if image is not None:
                discard_files(image)
            known = ImportedMedia.objects.filter(old_url=url).select_related("image").first()
            if isinstance(err, IntegrityError) and known is not None:
                return known.image  # another run stored it meanwhile: use that one
            if quiet:
                return None
            return self._fail(url, story, f"could not be stored ({type(err).__name__}: {err})")
        self.report.add(PICTURES, "downloaded")
        self.report.add("bytes", "downloaded", len(picture.content))
        return image

    # --- a story --------------------------------------------------------------------------------

    def story(self, article_id: int) -> None:
        article = Article.objects.filter(pk=article_id).only(
            "pk", "headline", "body", "featured_image"
        )
        article = article.first()
        if article is None:
            return
        story = f"“{clip(article.headline, 60)}” (article {article.pk})"
        wanted = self.wanted(article)
        images = {
            url: self.image_for(url, alt, story, wanted.larger.get(url, ()))
            for url, alt in wanted.pictures.items()
        }
        images = {url: image for url, image in images.items() if image is not None}
        if self.dry_run or not (images or self._has_old_srcset(article.body)):
            return
        with transaction.atomic():
            fresh = Article.objects.select_for_update().get(pk=article.pk)
            fields = []
            featured = images.get(wanted.featured)
            if featured is not None and fresh.featured_image_id is None:
                fresh.featured_image = featured
                fields.append("featured_image")
                self.report.add("featured images", "set")
            body, replaced = self.rewrite(fresh.body, images)
            if body != fresh.body:
                fresh.body = body
                fields.append("body")
                self.report.add("body pictures", "pointed at Masthead's copy", replaced)
            if fields:
                fresh.save(update_fields=[*fields, "modified_at"])
                self.changed += 1
                self.report.add("stories", "updated")

    def _has_old_srcset(self, body: str) -> bool:
        return any(self._old_srcset(dict(attrs)) for attrs in image_tags(body))

    def _old_srcset(self, values: dict) -> bool:
        candidates = (values.get("srcset") or "").split(",")
        return any(self.is_old(absolute(c.split()[0])) for c in candidates if c.strip())

    def rewrite(self, body: str, images: dict[str, Image]) -> tuple[str, int]:
        """``body`` with its old-site pictures pointing at ``images``; how many were."""
        replaced = 0

        def change(attrs: Attributes) -> Attributes | None:
            nonlocal replaced
            values = dict(attrs)
            image = images.get(absolute(values.get("src")))
            if image is None and self.is_old(absolute(values.get("src"))):
                return None  # not downloaded: keep it as it was, for a later run
            drop_srcset = self._old_srcset(values)
            if image is None and not drop_srcset:
                return None
            if image is not None:
                replaced += 1
            kept = []
            for name, value in attrs:
                if name in {"srcset", "sizes"} and drop_srcset:
                    continue
                kept.append((name, image.url if name == "src" and image else value))
            return kept

        return replace_image_tags(body, change), replaced


def media_import(
    *,
    dry_run: bool = False,
    hosts: Iterable[str] = (),
    mirrors: Iterable[tuple[str, str]] = (),
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int = DEFAULT_MAX_BYTES,
    progress: bool = True,
    stderr: IO | None = None,
) -> Report:
    """Bring the pictures of every imported story over from the old site (see the module)."""
    report = Report(title="Media import", dry_run=dry_run)
    mirrors = [(old, new) for old, new in mirrors]
    old_hosts = old_site_hosts(extra=[*hosts, *(host_of(old) for old, _ in mirrors)])
    if not old_hosts:
        report.warn(
            "",
            "No old site is known: import a WordPress export first (masthead import "
            "wordpress FILE.xml), or name the site's host with --host.",
        )
    for host in sorted(old_hosts):
        report.itemise("Old site hosts", "", host)
    ids = list(
        ImportedItem.objects.order_by("article_id").values_list("article_id", flat=True).distinct()
    )
    fetcher = Fetcher(timeout=timeout, max_bytes=max_bytes, mirrors=mirrors)
    run = MediaImport(hosts=old_hosts, fetcher=fetcher, report=report, dry_run=dry_run)
    with (
        fetcher,
        tqdm(
            total=len(ids), unit="story", desc="Pictures", disable=not progress, file=stderr
        ) as bar,
    ):
        for article_id in ids:
            run.story(article_id)
            bar.update(1)
    if run.changed:
        from masthead.core.pagecache import purge_everything

        transaction.on_commit(purge_everything)
    return report
