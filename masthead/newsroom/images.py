"""Image renditions: smaller WebP copies for ``srcset``; the original is always kept."""

from __future__ import annotations

import io
import logging
from pathlib import PurePosixPath

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image as PILImage
from PIL import ImageOps

from masthead.newsroom.models import Image

logger = logging.getLogger("masthead.newsroom")

RENDITION_WIDTHS = (480, 800, 1200, 1600)


def image_make_renditions(*, image: Image) -> Image:
    """(Re)build the renditions of ``image`` and store their paths on it."""
    for old in image.renditions:
        default_storage.delete(old["path"])
    stem = PurePosixPath(image.file.name).with_suffix("")
    renditions = []
    with image.file.open("rb") as source, PILImage.open(source) as original:
        picture = ImageOps.exif_transpose(original)
        picture.load()
        if picture.mode not in ("RGB", "RGBA"):
            picture = picture.convert("RGBA" if "transparency" in picture.info else "RGB")
        widths = [w for w in RENDITION_WIDTHS if w < picture.width] + [picture.width]
        for width in sorted(set(widths)):
            height = max(1, round(picture.height * width / picture.width))
            resized = (
                picture
                if width == picture.width
                else picture.resize((width, height), PILImage.Resampling.LANCZOS)
            )
            buffer = io.BytesIO()
            resized.save(buffer, "WEBP", quality=80, method=4)
            path = default_storage.save(f"{stem}-{width}w.webp", ContentFile(buffer.getvalue()))
            renditions.append({"width": width, "height": height, "path": path})
    image.renditions = renditions
    Image.objects.filter(pk=image.pk).update(renditions=renditions)
    return image


def image_create(*, file, alt_text: str, caption: str = "", credit: str = "", user=None) -> Image:
    """Store an upload (validated like the admin form does) and make its renditions."""
    image = Image(file=file, alt_text=alt_text, caption=caption, credit=credit, uploaded_by=user)
    image.full_clean()
    image.save()
    return image_make_renditions(image=image)
