"""Motifs drawn as scenes with a horizon: sea, hills, city, harbour, sun, lanterns."""

from __future__ import annotations

import math
import random

from PIL import Image, ImageDraw

from .painting import Palette, band, box, figure, glow, gradient, mix, ridge, sun_disc


def _waves(img: Image.Image, pal: Palette, rng: random.Random) -> Image.Image:
    w, h = img.size
    d = ImageDraw.Draw(img, "RGBA")
    sun_disc(d, (w * rng.uniform(0.58, 0.8), h * rng.uniform(0.24, 0.32)), h * 0.12, pal, 4)
    layers = 7
    for i in range(layers):
        t = i / (layers - 1)
        line = ridge(rng, w, h * (0.44 + 0.5 * t**1.15), h * (0.01 + 0.035 * t))
        band(d, line, h, mix(pal.inks[3], pal.inks[0], t))
        d.line(line, fill=(*pal.paper, 60 + int(50 * (1 - t))), width=max(2, int(h * 0.004)))
        for _ in range(3 + i):
            x, y = rng.uniform(0, w), line[0][1] + h * rng.uniform(0.02, 0.05)
            x_len = w * rng.uniform(0.02, 0.07)
            d.line([(x, y), (x + x_len, y)], fill=(*pal.paper, 45), width=max(2, int(h * 0.003)))
    return img


def _hills(img: Image.Image, pal: Palette, rng: random.Random) -> Image.Image:
    w, h = img.size
    d = ImageDraw.Draw(img, "RGBA")
    sun_disc(d, (w * rng.uniform(0.2, 0.8), h * rng.uniform(0.22, 0.34)), h * 0.1, pal, 5)
    for _ in range(rng.randint(3, 6)):  # distant birds
        x, y, s = w * rng.uniform(0.1, 0.9), h * rng.uniform(0.1, 0.3), h * rng.uniform(0.01, 0.02)
        d.line(
            [(x - s, y - s * 0.5), (x, y), (x + s, y - s * 0.5)],
            fill=(*pal.inks[0], 150),
            width=max(2, int(h * 0.003)),
        )
    layers = 6
    for i in range(layers):
        t = i / (layers - 1)
        line = ridge(rng, w, h * (0.42 + 0.46 * t), h * (0.07 - 0.03 * t), waves=4)
        colour = mix(pal.inks[0], pal.bottom, (1 - t) * 0.75)
        band(d, line, h, colour)
        mist = [(x, y + h * 0.05) for x, y in line]
        band(d, mist, h, (*pal.paper, 18))
    return img


def _skyline(img: Image.Image, pal: Palette, rng: random.Random) -> Image.Image:
    w, h = img.size
    d = ImageDraw.Draw(img, "RGBA")
    d.ellipse(box(w * rng.uniform(0.3, 0.7), h * 0.44, h * 0.27), fill=(*pal.accent, 200))
    ground = h * 0.8
    layers = [
        (mix(pal.inks[3], pal.bottom, 0.35), 0.3, 0.6),
        (pal.inks[2], 0.2, 0.46),
        (pal.inks[0], 0.1, 0.32),
    ]
    for n, (colour, low, high) in enumerate(layers):
        x = -w * rng.uniform(0, 0.04)
        while x < w:
            bw = w * rng.uniform(0.035, 0.085)
            top = ground - h * rng.uniform(low, high)
            d.rectangle((x, top, x + bw, ground), fill=colour)
            roof = rng.random()
            if roof < 0.2:
                d.polygon([(x, top), (x + bw / 2, top - bw * 0.45), (x + bw, top)], fill=colour)
            elif roof < 0.35:
                d.rectangle((x + bw * 0.2, top - h * 0.04, x + bw * 0.8, top), fill=colour)
                d.line(
                    [(x + bw / 2, top - h * 0.04), (x + bw / 2, top - h * 0.1)],
                    fill=colour,
                    width=max(2, int(h * 0.004)),
                )
            if n == 2:
                _windows(d, (x, top, bw, ground - top), pal, rng)
            x += bw + w * rng.uniform(0, 0.008)
    d.rectangle((0, ground, w, h), fill=pal.inks[0])
    for _ in range(14):
        x, y = w * rng.uniform(0, 1), ground + h * rng.uniform(0.02, 0.18)
        d.line(
            [(x, y), (x + w * rng.uniform(0.02, 0.1), y)],
            fill=(*pal.accent, 90),
            width=max(2, int(h * 0.004)),
        )
    return img


def _windows(
    d: ImageDraw.ImageDraw, rect: tuple[float, ...], pal: Palette, rng: random.Random
) -> None:
    x, y, bw, bh = rect
    size = bw / 7
    rows = int((bh - size * 2) // (size * 2.2))
    for r in range(rows):
        for c in range(3):
            wx, wy = x + size * (1 + c * 2), y + size * (1.5 + r * 2.2)
            lit = rng.random() < 0.3
            d.rectangle(
                (wx, wy, wx + size, wy + size * 1.2),
                fill=(*pal.accent, 220) if lit else (*pal.paper, 38),
            )


def _harbour(img: Image.Image, pal: Palette, rng: random.Random) -> Image.Image:
    w, h = img.size
    d = ImageDraw.Draw(img, "RGBA")
    quay = h * 0.64
    sun_disc(d, (w * rng.uniform(0.12, 0.32), h * 0.3), h * 0.09, pal, 3)
    hill = ridge(rng, w, quay - h * 0.08, h * 0.03)
    band(d, hill, quay, mix(pal.inks[3], pal.bottom, 0.45))
    lw = max(3, int(h * 0.007))
    for i in range(rng.randint(2, 3)):  # ship-to-shore cranes
        cx, top = w * (0.5 + 0.16 * i + rng.uniform(-0.02, 0.02)), quay - h * rng.uniform(0.3, 0.36)
        span, colour = w * 0.05, pal.inks[i % 2]
        for lx in (cx, cx + span):
            d.line([(lx, quay), (lx, top)], fill=colour, width=lw)
        d.line([(cx, quay - h * 0.12), (cx + span, top + h * 0.04)], fill=colour, width=lw // 2)
        boom_y, apex = top + h * 0.02, (cx + span / 2, top - h * 0.08)
        d.line([(cx - w * 0.13, boom_y), (cx + span + w * 0.05, boom_y)], fill=colour, width=lw * 2)
        d.line([(cx, top), apex, (cx + span, top)], fill=colour, width=lw)
        for end in (cx - w * 0.12, cx + span + w * 0.045):
            d.line([apex, (end, boom_y)], fill=colour, width=max(2, lw // 3))
        tx = cx - w * rng.uniform(0.03, 0.1)
        d.line([(tx, boom_y), (tx, boom_y + h * 0.12)], fill=colour, width=max(2, lw // 3))
    boxes = [pal.accent, pal.inks[2], pal.inks[3], mix(pal.accent, pal.inks[1], 0.5), pal.paper]
    bw, bh = w * 0.05, h * 0.035
    x = w * 0.62
    while x < w:  # container stacks on the quay
        for k in range(rng.randint(1, 4)):
            y = quay - bh * (k + 1)
            d.rectangle((x, y, x + bw - 3, y + bh - 3), fill=rng.choice(boxes))
            for rib in range(1, 5):
                rx = x + bw * rib / 5
                d.line([(rx, y + 3), (rx, y + bh - 6)], fill=(*pal.inks[0], 50), width=2)
        x += bw
    d.rectangle((0, quay, w, quay + h * 0.05), fill=pal.inks[0])
    d.rectangle((0, quay + h * 0.05, w, h), fill=mix(pal.inks[3], pal.bottom, 0.3))
    hull_top, keel, x0, x1 = quay - h * 0.01, quay + h * 0.13, w * 0.04, w * 0.58
    for k in range(int((x1 - x0 - w * 0.1) // bw)):  # deck cargo
        for level in range(rng.randint(1, 3)):
            y, bx = hull_top - bh * (level + 1), x0 + w * 0.08 + k * bw
            d.rectangle((bx, y, bx + bw - 3, y + bh - 3), fill=rng.choice(boxes))
    bridge = (x1 - w * 0.07, hull_top - h * 0.16, x1 - w * 0.02, hull_top)
    d.rectangle(bridge, fill=pal.paper)
    d.rectangle((*bridge[:3], bridge[1] + h * 0.02), fill=pal.inks[1])

    def hull(top: float, bottom: float) -> list[tuple[float, float]]:
        def left(y: float) -> float:
            return x0 + w * 0.02 * (y - hull_top) / (keel - hull_top)

        def right(y: float) -> float:
            return x1 + w * 0.03 * (keel - y) / (keel - hull_top)

        return [
            (left(top), top),
            (right(top), top),
            (right(bottom), bottom),
            (left(bottom), bottom),
        ]

    d.polygon(hull(hull_top, keel), fill=pal.inks[1])
    d.polygon(hull(keel - h * 0.06, keel - h * 0.035), fill=pal.accent)
    for i in range(4):
        t = i / 3
        line = ridge(rng, w, keel - h * (0.03 - 0.24 * t**1.2), h * 0.008 * (1 + 2 * t))
        band(d, line, h, mix(pal.inks[2], pal.inks[0], t))
        d.line(line, fill=(*pal.paper, 55), width=max(2, int(h * 0.003)))
    return img


def _sun(img: Image.Image, pal: Palette, rng: random.Random) -> Image.Image:
    w, h = img.size
    d = ImageDraw.Draw(img, "RGBA")
    cx, cy, r, horizon = w * rng.uniform(0.4, 0.6), h * 0.52, h * 0.22, h * 0.66
    rays, phase = 28, rng.uniform(0, math.tau)
    for i in range(rays):
        a, half = phase + math.tau * i / rays, math.tau / rays / 4
        far = h * 1.4
        d.polygon(
            [
                (cx, cy),
                (cx + far * math.cos(a - half), cy + far * math.sin(a - half)),
                (cx + far * math.cos(a + half), cy + far * math.sin(a + half)),
            ],
            fill=(*pal.paper, 34),
        )
    for k in range(6, 0, -1):
        d.ellipse(box(cx, cy, r * (1 + 0.2 * k)), fill=(*pal.accent, 24))
    d.ellipse(box(cx, cy, r), fill=pal.accent)
    d.ellipse(box(cx - r * 0.18, cy - r * 0.18, r * 0.7), fill=(*pal.paper, 60))
    d.rectangle((0, horizon, w, h), fill=pal.inks[2])
    y, k = horizon, 0
    while y < h:  # horizon bands, thicker towards the viewer
        band = h * (0.015 + 0.012 * k)
        d.rectangle((0, y + band * 0.55, w, y + band), fill=mix(pal.inks[1], pal.inks[0], k / 8))
        y, k = y + band, k + 1
    for i in range(9):  # the sun's reflection breaking into stripes
        yy, half = horizon + h * (0.02 + 0.035 * i), r * (1.0 - 0.09 * i) * rng.uniform(0.8, 1.1)
        d.rounded_rectangle(
            (cx - half, yy, cx + half, yy + h * 0.012),
            radius=h * 0.006,
            fill=(*pal.accent, 200 - 16 * i),
        )
    return img


def _lanterns(img: Image.Image, pal: Palette, rng: random.Random) -> Image.Image:
    w, h = img.size
    img.paste(gradient(img.size, mix(pal.inks[0], (0, 0, 0), 0.35), pal.inks[1]))
    d = ImageDraw.Draw(img, "RGBA")
    for _ in range(120):
        d.ellipse(
            box(w * rng.random(), h * rng.random() * 0.7, h * rng.uniform(0.001, 0.003)),
            fill=(*pal.paper, rng.randint(60, 200)),
        )
    colours = [
        pal.accent,
        mix(pal.accent, pal.inks[3], 0.5),
        mix(pal.paper, pal.accent, 0.4),
        pal.inks[3],
    ]
    glows = []
    for s in range(3):
        y0, sag, lift = (
            h * (0.06 + 0.2 * s),
            h * rng.uniform(0.06, 0.14),
            h * rng.uniform(-0.06, 0.06),
        )

        def string_y(x: float, y0: float = y0, sag: float = sag, lift: float = lift) -> float:
            u = x / w
            return y0 + sag * (1 - (2 * u - 1) ** 2) + lift * u

        d.line(
            [(x, string_y(x)) for x in (w * i / 60 for i in range(61))],
            fill=(*pal.paper, 80),
            width=max(2, int(h * 0.003)),
        )
        count = rng.randint(5, 8)
        for i in range(count):
            x = w * (i + 0.5 + rng.uniform(-0.2, 0.2)) / count
            top, size = string_y(x), h * rng.uniform(0.035, 0.055) * (1 + 0.35 * s)
            cy = top + h * rng.uniform(0.03, 0.08) + size
            colour = rng.choice(colours)
            d.line([(x, top), (x, cy - size)], fill=(*pal.paper, 110), width=max(2, int(h * 0.002)))
            d.ellipse(box(x, cy, size * 0.8, size), fill=colour)
            for k in (-0.45, 0, 0.45):
                d.ellipse(
                    box(x, cy, size * 0.8 * (1 - abs(k)), size),
                    outline=(*pal.inks[1], 60),
                    width=max(2, int(size * 0.05)),
                )
            for end in (-1, 1):
                d.rectangle(box(x, cy + end * size, size * 0.35, size * 0.12), fill=pal.inks[0])
            glows.append((x, cy, size * 1.8, mix(colour, (0, 0, 0), 0.55)))
    img = glow(img, glows, h * 0.035)
    d = ImageDraw.Draw(img, "RGBA")
    x = -rng.uniform(0, h * 0.05)
    while x < w + h * 0.05:  # onlookers along the harbour wall
        s = h * rng.uniform(0.03, 0.04)
        figure(d, x, h * rng.uniform(0.86, 0.89), s, pal.inks[0], pal.inks[0])
        x += s * rng.uniform(3.0, 4.2)
    return img


SCENES = {
    "waves": _waves,
    "hills": _hills,
    "skyline": _skyline,
    "harbour": _harbour,
    "sun": _sun,
    "lanterns": _lanterns,
}
