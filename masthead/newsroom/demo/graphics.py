"""Motifs drawn as graphic objects: chart, stadium, crowd, circuit, leaves, globe."""

from __future__ import annotations

import math
import random

from PIL import Image, ImageChops, ImageDraw

from .painting import RGB, Palette, Point, band, box, figure, glow, gradient, mix

GRASS: RGB = (74, 138, 78)


def _chart(img: Image.Image, pal: Palette, rng: random.Random) -> Image.Image:
    w, h = img.size
    d = ImageDraw.Draw(img, "RGBA")
    d.ellipse(box(w * 0.86, h * 0.12, h * 0.42), fill=(*pal.accent, 40))
    left, right, top, base = w * 0.08, w * 0.92, h * 0.14, h * 0.84
    for k in range(6):
        y = base - (base - top) * k / 5
        d.line([(left, y), (right, y)], fill=(*pal.inks[1], 45), width=max(2, int(h * 0.002)))
    n = rng.randint(10, 14)
    slot = (right - left) / n
    bars, line, v, u = [], [], rng.uniform(0.15, 0.3), rng.uniform(0.5, 0.6)
    for _ in range(n):
        v = min(0.6, max(0.1, v + rng.uniform(-0.07, 0.09)))
        u = min(0.92, max(0.35, u + rng.uniform(-0.06, 0.08)))
        bars.append(v)
        line.append(u)
    highlight = rng.randrange(n // 2, n)
    for i, value in enumerate(bars):
        x = left + slot * i + slot * 0.18
        colour = pal.accent if i == highlight else pal.inks[3]
        d.rectangle((x, base - (base - top) * value, x + slot * 0.64, base), fill=colour)
    pts = [(left + slot * (i + 0.5), base - (base - top) * value) for i, value in enumerate(line)]
    band(d, pts, base, (*pal.inks[1], 55))
    d.line(pts, fill=pal.inks[0], width=max(4, int(h * 0.008)), joint="curve")
    for p in pts:
        d.ellipse(box(*p, h * 0.014), fill=pal.paper, outline=pal.inks[0], width=int(h * 0.006))
    d.line([(left, base), (right, base)], fill=pal.inks[0], width=max(3, int(h * 0.005)))
    return img


def _stadium(img: Image.Image, pal: Palette, rng: random.Random) -> Image.Image:
    w, h = img.size
    d = ImageDraw.Draw(img, "RGBA")
    cx, cy, rx, ry = w * 0.5, h * 0.55, w * 0.4, h * 0.38
    beams = []
    for sx, sy in ((-1, -1), (1, -1), (-1, 1), (1, 1)):  # floodlight towers behind the bowl
        px, py = cx + sx * rx * 0.95, cy + sy * ry * 0.82 - h * 0.16
        d.line([(px, py), (px, py + h * 0.22)], fill=pal.inks[0], width=max(3, int(h * 0.008)))
        d.rectangle(box(px, py, h * 0.03, h * 0.016), fill=pal.paper)
        beams.append((px, py))
    d.ellipse(box(cx, cy + h * 0.025, rx, ry), fill=(*pal.inks[0], 110))
    tiers = [pal.inks[0], pal.inks[1], pal.inks[2], pal.inks[1]]
    for k, colour in enumerate(tiers):
        d.ellipse(box(cx, cy, rx * (1 - 0.09 * k), ry * (1 - 0.09 * k)), fill=colour)
    for _ in range(900):  # the crowd in the stands
        a, s = rng.uniform(0, math.tau), rng.uniform(0.7, 0.97)
        x, y = cx + rx * s * math.cos(a), cy + ry * s * math.sin(a)
        colour = rng.choice((pal.accent, pal.paper, pal.inks[3]))
        d.ellipse(box(x, y, h * 0.0045), fill=(*colour, 170))
    inner = 0.64
    d.ellipse(box(cx, cy, rx * inner, ry * inner), fill=mix(GRASS, pal.inks[0], 0.35))
    pw, ph = rx * inner * 0.78, ry * inner * 0.62
    stripes = 10
    for i in range(stripes):
        x = cx - pw + 2 * pw * i / stripes
        shade = mix(GRASS, pal.inks[3], 0.2 if i % 2 else 0.3)
        d.rectangle((x, cy - ph, x + 2 * pw / stripes, cy + ph), fill=shade)
    mark, lw = (*pal.paper, 200), max(2, int(h * 0.004))
    d.rectangle(box(cx, cy, pw, ph), outline=mark, width=lw)
    d.line([(cx, cy - ph), (cx, cy + ph)], fill=mark, width=lw)
    d.ellipse(box(cx, cy, ph * 0.3), outline=mark, width=lw)
    for side in (-1, 1):
        edge = cx + side * pw
        d.rectangle(
            _span_box(edge, edge - side * pw * 0.28, cy - ph * 0.55, cy + ph * 0.55),
            outline=mark,
            width=lw,
        )
    for px, py in beams:
        d.polygon(
            [(px, py), (cx - pw * 0.5, cy + ph * 0.3), (cx + pw * 0.5, cy - ph * 0.3)],
            fill=(*pal.accent, 26),
        )
    return glow(img, [(px, py, h * 0.05, pal.accent) for px, py in beams], h * 0.04)


def _span_box(x0: float, x1: float, y0: float, y1: float) -> tuple[float, ...]:
    return (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))


def _crowd(img: Image.Image, pal: Palette, rng: random.Random) -> Image.Image:
    w, h = img.size
    d = ImageDraw.Draw(img, "RGBA")
    d.ellipse(box(w * rng.uniform(0.2, 0.8), h * 0.2, h * 0.3), fill=(*pal.accent, 60))
    shirts = [pal.inks[0], pal.inks[1], pal.inks[2], pal.inks[3], pal.accent, pal.paper]
    rows = 6
    for r in range(rows):
        t = r / (rows - 1)
        s, y = h * (0.035 + 0.035 * t), h * (0.3 + 0.6 * t)
        x = -rng.uniform(0, s * 2)
        while x < w + s * 2:
            body = mix(rng.choice(shirts), pal.bottom, (1 - t) * 0.55)
            head = mix(mix(body, pal.inks[0], 0.45), pal.bottom, (1 - t) * 0.4)
            yy = y + rng.uniform(-0.3, 0.3) * s
            if rng.random() < 0.12:  # an arm in the air
                side = rng.choice((-1, 1))
                hand = (x + side * s * 2.4, yy - s * 3.0)
                d.line([(x + side * s * 1.5, yy + s * 0.8), hand], fill=body, width=int(s * 0.7))
                d.ellipse(box(*hand, s * 0.42), fill=head)
            figure(d, x, yy, s, body, head)
            x += s * rng.uniform(3.6, 4.4)
    return img


def _circuit(img: Image.Image, pal: Palette, rng: random.Random) -> Image.Image:
    w, h = img.size
    img.paste(gradient(img.size, pal.inks[0], pal.inks[1]))
    d = ImageDraw.Draw(img, "RGBA")
    step = h / 16
    cols, rows = int(w / step), int(h / step)
    for gx in range(cols + 1):
        for gy in range(rows + 1):
            d.ellipse(box(gx * step, gy * step, h * 0.002), fill=(*pal.paper, 40))
    chip = (rng.randint(cols // 3, cols // 2), rng.randint(rows // 3, rows // 2))
    glows = []
    for _ in range(34):
        side = rng.randrange(4)
        gx = chip[0] + (rng.randint(0, 5) if side < 2 else (-1 if side == 2 else 6))
        gy = chip[1] + (rng.randint(0, 4) if side >= 2 else (-1 if side == 0 else 5))
        dx, dy = ((0, -1), (0, 1), (-1, 0), (1, 0))[side]
        pts = [(gx * step, gy * step)]
        for _ in range(rng.randint(2, 5)):
            length = rng.randint(2, 6)
            gx, gy = gx + dx * length, gy + dy * length
            pts.append((gx * step, gy * step))
            if rng.random() < 0.6:  # bend by 45 degrees
                dx, dy = (dx - dy, dy + dx) if rng.random() < 0.5 else (dx + dy, dy - dx)
                dx, dy = max(-1, min(1, dx)), max(-1, min(1, dy))
        colour = pal.accent if rng.random() < 0.18 else rng.choice(pal.inks[2:])
        d.line(pts, fill=colour, width=max(3, int(step * 0.12)), joint="curve")
        d.ellipse(box(*pts[-1], step * 0.26), fill=colour)
        d.ellipse(box(*pts[-1], step * 0.11), fill=pal.inks[0])
        if colour == pal.accent:
            glows.append((*pts[-1], step * 0.5, pal.accent))
    x0, y0 = chip[0] * step - step * 0.4, chip[1] * step - step * 0.4
    d.rounded_rectangle(
        (x0, y0, x0 + step * 5.8, y0 + step * 4.8),
        radius=step * 0.3,
        fill=pal.inks[0],
        outline=pal.inks[3],
        width=max(3, int(step * 0.08)),
    )
    d.rounded_rectangle(
        box(x0 + step * 2.9, y0 + step * 2.4, step * 1.2),
        radius=step * 0.2,
        fill=(*pal.accent, 210),
    )
    return glow(img, glows, step * 0.6)


def _leaf(cx: float, cy: float, length: float, angle: float) -> list[Point]:
    width, pts = length * 0.32, []
    for side in (1, -1):
        for i in range(21):
            t = i / 20 if side == 1 else 1 - i / 20
            pts.append((length * (t - 0.5), side * width * math.sin(math.pi * t) ** 0.85))
    ca, sa = math.cos(angle), math.sin(angle)
    return [(cx + x * ca - y * sa, cy + x * sa + y * ca) for x, y in pts]


def _leaves(img: Image.Image, pal: Palette, rng: random.Random) -> Image.Image:
    w, h = img.size
    d = ImageDraw.Draw(img, "RGBA")
    lw = max(2, int(h * 0.003))
    leaves = sorted(
        (
            (
                h * rng.uniform(0.14, 0.5),
                rng.uniform(-0.05, 1.05) * w,
                rng.uniform(-0.05, 1.05) * h,
                rng.uniform(0, math.tau),
            )
            for _ in range(34)
        ),
        reverse=True,
    )
    for n, (length, cx, cy, angle) in enumerate(leaves):
        t = n / len(leaves)
        colour = pal.accent if rng.random() < 0.1 else rng.choice(pal.inks)
        colour = mix(colour, pal.bottom, (1 - t) * 0.45)
        d.polygon(_leaf(cx, cy, length, angle), fill=colour)
        ca, sa = math.cos(angle), math.sin(angle)
        tip = (cx + ca * length * 0.5, cy + sa * length * 0.5)
        stem = (cx - ca * length * 0.62, cy - sa * length * 0.62)
        d.line([stem, tip], fill=(*pal.paper, 120), width=lw)
        for k in range(1, 5):  # veins
            along = length * (k / 5 - 0.5)
            bx, by = cx + ca * along, cy + sa * along
            for side in (1, -1):
                va = angle + side * 0.8
                vl = length * 0.16 * math.sin(math.pi * k / 5)
                d.line(
                    [(bx, by), (bx + math.cos(va) * vl, by + math.sin(va) * vl)],
                    fill=(*pal.paper, 70),
                    width=lw,
                )
    return img


def _blob(cx: float, cy: float, r: float, rng: random.Random) -> list[Point]:
    """A rounded, irregular shape: a circle whose radius wobbles with three harmonics."""
    parts = [(k + 1, rng.uniform(0, math.tau), rng.uniform(0.1, 0.3)) for k in range(3)]
    pts = []
    for i in range(48):
        a = math.tau * i / 48
        scale = 1 + sum(amp * math.sin(k * a + p) for k, p, amp in parts)
        pts.append((cx + r * scale * math.cos(a), cy + r * 0.8 * scale * math.sin(a)))
    return pts


def _globe(img: Image.Image, pal: Palette, rng: random.Random) -> Image.Image:
    w, h = img.size
    cx, cy, r = w * rng.uniform(0.42, 0.58), h * 0.52, h * 0.37
    tilt = math.radians(rng.uniform(-22, -8))

    def orbit(front: bool) -> list[Point]:
        pts = []
        for i in range(121):
            a = math.pi * i / 120 + (0 if front else math.pi)
            x, y = r * 1.45 * math.cos(a), r * 0.32 * math.sin(a)
            pts.append(
                (
                    cx + x * math.cos(tilt) - y * math.sin(tilt),
                    cy + x * math.sin(tilt) + y * math.cos(tilt),
                )
            )
        return pts

    d = ImageDraw.Draw(img, "RGBA")
    ring = max(3, int(h * 0.006))
    d.line(orbit(front=False), fill=(*pal.inks[2], 150), width=ring)
    d.ellipse(box(cx + r * 0.06, cy + r * 0.06, r), fill=(*pal.inks[0], 60))
    d.ellipse(box(cx, cy, r), fill=pal.inks[1])
    disc = Image.new("L", img.size, 0)
    ImageDraw.Draw(disc).ellipse(box(cx, cy, r), fill=255)
    land = Image.new("L", img.size, 0)
    ld = ImageDraw.Draw(land)
    for _ in range(rng.randint(5, 7)):
        bx, by, br = cx + r * rng.uniform(-0.8, 0.8), cy + r * rng.uniform(-0.7, 0.7), r * 0.3
        ld.polygon(_blob(bx, by, br, rng), fill=255)
    img.paste(pal.inks[2], mask=ImageChops.multiply(land, disc))
    d = ImageDraw.Draw(img, "RGBA")
    grid, lw = (*pal.paper, 70), max(2, int(h * 0.003))
    for k in range(1, 6):
        d.ellipse(box(cx, cy, r * abs(math.cos(math.pi * k / 6)), r), outline=grid, width=lw)
    for lat in (-60, -30, 0, 30, 60):
        y, half = cy + r * math.sin(math.radians(lat)), r * math.cos(math.radians(lat))
        d.line([(cx - half, y), (cx + half, y)], fill=grid, width=lw)
    d.ellipse(box(cx - r * 0.3, cy - r * 0.3, r * 0.55), fill=(*pal.paper, 22))
    for _ in range(rng.randint(3, 5)):  # routes between places
        a = [cx + r * rng.uniform(-0.75, 0.75), cy + r * rng.uniform(-0.6, 0.6)]
        b = [cx + r * rng.uniform(-0.75, 0.75), cy + r * rng.uniform(-0.6, 0.6)]
        mid = ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2 - math.dist(a, b) * 0.45)
        pts = [
            (
                (1 - t) ** 2 * a[0] + 2 * (1 - t) * t * mid[0] + t * t * b[0],
                (1 - t) ** 2 * a[1] + 2 * (1 - t) * t * mid[1] + t * t * b[1],
            )
            for t in (i / 40 for i in range(41))
        ]
        d.line(pts, fill=pal.accent, width=max(3, int(h * 0.005)), joint="curve")
        for end in (a, b):
            d.ellipse(box(*end, h * 0.012), fill=pal.accent, outline=pal.paper, width=lw)
    d.line(orbit(front=True), fill=(*pal.accent, 200), width=ring)
    return img


GRAPHICS = {
    "chart": _chart,
    "stadium": _stadium,
    "crowd": _crowd,
    "circuit": _circuit,
    "leaves": _leaves,
    "globe": _globe,
}
