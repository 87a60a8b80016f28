"""A story's body as readers get it: pictures only from the site's own hosts, at the size
the reader's screen needs.

A body may point at pictures elsewhere — a WordPress import keeps its old addresses, and an
editor can paste any address into the editor. A page must load nothing from other hosts,
so such a picture is shown as a link to it; the stored body is left as it was.

A picture that is one of the site's own uploads (an :class:`~masthead.newsroom.models.Image`,
as ``masthead import media`` leaves them) is shown as story cards show theirs: a rendition
as ``src``, every rendition in ``srcset``, its dimensions against layout shift, loaded lazily.
The renditions are looked up when the page is rendered (one query, only for a body with such
pictures), so pictures whose renditions were made or remade later get them too.
"""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.files.storage import default_storage

from masthead.core.conf import AppSettings
from masthead.core.html import Attributes, image_tags, pictures_from, replace_image_tags

app_settings = AppSettings("MASTHEAD_", {"BODY_IMAGE_HOSTS": []})


def own_hosts() -> frozenset[str]:
    """The site's host, the media storage's host (S3 or a CDN), and BODY_IMAGE_HOSTS."""
    hosts = {urlsplit(settings.SITE_URL).hostname}
    options = settings.STORAGES.get("default", {}).get("OPTIONS", {})
    if options.get("custom_domain"):
        hosts.add(urlsplit(f"//{options['custom_domain']}").hostname)
    if options.get("endpoint_url"):
        hosts.add(urlsplit(options["endpoint_url"]).hostname)
    for url in (settings.MEDIA_URL, settings.STATIC_URL):
        hosts.add(urlsplit(url).hostname)
    hosts.update(host.lower() for host in app_settings.BODY_IMAGE_HOSTS)
    return frozenset(host for host in hosts if host)


# The story column: as wide as the featured picture above the body (article.html).
BODY_PICTURE_SIZES = "(min-width: 48rem) 46rem, 100vw"
BODY_PICTURE_SRC_WIDTH = 800  # the rendition a browser without srcset gets


def body_for_readers(body: str) -> str:
    return responsive_pictures(pictures_from(body, own_hosts().__contains__))


def _upload_name(src: str) -> str | None:
    """The storage name of the upload ``src`` points at, if it is one of the site's: on the
    media storage's host, or on the site's own when media addresses are relative."""
    try:
        picture, media = urlsplit(src.strip()), urlsplit(default_storage.url(""))
    except ValueError:
        return None
    if media.query or picture.query:
        return None  # a signed address: not one to match by its path
    if media.hostname:
        if (picture.hostname or "") != media.hostname:
            return None
    elif picture.hostname and picture.hostname != urlsplit(settings.SITE_URL).hostname:
        return None
    if not media.path or not picture.path.startswith(media.path):
        return None
    return unquote(picture.path[len(media.path) :]) or None


def responsive_pictures(body: str) -> str:
    """``body`` with each picture that is a site upload given its renditions (see the module)."""
    if "<img" not in body:
        return body
    names = {}
    for attrs in image_tags(body):
        values = dict(attrs)
        if not values.get("srcset") and (name := _upload_name(values.get("src") or "")):
            names[values["src"]] = name
    if not names:
        return body
    from masthead.newsroom.models import Image

    uploads = {
        image.file.name: image
        for image in Image.objects.filter(file__in=set(names.values()))
        .order_by()
        .only("file", "width", "height", "renditions")
    }

    def change(attrs: Attributes) -> Attributes | None:
        values = dict(attrs)
        image = uploads.get(names.get(values.get("src") or "", ""))
        if image is None or not image.renditions or values.get("srcset"):
            return None
        given = {"src": image.rendition_url(BODY_PICTURE_SRC_WIDTH), "srcset": image.srcset()}
        given["sizes"] = BODY_PICTURE_SIZES
        if not (values.get("width") or values.get("height")) and image.width:
            given |= {"width": str(image.width), "height": str(image.height)}
        given |= {"loading": values.get("loading") or "lazy", "decoding": "async"}
        kept = [(name, value) for name, value in attrs if name not in given]
        return [*kept, *given.items()]

    return replace_image_tags(body, change)
