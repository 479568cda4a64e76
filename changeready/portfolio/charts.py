"""A server-side SVG scatter plot: readiness at go-live against adoption at week 8.

Plain data in, an SVG string out; every text is escaped and the chart carries
a title and a description (the page also shows the numbers in a table).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from changeready.assessment.charts import BAND_COLOURS, GRID, INK, MUTED


@dataclass(frozen=True)
class ScatterPoint:
    label: str
    readiness: int
    adoption: float
    band: str
    href: str = ""


def readiness_adoption_svg(points: Sequence[ScatterPoint]) -> str:
    left, top, size = 50, 15, 300
    width, height = left + size + 20, top + size + 50

    def x(value: float) -> float:
        return left + size * value / 100

    def y(value: float) -> float:
        return top + size * (1 - value / 100)

    parts = []
    for tick in range(0, 101, 20):
        parts.append(
            f'<line x1="{x(tick):.1f}" y1="{top}" x2="{x(tick):.1f}" y2="{top + size}" '
            f'stroke="{GRID}" stroke-width="1"/>'
            f'<line x1="{left}" y1="{y(tick):.1f}" x2="{left + size}" y2="{y(tick):.1f}" '
            f'stroke="{GRID}" stroke-width="1"/>'
            f'<text x="{x(tick):.1f}" y="{top + size + 16}" text-anchor="middle" font-size="11" '
            f'fill="{MUTED}">{tick}</text>'
            f'<text x="{left - 6}" y="{y(tick) + 4:.1f}" text-anchor="end" font-size="11" '
            f'fill="{MUTED}">{tick}%</text>'
        )
    # The "ready" threshold, so the two groups are visible at a glance.
    parts.append(
        f'<line x1="{x(80):.1f}" y1="{top}" x2="{x(80):.1f}" y2="{top + size}" '
        f'stroke="{BAND_COLOURS["ready"]}" stroke-dasharray="4 3" stroke-width="1.5"/>'
    )
    for point in points:
        name = escape(point.label)
        mark = (
            f'<circle cx="{x(point.readiness):.1f}" cy="{y(point.adoption):.1f}" r="6" '
            f'fill="{BAND_COLOURS.get(point.band, INK)}" fill-opacity="0.85" stroke="#ffffff"/>'
            f"<title>{name}: readiness {point.readiness} at go-live, "
            f"{point.adoption:g}% adoption at week 8</title>"
        )
        parts.append(f'<a href="{escape(point.href)}">{mark}</a>' if point.href else mark)
    parts.append(
        f'<text x="{left + size / 2}" y="{height - 6}" text-anchor="middle" font-size="12" '
        f'fill="{INK}">readiness at go-live →</text>'
        f'<text x="14" y="{top + size / 2}" text-anchor="middle" font-size="12" fill="{INK}" '
        f'transform="rotate(-90 14 {top + size / 2})">adoption at week 8 →</text>'
    )
    desc = "; ".join(
        f"{p.label}: readiness {p.readiness}, adoption {p.adoption:g}%" for p in points
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        'aria-labelledby="scatter-title scatter-desc" class="chart scatter" '
        'font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif">'
        '<title id="scatter-title">Readiness at go-live against adoption at week 8</title>'
        f'<desc id="scatter-desc">{escape(desc or "No engagement has both figures yet")}</desc>'
        f"{''.join(parts)}</svg>"
    )
