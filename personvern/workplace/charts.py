"""Charts drawn on the server as SVG: no script, no third-party host, readable without colour.

A :class:`Chart` is data (labels along the x axis, one or more series of numbers); ``render``
turns it into an ``<svg>`` element with a ``<title>`` and ``<desc>`` for screen readers, every
value also as text (a bar's total above it, each segment's figure in its tooltip), and only
presentation attributes (no ``style``), so a strict Content-Security-Policy allows it inline.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from django.utils.html import escape

# Okabe-Ito: told apart by people with colour-vision deficiency.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000")

WIDTH = 640
HEIGHT = 260
LEFT = 48
RIGHT = 12
TOP = 36
BOTTOM = 44
LEGEND_ROW = 18

Scale = Callable[[float], float]


@dataclass(frozen=True)
class Series:
    label: str
    values: list[float | None]  # None: nothing to show that month (no median of no answers)


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    labels: list[str]
    series: list[Series]
    kind: Literal["bars", "lines"] = "bars"
    unit: str = ""
    # A horizontal line to read the values against (e.g. the deadline), with its name.
    reference: float | None = None
    reference_label: str = ""
    description: str = ""
    empty_text: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not any(v is not None for s in self.series for v in s.values) or (
            self.kind == "bars" and not any(v for s in self.series for v in s.values)
        )


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def _nice_ceiling(value: float) -> float:
    """The smallest 1, 2 or 5 times a power of ten at or above ``value``."""
    if value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if value <= step * power:
            return float(step * power)
    return float(10 * power)  # pragma: no cover - the loop always returns


def _range(chart: Chart) -> tuple[float, float]:
    if chart.kind == "bars":
        totals = [sum(s.values[i] or 0 for s in chart.series) for i in range(len(chart.labels))]
        low, high = 0.0, max(totals, default=0)
    else:
        values = [v for s in chart.series for v in s.values if v is not None]
        low, high = min([0.0, *values]), max([0.0, *values])
    if chart.reference is not None:
        low, high = min(low, chart.reference), max(high, chart.reference)
    high = _nice_ceiling(high) if high > 0 else 0.0
    low = -_nice_ceiling(-low) if low < 0 else 0.0
    if high == low:
        high = low + 1
    return low, high


def render(chart: Chart) -> str:
    """The chart as an inline ``<svg>`` element (text escaped)."""
    low, high = _range(chart)
    legend, legend_height = _legend(chart)
    top = TOP + legend_height - LEGEND_ROW
    height = HEIGHT + legend_height - LEGEND_ROW
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = height - top - BOTTOM
    count = max(len(chart.labels), 1)
    slot = plot_w / count

    def y(value: float) -> float:
        return top + plot_h * (high - value) / (high - low)

    parts: list[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="workplace-chart" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        f'aria-labelledby="chart-{chart.key}-title chart-{chart.key}-desc" '
        f'data-chart="{escape(chart.key)}">',
        f'<title id="chart-{chart.key}-title">{escape(chart.title)}</title>',
        f'<desc id="chart-{chart.key}-desc">{escape(chart.description)}</desc>',
    ]
    # Grid: zero, half the top and the top of the scale, and the bottom when below zero.
    ticks = sorted({low, 0.0, high / 2, high})
    for tick in ticks:
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" '
            f'stroke="#ccc" stroke-width="{1.5 if tick == 0 else 0.5}"/>'
            f'<text x="{LEFT - 6}" y="{y(tick) + 4:.1f}" text-anchor="end" font-size="11" '
            f'fill="#555">{_fmt(tick)}</text>'
        )
    for i, label in enumerate(chart.labels):
        parts.append(
            f'<text x="{LEFT + slot * (i + 0.5):.1f}" y="{height - BOTTOM + 16}" '
            f'text-anchor="middle" font-size="11" fill="#333">{escape(label)}</text>'
        )
    if chart.kind == "bars":
        parts += _bars(chart, y, slot)
    else:
        parts += _lines(chart, y, slot)
    if chart.reference is not None:
        ry = y(chart.reference)
        parts.append(
            f'<line class="reference" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{ry:.1f}" '
            f'y2="{ry:.1f}" stroke="#D55E00" stroke-width="1.5" stroke-dasharray="6 4"/>'
            f'<text x="{WIDTH - RIGHT}" y="{ry - 4:.1f}" text-anchor="end" font-size="11" '
            f'fill="#D55E00">{escape(chart.reference_label)}</text>'
        )
    parts += legend
    if chart.is_empty and chart.empty_text:
        parts.append(
            f'<text x="{WIDTH / 2}" y="{top + plot_h / 2}" text-anchor="middle" '
            f'font-size="14" fill="#555">{escape(chart.empty_text)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _bars(chart: Chart, to_y: Scale, slot: float) -> list[str]:
    parts: list[str] = []
    width = slot * 0.6
    for i, label in enumerate(chart.labels):
        x = LEFT + slot * i + (slot - width) / 2
        base = 0.0
        for n, series in enumerate(chart.series):
            value = series.values[i]
            if not value:
                continue
            top, bottom = to_y(base + value), to_y(base)
            parts.append(
                f'<rect x="{x:.1f}" y="{top:.1f}" width="{width:.1f}" '
                f'height="{bottom - top:.1f}" fill="{PALETTE[n % len(PALETTE)]}" '
                f'data-series="{escape(series.label)}" data-label="{escape(label)}" '
                f'data-value="{_fmt(value)}">'
                f"<title>{escape(series.label)}, {escape(label)}: {_fmt(value)}"
                f"{escape(chart.unit)}</title></rect>"
            )
            base += value
        if base:
            parts.append(
                f'<text class="total" x="{x + width / 2:.1f}" y="{to_y(base) - 4:.1f}" '
                f'text-anchor="middle" font-size="11" fill="#222">{_fmt(base)}</text>'
            )
    return parts


def _lines(chart: Chart, to_y: Scale, slot: float) -> list[str]:
    parts: list[str] = []
    for n, series in enumerate(chart.series):
        colour = PALETTE[n % len(PALETTE)]
        points = [
            (LEFT + slot * (i + 0.5), to_y(value), label, value)
            for i, (label, value) in enumerate(zip(chart.labels, series.values, strict=True))
            if value is not None
        ]
        if len(points) > 1:
            path = " ".join(f"{px:.1f},{py:.1f}" for px, py, _l, _v in points)
            parts.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>'
            )
        for px, py, label, value in points:
            parts.append(
                f'<circle cx="{px:.1f}" cy="{py:.1f}" r="3.5" fill="{colour}" '
                f'data-series="{escape(series.label)}" data-label="{escape(label)}" '
                f'data-value="{_fmt(value)}"><title>{escape(series.label)}, {escape(label)}: '
                f"{_fmt(value)}{escape(chart.unit)}</title></circle>"
            )
    return parts


def _legend(chart: Chart) -> tuple[list[str], int]:
    """The legend's parts and its height: as many rows as the labels need."""
    parts: list[str] = []
    x, row = float(LEFT), 0
    for n, series in enumerate(chart.series):
        width = 28 + 6.5 * len(series.label)
        if x + width > WIDTH - RIGHT and x > LEFT:
            x, row = float(LEFT), row + 1
        y = 10 + row * LEGEND_ROW
        colour = PALETTE[n % len(PALETTE)]
        parts.append(
            f'<rect x="{x:.1f}" y="{y}" width="12" height="12" fill="{colour}"/>'
            f'<text x="{x + 16:.1f}" y="{y + 10}" font-size="12" fill="#222">'
            f"{escape(series.label)}</text>"
        )
        x += width
    return parts, (row + 1) * LEGEND_ROW
