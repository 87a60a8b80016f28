from django.core.exceptions import ValidationError
from PIL import Image as PILImage

from masthead.core.conf import AppSettings

app_settings = AppSettings("MASTHEAD_", {"IMAGE_MAX_UPLOAD_MB": 20, "IMAGE_MAX_PIXELS": 60_000_000})

# What browsers show and Pillow reads. MPO is how Pillow names a camera's multi-picture JPEG.
WEB_FORMATS = {"JPEG": "JPEG", "MPO": "JPEG", "PNG": "PNG", "GIF": "GIF", "WEBP": "WebP"}
PILLOW_ERRORS = (OSError, SyntaxError, ValueError, PILImage.DecompressionBombError)


def validate_image_upload(file) -> None:
    """Refuse uploads that are too large in bytes or pixels, not in a format browsers show,
    or damaged (the whole picture is decoded, as making its renditions will), with a message
    saying what to do. A file already stored (a form saved again without a new upload) was
    checked when it came."""
    if getattr(file, "_committed", False):
        return
    limit_mb = app_settings.IMAGE_MAX_UPLOAD_MB
    size = getattr(file, "size", 0) or 0
    if size > limit_mb * 1024 * 1024:
        raise ValidationError(
            "This file is %(size).1f MB; images can be at most %(limit)d MB. "
            "Export it at a smaller size or higher compression and upload it again.",
            code="file_too_large",
            params={"size": size / 1024 / 1024, "limit": limit_mb},
        )
    try:
        file.seek(0)
        with PILImage.open(file) as picture:
            width, height = picture.size
            kind = picture.format or ""
            if kind in WEB_FORMATS and width * height <= app_settings.IMAGE_MAX_PIXELS:
                try:
                    if kind in ("JPEG", "MPO"):  # every byte is still read, at 1/8 the memory
                        picture.draft("RGB", (max(1, width // 8), max(1, height // 8)))
                    picture.load()
                except PILLOW_ERRORS as err:
                    raise ValidationError(
                        "This %(kind)s file is damaged or incomplete (%(error)s). Open it in an "
                        "image editor, save it again and upload the new file.",
                        code="damaged_image",
                        params={"kind": WEB_FORMATS[kind], "error": err},
                    ) from err
    except PILLOW_ERRORS as err:
        raise ValidationError(
            "This file is not an image we can read (%(error)s). Upload a JPEG, PNG, GIF or WebP.",
            code="invalid_image",
            params={"error": err},
        ) from err
    finally:
        file.seek(0)
    if kind not in WEB_FORMATS:
        raise ValidationError(
            "This is a %(kind)s file, which browsers cannot show. Upload a JPEG, PNG, GIF or "
            "WebP: save photos as JPEG and graphics as PNG in an image editor.",
            code="unsupported_format",
            params={"kind": kind or "picture"},
        )
    if width * height > app_settings.IMAGE_MAX_PIXELS:
        raise ValidationError(
            "This image is %(w)d × %(h)d pixels; the limit is %(mp)d megapixels. "
            "Resize it and upload it again.",
            code="too_many_pixels",
            params={"w": width, "h": height, "mp": app_settings.IMAGE_MAX_PIXELS // 1_000_000},
        )
