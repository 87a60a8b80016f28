"""Downloading one picture from an old site, within limits: http(s) only, a time limit, a size
limit enforced while the bytes arrive, and an answer Pillow can read as an image.

Every way a download can go wrong raises :class:`FetchFailed` with a reason a person can act
on; nothing else escapes, so one bad address never stops an import.
"""

from __future__ import annotations

import io
import time
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from urllib.parse import urlsplit

import httpx
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image as PILImage

from masthead.newsroom.validators import validate_image_upload

CHUNK = 64 * 1024
SUFFIXES = {"JPEG": ".jpg", "PNG": ".png", "GIF": ".gif", "WEBP": ".webp", "TIFF": ".tif"}


class FetchFailed(Exception):
    """A download that did not give a usable picture; ``str()`` says why."""


@dataclass(frozen=True)
class Picture:
    content: bytes
    content_type: str
    suffix: str  # from what Pillow found, not from the address


def user_agent() -> str:
    try:
        release = version("masthead")
    except PackageNotFoundError:
        release = "dev"
    return f"Masthead/{release} (media import from a WordPress site)"


def megabytes(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{n:,} bytes"


class Fetcher:
    """One HTTP client for a whole run (connections to the old site are reused).

    ``mirrors`` are ``(old prefix, new prefix)`` pairs: an address starting with an old prefix
    is downloaded from the new one instead (a copy of ``wp-content/uploads``, say).
    """

    def __init__(
        self,
        *,
        timeout: float,
        max_bytes: int,
        mirrors: list[tuple[str, str]] | tuple = (),
    ) -> None:
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.mirrors = list(mirrors)
        self.client = httpx.Client(
            timeout=httpx.Timeout(timeout),
            follow_redirects=True,
            max_redirects=5,
            headers={"User-Agent": user_agent(), "Accept": "image/*,*/*;q=0.5"},
        )

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc) -> None:
        self.client.close()

    def source_of(self, url: str) -> str:
        """Where ``url`` is actually downloaded from, after ``mirrors``."""
        for old, new in self.mirrors:
            if url.startswith(old):
                return new + url[len(old) :]
        return url

    def fetch(self, url: str) -> Picture:
        """The picture at ``url``; raises FetchFailed."""
        target = self.source_of(url)
        if urlsplit(target).scheme.lower() not in {"http", "https"}:
            raise FetchFailed("only http and https addresses are downloaded")
        try:
            content, content_type = self._download(target)
        except httpx.TimeoutException as err:
            raise FetchFailed(
                f"no answer within {self.timeout:g} s ({type(err).__name__})"
            ) from err
        except httpx.TooManyRedirects as err:
            raise FetchFailed("too many redirects") from err
        except httpx.ConnectError as err:
            raise FetchFailed(f"could not connect: {err or type(err).__name__}") from err
        except (httpx.HTTPError, httpx.InvalidURL, httpx.StreamError) as err:
            raise FetchFailed(f"{type(err).__name__}: {err}") from err
        except (OSError, ValueError) as err:  # an address httpx cannot even parse
            raise FetchFailed(f"{type(err).__name__}: {err}") from err
        suffix = check_picture(content)
        return Picture(content=content, content_type=content_type, suffix=suffix)

    def _download(self, url: str) -> tuple[bytes, str]:
        deadline = time.monotonic() + self.timeout
        too_large = f"larger than the limit of {megabytes(self.max_bytes)}"
        with self.client.stream("GET", url) as response:
            if response.status_code != 200:
                raise FetchFailed(f"HTTP {response.status_code} {response.reason_phrase}".strip())
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > self.max_bytes:
                raise FetchFailed(f"{megabytes(int(declared))}, {too_large}")
            received = bytearray()
            for chunk in response.iter_bytes(CHUNK):
                received += chunk
                if len(received) > self.max_bytes:
                    raise FetchFailed(f"{too_large}; stopped after {megabytes(len(received))}")
                if time.monotonic() > deadline:
                    raise FetchFailed(f"still arriving after {self.timeout:g} s; stopped")
            content_type = response.headers.get("Content-Type", "").split(";")[0].strip()
            return bytes(received), content_type[:100]


def check_picture(content: bytes) -> str:
    """The file suffix for ``content`` if it is a picture the newsroom accepts (the upload
    limits in bytes and pixels, and Pillow reading all of it); raises FetchFailed."""
    if not content:
        raise FetchFailed("the answer was empty")
    try:
        validate_image_upload(ContentFile(content))
    except ValidationError as err:
        reason = " ".join(err.messages)
        if "not an image" in reason:
            raise FetchFailed("not an image Pillow can read") from err
        raise FetchFailed(reason) from err
    try:
        with PILImage.open(io.BytesIO(content)) as picture:
            picture.load()
            kind = picture.format or ""
    except (OSError, SyntaxError, ValueError, PILImage.DecompressionBombError) as err:
        raise FetchFailed(f"a damaged image ({err})") from err
    return SUFFIXES.get(kind, f".{kind.lower()}" if kind else ".img")
