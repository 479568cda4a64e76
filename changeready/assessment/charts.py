"""Server-side SVG charts of the assessment: gauge, risk heatmap, readiness history.

Plain data in, an SVG string out, so the same drawing serves the page and the
PDF playbook. Every text is escaped; every chart carries a title and a
description for screen readers (the page also shows the numbers as text).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from html import escape

BAND_COLOURS = {
    "ready": "#2e7d32",
    "at_risk": "#a15c00",
    "not_ready": "#b3261e",
    "high": "#b3261e",
    "medium": "#a15c00",
    "low": "#2e7d32",
}
GRID = "#d5dbe3"
INK = "#1b2a3a"
MUTED = "#5f6b7a"


def _svg(width: int, height: int, title: str, desc: str, body: str, role: str = "img") -> str:
    # Ids derive from the title so several charts can share a page. A chart
    # whose marks are links is a group: an image's links cannot be read.
    ref = "chart-" + "-".join(title.lower().split())
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'role="{role}" aria-labelledby="{ref}-title {ref}-desc" class="chart" '
        'font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif">'
        f'<title id="{ref}-title">{escape(title)}</title>'
        f'<desc id="{ref}-desc">{escape(desc)}</desc>'
        f"{body}</svg>"
    )


def readiness_gauge_svg(score: int, band: str) -> str:
    """A half-circle gauge from 0 to 100 with the band's colour."""
    width, height, cx, cy, radius = 220, 130, 110, 115, 90

    def point(value: float) -> tuple[float, float]:
        angle = math.pi * (1 - value / 100)
        return cx + radius * math.cos(angle), cy - radius * math.sin(angle)

    start_x, start_y = point(0)
    end_x, end_y = point(100)
    value_x, value_y = point(max(0, min(100, score)))
    arc = f"M{start_x:.1f},{start_y:.1f} A{radius},{radius} 0 0 1"
    colour = BAND_COLOURS.get(band, INK)
    body = (
        f'<path d="{arc} {end_x:.1f},{end_y:.1f}" fill="none" stroke="{GRID}" stroke-width="18"/>'
        f'<path d="{arc} {value_x:.1f},{value_y:.1f}" fill="none" stroke="{colour}" '
        f'stroke-width="18"/>'
        f'<text x="{cx}" y="{cy - 18}" text-anchor="middle" font-size="38" font-weight="700" '
        f'fill="{INK}">{int(score)}</text>'
        f'<text x="{cx}" y="{cy + 2}" text-anchor="middle" font-size="13" fill="{colour}">'
        f"{escape(band.replace('_', ' '))}</text>"
    )
    return _svg(width, height, "Readiness", f"Readiness {score} of 100, {band}", body)


@dataclass(frozen=True)
class HeatPoint:
    name: str
    influence: int
    likelihood: float
    band: str
    href: str = ""


# A heatmap names at most this many stakeholders in its description and in each
# cell's tooltip: with hundreds, the table of the breakdown is the place for names.
HEATMAP_DESCRIBED = 20


def _some_names(names: list[str]) -> str:
    listed = ", ".join(names[:HEATMAP_DESCRIBED])
    more = len(names) - HEATMAP_DESCRIBED
    return f"{listed} and {more} more" if more > 0 else listed


def risk_heatmap_svg(points: Sequence[HeatPoint]) -> str:
    """Influence (rows, 5 at the top) against likelihood (five columns of 0.2).

    Cells are tinted by how dangerous their corner is; each cell shows how many
    stakeholders fall in it and names them in its tooltip and link.
    """
    cell, left, top = 64, 70, 20
    width, height = left + 5 * cell + 10, top + 5 * cell + 50
    cells: dict[tuple[int, int], list[HeatPoint]] = {}
    for point in points:
        column = min(4, max(0, int(point.likelihood * 5)))
        cells.setdefault((point.influence, column), []).append(point)
    parts = []
    for influence in range(5, 0, -1):
        y = top + (5 - influence) * cell
        parts.append(
            f'<text x="{left - 8}" y="{y + cell / 2 + 4}" text-anchor="end" font-size="12" '
            f'fill="{MUTED}">{influence}</text>'
        )
        for column in range(5):
            x = left + column * cell
            danger = (influence - 1) / 4 * 0.5 + column / 4 * 0.5
            tint = ("#edf7ed", "#fff4e5", "#fde2dd")[
                0 if danger < 0.35 else 1 if danger < 0.7 else 2
            ]
            parts.append(
                f'<rect x="{x}" y="{y}" width="{cell}" height="{cell}" fill="{tint}" '
                f'stroke="#ffffff" stroke-width="2"/>'
            )
            members = cells.get((influence, column), [])
            if not members:
                continue
            names = _some_names([m.name for m in members])
            worst = "high" if any(m.band == "high" for m in members) else members[0].band
            mark = (
                f'<circle cx="{x + cell / 2}" cy="{y + cell / 2}" '
                f'r="{12 + min(10, len(members) * 2)}" '
                f'fill="{BAND_COLOURS.get(worst, INK)}"/>'
                f'<text x="{x + cell / 2}" y="{y + cell / 2 + 5}" text-anchor="middle" '
                f'font-size="14" font-weight="700" fill="#ffffff">{len(members)}</text>'
                f"<title>{escape(names)}</title>"
            )
            href = members[0].href if len(members) == 1 else ""
            parts.append(f'<a href="{escape(href)}">{mark}</a>' if href else f"<g>{mark}</g>")
    for column in range(6):
        parts.append(
            f'<text x="{left + column * cell}" y="{top + 5 * cell + 16}" text-anchor="middle" '
            f'font-size="11" fill="{MUTED}">{column / 5:.1f}</text>'
        )
    parts.append(
        f'<text x="{left + 2.5 * cell}" y="{height - 8}" text-anchor="middle" font-size="12" '
        f'fill="{INK}">likelihood of resisting →</text>'
        f'<text x="16" y="{top + 2.5 * cell}" text-anchor="middle" font-size="12" fill="{INK}" '
        f'transform="rotate(-90 16 {top + 2.5 * cell})">influence →</text>'
    )
    described = [
        f"{p.name}: influence {p.influence}, likelihood {p.likelihood:.2f}, {p.band}"
        for p in points[:HEATMAP_DESCRIBED]
    ]
    if len(points) > HEATMAP_DESCRIBED:
        described.append(f"and {len(points) - HEATMAP_DESCRIBED} more in the breakdown")
    desc = "; ".join(described)
    role = "group" if any("<a " in part for part in parts) else "img"
    return _svg(width, height, "Risk heatmap", desc or "No stakeholders", "".join(parts), role)


def readiness_history_svg(history: Sequence[tuple[date, int]]) -> str:
    """Readiness over time as a line, with the 50 and 80 band thresholds."""
    width, height, left, right, top, bottom = 520, 180, 36, 12, 12, 28
    plot_w, plot_h = width - left - right, height - top - bottom

    def y_of(score: float) -> float:
        return top + plot_h * (1 - score / 100)

    parts = []
    for threshold, label in ((80, "ready"), (50, "at risk")):
        y = y_of(threshold)
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="{GRID}" '
            f'stroke-dasharray="4 3"/><text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end" '
            f'font-size="10" fill="{MUTED}">{threshold}</text>'
            f'<text x="{width - right}" y="{y - 3:.1f}" text-anchor="end" font-size="10" '
            f'fill="{MUTED}">{label}</text>'
        )
    if history:
        first, last = history[0][0], history[-1][0]
        span = max(1, (last - first).days)

        def x_of(day: date) -> float:
            return left + plot_w * ((day - first).days / span if len(history) > 1 else 0.5)

        coords = " ".join(f"{x_of(d):.1f},{y_of(s):.1f}" for d, s in history)
        parts.append(f'<polyline points="{coords}" fill="none" stroke="#1f5fbf" stroke-width="2"/>')
        for day, score in history:
            parts.append(
                f'<circle cx="{x_of(day):.1f}" cy="{y_of(score):.1f}" r="3" fill="#1f5fbf">'
                f"<title>{day.isoformat()}: {score}</title></circle>"
            )
        parts.append(
            f'<text x="{left}" y="{height - 8}" font-size="10" fill="{MUTED}">'
            f"{first.isoformat()}</text>"
            f'<text x="{width - right}" y="{height - 8}" text-anchor="end" font-size="10" '
            f'fill="{MUTED}">{last.isoformat()}</text>'
        )
    desc = ", ".join(f"{d.isoformat()}: {s}" for d, s in history) or "No history yet"
    return _svg(width, height, "Readiness over time", desc, "".join(parts))
