"""The power/interest map (Mendelow's grid) as a self-contained SVG string.

Pure Python on plain data (no Django), so the web page and the handoff PDF draw
the same picture. Every piece of text is escaped. No style attributes or
scripts: only SVG presentation attributes, which a strict CSP allows.

Reading the map: interest runs left to right, influence bottom to top, each on
the 1-5 scale; the grid splits each axis at 3 (the core's quadrant rule: 3 and
above is high), so the high halves are three levels wide and the low halves
two. Marks in the same cell are laid out side by side in a small grid, in a
fixed order, so the picture is the same every time. Size follows headcount on
a log scale (a group of 2,000 is bigger than one of 20, not a hundred times
bigger); people are small squares, groups circles. Colour shows the current
engagement with the Okabe-Ito colour-blind-safe palette, and a letter inside
each mark repeats it so colour is never the only cue.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

ENGAGEMENT_STYLE = {
    # level: (fill, letter colour, letter, label)
    "unaware": ("#bbbbbb", "#1b2a3a", "U", "Unaware"),
    "resistant": ("#d55e00", "#ffffff", "R", "Resistant"),
    "neutral": ("#f0e442", "#1b2a3a", "N", "Neutral"),
    "supportive": ("#56b4e9", "#1b2a3a", "S", "Supportive"),
    "leading": ("#0072b2", "#ffffff", "L", "Leading"),
}
QUADRANT_TITLES = {
    "manage_closely": "Manage closely",
    "keep_satisfied": "Keep satisfied",
    "keep_informed": "Keep informed",
    "monitor": "Monitor",
}

WIDTH = 640
HEIGHT = 580
PLOT_LEFT = 64
PLOT_TOP = 16
PLOT_WIDTH = 560
PLOT_HEIGHT = 440
LEVELS = 5
# Levels at or above this are "high" (the core's QUADRANT_THRESHOLD).
HIGH_FROM = 3
PERSON_SIZE = 8.0
GROUP_MIN_RADIUS = 8.0
GROUP_MAX_RADIUS = 20.0
GROUP_UNKNOWN_RADIUS = 10.0
LABEL_CHARS = 18
FONT = "system-ui, -apple-system, Segoe UI, Roboto, sans-serif"


@dataclass(frozen=True)
class MapPoint:
    """One stakeholder on the map, as plain data."""

    id: str
    name: str
    influence: int
    interest: int
    engagement: str = "neutral"
    kind: str = "group"
    headcount: int | None = None
    href: str | None = None


def _x(level: float) -> float:
    return PLOT_LEFT + (level - 0.5) * PLOT_WIDTH / LEVELS


def _y(level: float) -> float:
    return PLOT_TOP + (LEVELS - level + 0.5) * PLOT_HEIGHT / LEVELS


def mark_size(point: MapPoint) -> float:
    """Half the mark's width: people small, groups by log10 of headcount."""
    if point.kind == "person":
        return PERSON_SIZE
    if not point.headcount:
        return GROUP_UNKNOWN_RADIUS
    radius = GROUP_MIN_RADIUS + 3.0 * math.log10(max(point.headcount, 1))
    return min(radius, GROUP_MAX_RADIUS)


def _clamp_level(value: int) -> int:
    return min(max(int(value), 1), LEVELS)


def _truncate(text: str, limit: int) -> str:
    if limit < 2:
        return ""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _layout(points: Sequence[MapPoint]) -> list[tuple[MapPoint, float, float, float, int]]:
    """Each point with its centre, size and label length, overlapping marks spread out."""
    cells: dict[tuple[int, int], list[MapPoint]] = defaultdict(list)
    for point in points:
        cells[(_clamp_level(point.interest), _clamp_level(point.influence))].append(point)
    cell_width = PLOT_WIDTH / LEVELS
    cell_height = PLOT_HEIGHT / LEVELS
    placed = []
    for (interest, influence), members in sorted(cells.items()):
        members = sorted(members, key=lambda p: (p.name.casefold(), p.id))
        count = len(members)
        columns = math.ceil(math.sqrt(count))
        rows = math.ceil(count / columns)
        step_x = min(cell_width / columns, 48.0)
        step_y = min((cell_height - 14) / rows, 40.0)
        label_chars = LABEL_CHARS if count == 1 else int(step_x / 6.5) if rows <= 2 else 0
        for index, point in enumerate(members):
            column, row = index % columns, index // columns
            cx = _x(interest) + (column - (columns - 1) / 2) * step_x
            cy = _y(influence) + (row - (rows - 1) / 2) * step_y - (5 if label_chars else 0)
            size = min(mark_size(point), max(3.0, min(step_x, step_y) / 2 - 1))
            placed.append((point, cx, cy, size, label_chars))
    return placed


def _mark(
    point: MapPoint, cx: float, cy: float, size: float, label_chars: int, tooltip: bool = True
) -> str:
    fill, ink, letter, level_label = ENGAGEMENT_STYLE.get(
        point.engagement, ENGAGEMENT_STYLE["neutral"]
    )
    kind = "person" if point.kind == "person" else "group"
    detail = f"{point.name} ({kind}"
    if point.headcount:
        detail += f", {point.headcount:,} people"
    detail += (
        f"): influence {point.influence}, interest {point.interest}, {level_label.lower()} today"
    )
    if kind == "person":
        shape = (
            f'<rect x="{cx - size:.1f}" y="{cy - size:.1f}" width="{2 * size:.1f}" '
            f'height="{2 * size:.1f}" rx="2" fill="{fill}" stroke="#1b2a3a" stroke-width="1"/>'
        )
    else:
        shape = (
            f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{size:.1f}" fill="{fill}" '
            f'stroke="#1b2a3a" stroke-width="1"/>'
        )
    parts = [f"<title>{escape(detail)}</title>", shape] if tooltip else [shape]
    if size >= 5:
        parts.append(
            f'<text x="{cx:.1f}" y="{cy + size * 0.35:.1f}" text-anchor="middle" '
            f'font-size="{max(7.0, size):.0f}" font-weight="700" fill="{ink}" '
            f'aria-hidden="true">{letter}</text>'
        )
    label = _truncate(point.name, label_chars)
    if label:
        parts.append(
            f'<text x="{cx:.1f}" y="{cy + size + 11:.1f}" text-anchor="middle" '
            f'font-size="10" fill="#1b2a3a">{escape(label)}</text>'
        )
    body = "".join(parts)
    if point.href:
        return f'<a href="{escape(point.href, quote=True)}" class="map-mark">{body}</a>'
    return f'<g class="map-mark">{body}</g>'


def _grid() -> list[str]:
    split_x = PLOT_LEFT + (HIGH_FROM - 1) * PLOT_WIDTH / LEVELS
    split_y = PLOT_TOP + (LEVELS - HIGH_FROM + 1) * PLOT_HEIGHT / LEVELS
    right = PLOT_LEFT + PLOT_WIDTH
    bottom = PLOT_TOP + PLOT_HEIGHT
    quadrants = {
        # name: (x, y, width, height, fill, label anchor x, anchor)
        "keep_satisfied": (PLOT_LEFT, PLOT_TOP, split_x - PLOT_LEFT, split_y - PLOT_TOP, "#f4f6f9"),
        "manage_closely": (split_x, PLOT_TOP, right - split_x, split_y - PLOT_TOP, "#fdf0e6"),
        "monitor": (PLOT_LEFT, split_y, split_x - PLOT_LEFT, bottom - split_y, "#fafbfc"),
        "keep_informed": (split_x, split_y, right - split_x, bottom - split_y, "#eef5fb"),
    }
    out = []
    for name, (x, y, w, h, fill) in quadrants.items():
        out.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" fill="{fill}"/>'
        )
        label_x = x + w - 6 if x == split_x else x + 6
        anchor = "end" if x == split_x else "start"
        label_y = y + 14 if y == PLOT_TOP else y + h - 6
        out.append(
            f'<text x="{label_x:.1f}" y="{label_y:.1f}" text-anchor="{anchor}" font-size="12" '
            f'font-weight="600" fill="#5f6b7a">{QUADRANT_TITLES[name]}</text>'
        )
    for level in range(1, LEVELS + 1):
        out.append(
            f'<text x="{_x(level):.1f}" y="{bottom + 16:.1f}" text-anchor="middle" '
            f'font-size="11" fill="#5f6b7a">{level}</text>'
        )
        out.append(
            f'<text x="{PLOT_LEFT - 10:.1f}" y="{_y(level) + 4:.1f}" text-anchor="end" '
            f'font-size="11" fill="#5f6b7a">{level}</text>'
        )
    out.append(
        f'<rect x="{PLOT_LEFT}" y="{PLOT_TOP}" width="{PLOT_WIDTH}" height="{PLOT_HEIGHT}" '
        f'fill="none" stroke="#c5ccd6"/>'
    )
    out.append(
        f'<line x1="{split_x:.1f}" y1="{PLOT_TOP}" x2="{split_x:.1f}" y2="{bottom}" '
        f'stroke="#8a96a6" stroke-dasharray="4 3"/>'
    )
    out.append(
        f'<line x1="{PLOT_LEFT}" y1="{split_y:.1f}" x2="{right}" y2="{split_y:.1f}" '
        f'stroke="#8a96a6" stroke-dasharray="4 3"/>'
    )
    out.append(
        f'<text x="{PLOT_LEFT + PLOT_WIDTH / 2:.1f}" y="{bottom + 34:.1f}" text-anchor="middle" '
        f'font-size="12" fill="#1b2a3a">Interest →</text>'
    )
    out.append(
        f'<text x="16" y="{PLOT_TOP + PLOT_HEIGHT / 2:.1f}" text-anchor="middle" font-size="12" '
        f'fill="#1b2a3a" transform="rotate(-90 16 {PLOT_TOP + PLOT_HEIGHT / 2:.1f})">'
        f"Influence →</text>"
    )
    return out


def _legend() -> list[str]:
    y = PLOT_TOP + PLOT_HEIGHT + 62
    out = [
        f'<text x="{PLOT_LEFT}" y="{y + 4}" font-size="11" fill="#1b2a3a">Today:</text>',
    ]
    x = PLOT_LEFT + 44
    for fill, ink, letter, label in ENGAGEMENT_STYLE.values():
        out.append(
            f'<circle cx="{x + 7}" cy="{y}" r="7" fill="{fill}" stroke="#1b2a3a" stroke-width="1"/>'
        )
        out.append(
            f'<text x="{x + 7}" y="{y + 3.5}" text-anchor="middle" font-size="9" '
            f'font-weight="700" fill="{ink}">{letter}</text>'
        )
        out.append(f'<text x="{x + 18}" y="{y + 4}" font-size="11" fill="#1b2a3a">{label}</text>')
        x += 26 + 7 * len(label)
    y += 24
    out.append(
        f'<circle cx="{PLOT_LEFT + 7}" cy="{y}" r="7" fill="#ffffff" stroke="#1b2a3a"/>'
        f'<text x="{PLOT_LEFT + 18}" y="{y + 4}" font-size="11" fill="#1b2a3a">'
        f"Group (bigger = more people)</text>"
        f'<rect x="{PLOT_LEFT + 214}" y="{y - 6}" width="12" height="12" rx="2" fill="#ffffff" '
        f'stroke="#1b2a3a"/>'
        f'<text x="{PLOT_LEFT + 232}" y="{y + 4}" font-size="11" fill="#1b2a3a">Person</text>'
    )
    return out


def power_interest_svg(
    points: Sequence[MapPoint],
    *,
    title: str = "Power/interest map",
    id_prefix: str = "power-interest",
    tooltips: bool = True,
) -> str:
    """Mendelow's grid with one mark per stakeholder, as an SVG document fragment.

    `role="img"` with a title and a description; put the same data in a table
    beside it for people who cannot see the picture. When the marks are links,
    the picture is a `role="group"` instead: an image's content is hidden from
    assistive technology, so links inside it could be focused but not read.
    `tooltips=False` leaves out each mark's hover title, for paper: a PDF
    cannot show it, and parsing 500 of them is a large share of a PDF's render.
    """
    placed = _layout(points)
    counts: defaultdict[str, int] = defaultdict(int)
    for point in points:
        high_influence = _clamp_level(point.influence) >= HIGH_FROM
        high_interest = _clamp_level(point.interest) >= HIGH_FROM
        if high_influence:
            counts["manage_closely" if high_interest else "keep_satisfied"] += 1
        else:
            counts["keep_informed" if high_interest else "monitor"] += 1
    description = (
        f"{len(points)} stakeholder{'s' if len(points) != 1 else ''} placed by interest "
        "(left to right, 1 to 5) and influence (bottom to top, 1 to 5). "
        + "; ".join(f"{QUADRANT_TITLES[name]}: {counts[name]}" for name in QUADRANT_TITLES)
        + "."
    )
    title_id, desc_id = f"{id_prefix}-title", f"{id_prefix}-desc"
    role = "group" if any(point.href for point in points) else "img"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" role="{role}" class="power-interest-map" '
        f'aria-labelledby="{escape(title_id)} {escape(desc_id)}" font-family="{FONT}">',
        f'<title id="{escape(title_id)}">{escape(title)}</title>',
        f'<desc id="{escape(desc_id)}">{escape(description)}</desc>',
        *_grid(),
        *(_mark(*entry, tooltip=tooltips) for entry in placed),
        *_legend(),
        "</svg>",
    ]
    return "".join(parts)
