"""Server-side SVG charts over plan weeks: adoption targets with their figures, KPIs.

Plain data in, an SVG string out (the same drawing serves the page and the
PDF playbook). Every chart carries a title and a description listing its
numbers for screen readers; the page shows the same numbers in a table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

GRID = "#d5dbe3"
MUTED = "#5f6b7a"
WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 520, 200, 48, 12, 12, 32


@dataclass(frozen=True)
class Series:
    label: str
    points: Sequence[tuple[int, float]]
    colour: str
    # "line": a solid line with dots; "dashed": a dashed line; "dots": dots only.
    style: str = "line"


def _number(value: float) -> str:
    return f"{round(value, 2):g}"


def weekly_chart(
    title: str, series: Sequence[Series], *, low: float, high: float, unit: str = ""
) -> str:
    """A chart of each series over the weeks any of them covers."""
    weeks = [week for s in series for week, _ in s.points]
    if not weeks:
        return ""
    first, last = min(weeks), max(weeks)
    span_x = max(1, last - first)
    if high <= low:
        high = low + 1
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x_of(week: int) -> float:
        return LEFT + plot_w * (week - first) / span_x

    def y_of(value: float) -> float:
        return TOP + plot_h * (1 - (value - low) / (high - low))

    parts = []
    for step in range(5):
        value = low + (high - low) * step / 4
        y = y_of(value)
        parts.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" stroke="{GRID}"/>'
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="10" '
            f'fill="{MUTED}">{escape(_number(value) + unit)}</text>'
        )
    label_every = max(1, (last - first) // 12 + 1)
    for week in range(first, last + 1, label_every):
        parts.append(
            f'<text x="{x_of(week):.1f}" y="{HEIGHT - 14}" text-anchor="middle" font-size="10" '
            f'fill="{MUTED}">{week}</text>'
        )
    parts.append(
        f'<text x="{LEFT + plot_w / 2:.1f}" y="{HEIGHT - 2}" text-anchor="middle" '
        f'font-size="10" fill="{MUTED}">week after go-live</text>'
    )
    for s in series:
        points = sorted(s.points)
        if not points:
            continue
        coordinates = " ".join(f"{x_of(w):.1f},{y_of(v):.1f}" for w, v in points)
        if s.style in ("line", "dashed"):
            dash = ' stroke-dasharray="6 4"' if s.style == "dashed" else ""
            parts.append(
                f'<polyline points="{coordinates}" fill="none" stroke="{s.colour}" '
                f'stroke-width="2"{dash}/>'
            )
        if s.style in ("line", "dots"):
            for week, value in points:
                parts.append(
                    f'<circle cx="{x_of(week):.1f}" cy="{y_of(value):.1f}" r="3.5" '
                    f'fill="{s.colour}"><title>{escape(s.label)}, week {week}: '
                    f"{escape(_number(value) + unit)}</title></circle>"
                )
    desc = "; ".join(
        f"{s.label}: "
        + (", ".join(f"week {w} {_number(v)}{unit}" for w, v in sorted(s.points)) or "none")
        for s in series
    )
    ref = "chart-" + "-".join(title.lower().split())
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{escape(ref)}-title {escape(ref)}-desc" class="chart" '
        'font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif">'
        f'<title id="{escape(ref)}-title">{escape(title)}</title>'
        f'<desc id="{escape(ref)}-desc">{escape(desc)}</desc>{"".join(parts)}</svg>'
    )


TARGET_COLOUR = "#5f6b7a"
MEASURED_COLOUR = "#1f5fbf"
TYPED_COLOUR = "#a15c00"


def adoption_chart(name: str, weeks) -> str:
    """Target (dashed), measured (solid) and typed figures (dots) of one group.

    `weeks`: objects with `week`, `target_pct`, `measured_pct` and `typed_pct`
    (adoption targets, or the usage summary's weeks)."""
    return weekly_chart(
        f"Adoption of {name}: target, measured and typed",
        [
            Series(
                "target",
                [(w.week, w.target_pct) for w in weeks if w.target_pct is not None],
                TARGET_COLOUR,
                "dashed",
            ),
            Series(
                "measured",
                [(w.week, w.measured_pct) for w in weeks if w.measured_pct is not None],
                MEASURED_COLOUR,
            ),
            Series(
                "typed",
                [(w.week, w.typed_pct) for w in weeks if w.typed_pct is not None],
                TYPED_COLOUR,
                "dots",
            ),
        ],
        low=0,
        high=100,
        unit="%",
    )
