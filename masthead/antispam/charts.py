"""Charts for the admin, drawn on the server as inline SVG: no JavaScript, nothing loaded
from elsewhere, readable by screen readers (a title, a description and a table beside it)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

# Colours that stay apart for the common colour-vision deficiencies (Okabe & Ito's palette).
PALETTE = ("#d55e00", "#e69f00", "#0072b2", "#cc79a7", "#009e73", "#56b4e9")


def nice_ceiling(value: float) -> int:
    """The smallest of 1, 2, 5 × 10^k at or above ``value`` (at least 1)."""
    if value <= 1:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if value <= step * power:
            return int(step * power)
    return int(10 * power)


def line_chart(
    days: Sequence[date],
    series: dict[str, Sequence[int]],
    *,
    title: str,
    width: int = 760,
    height: int = 260,
) -> SafeString:
    """One line per series over ``days``; every number comes from the caller, escaped."""
    left, right, top, bottom = 44, 16, 16, 28
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = nice_ceiling(max([0, *(v for values in series.values() for v in values)]))
    n = max(len(days) - 1, 1)

    def x(i: int) -> float:
        return round(left + plot_w * i / n, 1)

    def y(value: float) -> float:
        return round(top + plot_h * (1 - value / peak), 1)

    grid = []
    for k in range(5):
        value = peak * k / 4
        grid.append(
            format_html(
                '<line x1="{}" x2="{}" y1="{}" y2="{}" class="grid"/>'
                '<text x="{}" y="{}" class="tick" text-anchor="end">{}</text>',
                left,
                width - right,
                y(value),
                y(value),
                left - 6,
                y(value) + 4,
                f"{value:g}",
            )
        )
    last = len(days) - 1
    labels = [
        format_html(
            '<text x="{}" y="{}" class="tick" text-anchor="{}">{}</text>',
            x(i),
            height - 8,
            "end" if i == last else "start" if i == 0 else "middle",
            f"{day:%d %b}",
        )
        for i, day in enumerate(days)
        if i % 7 == (len(days) - 1) % 7
    ]
    lines = []
    for (name, values), colour in zip(series.items(), PALETTE, strict=False):
        points = " ".join(f"{x(i)},{y(v)}" for i, v in enumerate(values))
        dots = format_html_join(
            "",
            '<circle cx="{}" cy="{}" r="2.5" fill="{}"><title>{}: {} on {}</title></circle>',
            ((x(i), y(v), colour, name, v, f"{days[i]:%d %b}") for i, v in enumerate(values)),
        )
        lines.append(
            format_html(
                '<polyline points="{}" fill="none" stroke="{}" stroke-width="2"/>{}',
                points,
                colour,
                dots,
            )
        )
    legend = format_html_join(
        "",
        '<span class="legend-item"><span class="swatch" style="background:{}"></span>{}</span>',
        ((colour, name) for name, colour in zip(series, PALETTE, strict=False)),
    )
    summary = ", ".join(f"{name}: {sum(values)}" for name, values in series.items())
    return format_html(
        '<figure class="spam-chart"><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" '
        'width="100%" role="img" aria-labelledby="chart-title chart-desc">'
        '<title id="chart-title">{}</title><desc id="chart-desc">Totals over {} days: {}.</desc>'
        '<style>.grid{{stroke:#8884;stroke-width:1}}.tick{{font:11px sans-serif;fill:currentColor}}'
        "</style>{}{}{}</svg><figcaption>{}</figcaption></figure>",
        width, height, title, len(days), summary,
        format_html_join("", "{}", ((g,) for g in grid)),
        format_html_join("", "{}", ((label,) for label in labels)),
        format_html_join("", "{}", ((line,) for line in lines)),
        legend,
    )  # fmt: skip
