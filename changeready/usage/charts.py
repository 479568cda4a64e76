"""The KPI chart: the line from baseline to target, and the weekly values."""

from __future__ import annotations

from collections.abc import Sequence

from changeready.planning.charts import MEASURED_COLOUR, TARGET_COLOUR, Series, weekly_chart


def kpi_chart(kpi, values: Sequence[tuple[int, float]]) -> str:
    """The line from baseline (week 0) to target (due week), and the values."""
    line = []
    if kpi.baseline is not None and kpi.due_week is not None:
        last = max([kpi.due_week, *(week for week, _ in values)])
        line = [(0, kpi.baseline), (max(0, kpi.due_week), kpi.target)]
        if last > kpi.due_week:
            line.append((last, kpi.target))
    numbers = [kpi.target, *(v for _, v in values), *(v for _, v in line)]
    low, high = min(numbers), max(numbers)
    margin = (high - low) * 0.1 or abs(high) * 0.1 or 1
    return weekly_chart(
        f"{kpi.name}: line and values",
        [
            Series("line from baseline to target", line, TARGET_COLOUR, "dashed"),
            Series("value", list(values), MEASURED_COLOUR),
        ],
        low=low - margin,
        high=high + margin,
        unit=f" {kpi.unit}" if kpi.unit else "",
    )
