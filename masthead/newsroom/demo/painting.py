"""Palettes and the small drawing helpers that the demo motifs share."""

from __future__ import annotations

import math
import random
from typing import NamedTuple

from PIL import Image, ImageChops, ImageDraw, ImageFilter

RGB = tuple[int, int, int]
Point = tuple[float, float]


def _rgb(value: str) -> RGB:
    return (int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16))


class Palette(NamedTuple):
    top: RGB  # background gradient, top
    bottom: RGB  # background gradient, bottom
    inks: tuple[RGB, RGB, RGB, RGB]  # darkest first
    accent: RGB
    paper: RGB  # highlights and light lines


def _palette(background: str, inks: str, accent_and_paper: str) -> Palette:
    top, bottom = (_rgb(v) for v in background.split())
    a, b, c, d = (_rgb(v) for v in inks.split())
    accent, paper = (_rgb(v) for v in accent_and_paper.split())
    return Palette(top, bottom, (a, b, c, d), accent, paper)


# Each palette: background gradient (top, bottom), four inks from darkest, accent and paper.
PALETTES: dict[str, Palette] = {
    "sea": _palette("e3eff1 a6cfd8", "0d2b45 1b4f72 2a7f9e 6fb7c9", "f4b942 f7f4ea"),
    "dusk": _palette("3d2c63 f4a26f", "1d1533 3a2456 6b3a6e b0537a", "ffd27a fde7cf"),
    "forest": _palette("eef3e2 c3d9ad", "1e3a2b 2f5d3a 4f8a4b 8fbf6a", "e8a33d f6f4e6"),
    "ember": _palette("fde3b8 f08a4b", "2b1411 6b1f1a b23a1f e2652b", "fff1a8 fff3dc"),
    "slate": _palette("eceff2 b9c3cc", "1f2933 3e4c59 616e7c 9aa5b1", "e5534b f5f7fa"),
    "sand": _palette("f8eedc e8cfa3", "3d2b1f 7a4b2a b86b3c d9a066", "2f6f73 fffaf0"),
}


def mix(a: RGB, b: RGB, t: float) -> RGB:
    return (
        round(a[0] + (b[0] - a[0]) * t),
        round(a[1] + (b[1] - a[1]) * t),
        round(a[2] + (b[2] - a[2]) * t),
    )


def box(cx: float, cy: float, rx: float, ry: float | None = None) -> tuple[float, ...]:
    ry = rx if ry is None else ry
    return (cx - rx, cy - ry, cx + rx, cy + ry)


def gradient(size: tuple[int, int], top: RGB, bottom: RGB) -> Image.Image:
    mask = Image.linear_gradient("L").resize(size)
    return Image.composite(Image.new("RGB", size, bottom), Image.new("RGB", size, top), mask)


def ridge(rng: random.Random, w: float, base: float, amp: float, waves: int = 3) -> list[Point]:
    """A smooth line across the picture: a few sine waves with random phases."""
    parts = [
        (rng.uniform(0.6, 1.6) * (i + 1), rng.uniform(0, math.tau), amp / (i + 1) ** 0.8)
        for i in range(waves)
    ]
    steps = 96
    return [
        (x, base + sum(a * math.sin(f * math.tau * x / w + p) for f, p, a in parts))
        for x in (w * (i / steps * 1.04 - 0.02) for i in range(steps + 1))
    ]


def band(d: ImageDraw.ImageDraw, line: list[Point], bottom: float, fill: tuple) -> None:
    d.polygon([*line, (line[-1][0], bottom), (line[0][0], bottom)], fill=fill)


def glow(
    img: Image.Image, spots: list[tuple[float, float, float, RGB]], blur: float
) -> Image.Image:
    """Screen soft light onto the picture; blurred at quarter size to stay fast."""
    small = Image.new("RGB", (img.width // 4, img.height // 4))
    d = ImageDraw.Draw(small)
    for x, y, r, colour in spots:
        d.ellipse(box(x / 4, y / 4, r / 4), fill=colour)
    small = small.filter(ImageFilter.GaussianBlur(blur / 4))
    return ImageChops.screen(img, small.resize(img.size, Image.Resampling.BILINEAR))


def sun_disc(d: ImageDraw.ImageDraw, c: Point, r: float, pal: Palette, rings: int) -> None:
    """A disc in the accent colour inside faint rings of paper."""
    for k in range(rings, 0, -1):
        d.ellipse(box(*c, r * (1 + 0.3 * k)), fill=(*pal.paper, 26))
    d.ellipse(box(*c, r), fill=pal.accent)


def figure(d: ImageDraw.ImageDraw, x: float, y: float, s: float, body: RGB, head: RGB) -> None:
    """Head and shoulders of a person, shoulders' top edge at y, size s."""
    d.rounded_rectangle((x - s * 2, y, x + s * 2, y + s * 5), radius=s * 1.5, fill=body)
    d.ellipse(box(x, y - s * 0.95, s * 0.82), fill=head)
