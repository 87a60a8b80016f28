from django.core.exceptions import ValidationError
from PIL import Image as PILImage

from masthead.core.conf import AppSettings

app_settings = AppSettings("MASTHEAD_", {"IMAGE_MAX_UPLOAD_MB": 20, "IMAGE_MAX_PIXELS": 60_000_000})


def validate_image_upload(file) -> None:
    """Refuse uploads that are too large in bytes or pixels, with a message saying the limit."""
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
    except (OSError, SyntaxError, ValueError, PILImage.DecompressionBombError) as err:
        raise ValidationError(
            "This file is not an image we can read (%(error)s). Upload a JPEG, PNG, GIF or WebP.",
            code="invalid_image",
            params={"error": err},
        ) from err
    finally:
        file.seek(0)
    if width * height > app_settings.IMAGE_MAX_PIXELS:
        raise ValidationError(
            "This image is %(w)d × %(h)d pixels; the limit is %(mp)d megapixels. "
            "Resize it and upload it again.",
            code="too_many_pixels",
            params={"w": width, "h": height, "mp": app_settings.IMAGE_MAX_PIXELS // 1_000_000},
        )
