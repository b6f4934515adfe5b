# ruff: noqa: E501 - SVG markup reads best one element to a line
"""Charts as server-rendered SVG: no scripts, no CDN, readable without colour.

Each chart is an ``<svg role="img">`` with a title and a description; the page
also gives the numbers as a table for screen readers and for anyone who
prefers them. Colours meet AA contrast against white, and series differ by
pattern of position as well as hue.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape

PALETTE = ("#0b5cad", "#a4161a", "#1e6b34", "#7a4d00", "#5b2a86", "#4a5561")

#: The width every chart is drawn at, in SVG units. A chart is shown at most this wide
#: times 1.4 (app.css ``.chart``), and on a 390 px phone the card is about this wide: so one
#: SVG unit is about one CSS pixel on a phone and text of ``FONT`` units is read at 13 px or
#: more (the browser test measures it). Drawn for 640 and shrunk, labels were 5 px high.
WIDTH = 340
FONT = 13
#: Roughly how wide a day label ("07 Dec") is at ``FONT``, to label every n-th column.
_LABEL_WIDTH = 44


@dataclass(frozen=True, slots=True)
class Series:
    label: str
    values: Sequence[float]


def stacked_bars(
    title: str,
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    width: int = WIDTH,
    height: int = 200,
) -> str:
    """Stacked columns, one per category (e.g. day), one colour per series (e.g. channel).

    Days are labelled as often as they fit without overlapping, counting back from the
    last (today is always labelled); every column names its day and count in its tooltip.
    """
    left, bottom, top = 36, 28, 14
    plot_w, plot_h = width - left - 8, height - bottom - top
    totals = [sum(s.values[i] for s in series) for i in range(len(categories))]
    peak = max(totals, default=0) or 1
    column = plot_w / max(len(categories), 1)
    every = max(1, math.ceil(_LABEL_WIDTH / column))
    last = len(categories) - 1
    parts = [
        (
            f'<svg class="chart" role="img" viewBox="0 0 {width} {height + 12 + 22 * len(series)}" '
            f'xmlns="http://www.w3.org/2000/svg" aria-labelledby="t-{id(title)}">'
        ),
        f'<title id="t-{id(title)}">{escape(title)}</title>',
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - 8}" y2="{top + plot_h}" stroke="#4a5561"/>',
        f'<text x="{left - 6}" y="{top + 10}" text-anchor="end" font-size="{FONT}" fill="#4a5561">{peak:g}</text>',
        f'<text x="{left - 6}" y="{top + plot_h}" text-anchor="end" font-size="{FONT}" fill="#4a5561">0</text>',
    ]
    for i, category in enumerate(categories):
        x = left + i * column + column * 0.15
        y = float(top + plot_h)
        for k, s in enumerate(series):
            h = plot_h * s.values[i] / peak
            if h > 0:
                y -= h
                parts.append(
                    f'<rect x="{x:.1f}" y="{y:.1f}" width="{column * 0.7:.1f}" height="{h:.1f}" '
                    f'fill="{PALETTE[k % len(PALETTE)]}"><title>{escape(category)}, {escape(s.label)}: {s.values[i]:g}</title></rect>'
                )
        if (last - i) % every == 0:
            centre = x + column * 0.35
            # A label that would run off the right edge ends at the edge instead.
            anchor, at = (
                ("end", width - 2) if centre + _LABEL_WIDTH / 2 > width else ("middle", centre)
            )
            parts.append(
                f'<text x="{at:.1f}" y="{top + plot_h + 18}" text-anchor="{anchor}" '
                f'font-size="{FONT}" fill="#1b1f24">{escape(category)}</text>'
            )
    for k, s in enumerate(series):
        y = height + 14 + 22 * k
        parts.append(
            f'<rect x="{left}" y="{y - 11}" width="13" height="13" fill="{PALETTE[k % len(PALETTE)]}"/>'
        )
        parts.append(
            f'<text x="{left + 20}" y="{y}" font-size="{FONT}" fill="#1b1f24">{escape(s.label)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def progress(title: str, done: int, total: int, *, width: int = WIDTH) -> str:
    """One horizontal bar: how many of ``total`` have done it."""
    share = done / total if total else 0.0
    filled = (width - 2) * share
    return (
        f'<svg class="chart" role="img" viewBox="0 0 {width} 48" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(title)}: {done} of {total}</title>"
        f'<rect x="1" y="1" width="{width - 2}" height="24" fill="#ffffff" stroke="#4a5561"/>'
        f'<rect x="1" y="1" width="{filled:.1f}" height="24" fill="#1e6b34"/>'
        f'<text x="1" y="44" font-size="{FONT}" fill="#1b1f24">{done} of {total} ({share:.0%})</text></svg>'
    )


def durations(
    title: str, minutes: Sequence[float], *, width: int = WIDTH, height: int = 160
) -> str:
    """Each crisis alert as a dot at how many minutes it took to be acknowledged."""
    left, bottom = 40, 28
    peak = max(minutes, default=0) or 1
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
        f'<line x1="{left}" y1="{height - bottom}" x2="{width - 8}" y2="{height - bottom}" stroke="#4a5561"/>',
        f'<text x="{left + 4}" y="14" font-size="{FONT}" fill="#4a5561">{peak:.0f} min at most</text>',
    ]
    step = (width - left - 16) / max(len(minutes), 1)
    for i, value in enumerate(minutes):
        x = left + 8 + i * step
        y = (height - bottom) - (height - bottom - 16) * value / peak
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="#a4161a"><title>{value:.0f} minutes</title></circle>'
        )
    parts.append(
        f'<text x="{left}" y="{height - 8}" font-size="{FONT}" fill="#4a5561">oldest to newest alert</text></svg>'
    )
    return "".join(parts)


def daily_counts(
    rows: Sequence[tuple[dt.date, str, int]], days: Sequence[dt.date], keys: Sequence[str]
) -> tuple[list[str], list[Series]]:
    """Turn (day, key, how many) rows into chart categories and one series per key."""
    counts: dict[tuple[dt.date, str], int] = {}
    for day, key, n in rows:
        counts[(day, key)] = counts.get((day, key), 0) + n
    categories = [f"{day:%d %b}" for day in days]
    series = [Series(key, [counts.get((day, key), 0) for day in days]) for key in keys]
    return categories, series


def as_table(categories: Sequence[str], series: Sequence[Series]) -> Mapping[str, Sequence[float]]:
    return {s.label: s.values for s in series}
