"""Image renditions: smaller WebP copies for ``srcset``; the original is always kept."""

from __future__ import annotations

import io
import logging
from pathlib import PurePosixPath

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q, QuerySet
from PIL import Image as PILImage
from PIL import ImageOps

from masthead.core.pagecache import purge
from masthead.newsroom.cache import purge_articles
from masthead.newsroom.models import Article, Author, Image

logger = logging.getLogger("masthead.newsroom")

RENDITION_WIDTHS = (480, 800, 1200, 1600)


def image_make_renditions(*, image: Image) -> Image:
    """(Re)build the renditions of ``image`` and store their paths on it.

    The old renditions are removed only once the new ones are stored and the transaction
    commits; if making them fails, the ones made so far are removed and the error raised.
    """
    old = [item["path"] for item in image.renditions]
    stem = PurePosixPath(image.file.name).with_suffix("")
    renditions = []
    try:
        with image.file.open("rb") as source, PILImage.open(source) as original:
            picture = ImageOps.exif_transpose(original)
            picture.load()
            if picture.mode not in ("RGB", "RGBA"):
                picture = picture.convert("RGBA" if "transparency" in picture.info else "RGB")
            # No rendition wider than the widest pages ask for: a 5,000-pixel upload got a
            # 5,000-pixel WebP beside the original, as heavy and never used.
            widths = [w for w in RENDITION_WIDTHS if w < picture.width]
            widths += [min(picture.width, max(RENDITION_WIDTHS))]
            for width in sorted(set(widths)):
                height = max(1, round(picture.height * width / picture.width))
                resized = (
                    picture
                    if width == picture.width
                    else picture.resize((width, height), PILImage.Resampling.LANCZOS)
                )
                buffer = io.BytesIO()
                resized.save(buffer, "WEBP", quality=80, method=4)
                name = f"{stem}-{width}w.webp"
                path = default_storage.save(name, ContentFile(buffer.getvalue()))
                renditions.append({"width": width, "height": height, "path": path})
    except Exception:
        _delete_files([item["path"] for item in renditions])
        raise
    image.renditions = renditions
    Image.objects.filter(pk=image.pk).update(renditions=renditions)
    made = {item["path"] for item in renditions}
    transaction.on_commit(lambda: _delete_files([path for path in old if path not in made]))
    return image


def _delete_files(paths: list[str]) -> None:
    for path in paths:
        if path:
            default_storage.delete(path)


def image_create(*, file, alt_text: str, caption: str = "", credit: str = "", user=None) -> Image:
    """Store an upload (validated like the admin form does) and make its renditions."""
    image = Image(file=file, alt_text=alt_text, caption=caption, credit=credit, uploaded_by=user)
    image.full_clean()
    return image_save(image=image, file_changed=True)


PICKER_PAGE = 24


def image_choices(*, query: str = "", before: int | None = None) -> tuple[list[Image], bool]:
    """Pictures for the body editor's picker, newest first: those whose alt text, caption or
    credit contain every word of ``query``; a page of them below id ``before``, and whether
    there are more."""
    found = Image.objects.exclude(file="").order_by("-id")
    for word in query.split()[:8]:
        found = found.filter(
            Q(alt_text__icontains=word) | Q(caption__icontains=word) | Q(credit__icontains=word)
        )
    if before is not None:
        found = found.filter(id__lt=before)
    page = list(found[: PICKER_PAGE + 1])
    return page[:PICKER_PAGE], len(page) > PICKER_PAGE


def image_stories(*, image: Image, names: tuple[str, ...] = ()) -> QuerySet[Article]:
    """Live stories showing ``image``: as their featured picture, or in their body by its
    file (or by any of ``names``, files it had before)."""
    shown = Q(featured_image_id=image.pk) if image.pk else Q(pk__in=[])
    for name in {image.file.name if image.file else "", *names} - {""}:
        shown |= Q(body__contains=name)
    return Article.objects.live().filter(shown).select_related("section")


@transaction.atomic
def image_save(*, image: Image, file_changed: bool) -> Image:
    """Store ``image`` and, for a new file, make its renditions. Cached pages of the live
    stories showing it (by its old file or its new one) are purged. If the renditions cannot
    be made, the error is raised and the newly stored file removed."""
    previous = ""
    if image.pk is not None:
        previous = Image.objects.filter(pk=image.pk).values_list("file", flat=True).first() or ""
    image.save()
    if file_changed or not image.renditions:
        try:
            image_make_renditions(image=image)
        except Exception:
            if file_changed and image.file.name != previous:
                _delete_files([image.file.name])
            raise
    _purge_pages(image, names=(previous,))
    return image


@transaction.atomic
def image_delete(*, image: Image) -> None:
    """Delete ``image``: stories lose it as their featured picture, and the cached pages of
    the live ones showing it are purged. Its files are removed once the deletion commits,
    unless a story's body still points at the original (its renditions go in any case)."""
    _purge_pages(image)
    files = [item["path"] for item in image.renditions]
    if not Article.objects.filter(body__contains=image.file.name).exists():
        files.append(image.file.name)
    image.delete()
    transaction.on_commit(lambda: _delete_files(files))


def _purge_pages(image: Image, names: tuple[str, ...] = ()) -> None:
    """Cached pages showing ``image``: live stories and their lists, authors' pages."""
    purge_articles(image_stories(image=image, names=names))
    authors = Author.objects.filter(photo_id=image.pk).values_list("slug", flat=True)
    purge(*(f"author:{slug}" for slug in authors))
