"""Abstract editorial illustrations for the demo articles.

Everything is drawn with Pillow's own primitives, so the demo ships no image files:
:func:`draw` turns a motif, a palette and a seed into the same pixels every time.
Drawing happens at twice the requested size and is scaled down, which smooths the edges.
The motifs live in :mod:`.scenes` and :mod:`.graphics`; palettes in :mod:`.painting`.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from PIL import Image, ImageChops

from .graphics import GRAPHICS
from .painting import PALETTES, Palette, gradient
from .scenes import SCENES

__all__ = ["MOTIFS", "PALETTES", "draw"]

SUPERSAMPLE = 2

Painter = Callable[[Image.Image, Palette, random.Random], Image.Image]
MOTIFS: dict[str, Painter] = {**SCENES, **GRAPHICS}


def _grain(img: Image.Image, rng: random.Random, strength: float = 0.35) -> Image.Image:
    """A fine film grain from the seeded generator, so it is part of the determinism."""
    noise = Image.frombytes("L", img.size, rng.randbytes(img.width * img.height))
    textured = ImageChops.soft_light(img, Image.merge("RGB", (noise, noise, noise)))
    return Image.blend(img, textured, strength)


def draw(
    *, motif: str, palette: str, seed: int, size: tuple[int, int] = (1600, 900)
) -> Image.Image:
    """Draw one illustration. The same arguments always give identical pixels."""
    if motif not in MOTIFS:
        raise ValueError(f"Unknown motif {motif!r}; use one of: {', '.join(sorted(MOTIFS))}.")
    if palette not in PALETTES:
        raise ValueError(f"Unknown palette {palette!r}; use one of: {', '.join(sorted(PALETTES))}.")
    width, height = size
    if width < 16 or height < 16:
        raise ValueError(f"Image size {size!r} is too small; use at least 16x16 pixels.")
    pal = PALETTES[palette]
    rng = random.Random(f"{motif}:{palette}:{seed}")  # noqa: S311 - decoration, not secrets
    big = (width * SUPERSAMPLE, height * SUPERSAMPLE)
    img = MOTIFS[motif](gradient(big, pal.top, pal.bottom), pal, rng)
    return _grain(img.reduce(SUPERSAMPLE), rng)
