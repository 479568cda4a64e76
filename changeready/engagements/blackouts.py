"""Blackout periods: weeks the customer cannot absorb change (docs/domain.md, "Engagement").

Stored on the engagement as a list of `{"start", "end", "label"}` with ISO
dates, the shape the API and the engagement file use. One module reads,
checks and writes that shape, and the form's one-period-a-line text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from typing import Any

from changeready.core.model import BlackoutPeriod

MAX_PERIODS = 20
# As the engagement file's schema allows (`blackout_periods[].label`).
MAX_LABEL_LENGTH = 200
_LINE = re.compile(
    r"^\s*(?P<start>\d{4}-\d{2}-\d{2})\s*(?:to|–|-|—)\s*(?P<end>\d{4}-\d{2}-\d{2})\s*(?P<label>.*)$"
)


def blackout_errors(value: Any) -> list[str]:
    """What is wrong with a stored list of periods, in words; empty when it is fine."""
    if not isinstance(value, list):
        return ["Blackout periods must be a list."]
    if len(value) > MAX_PERIODS:
        return [f"At most {MAX_PERIODS} blackout periods."]
    errors = []
    for position, period in enumerate(value, start=1):
        if not isinstance(period, dict) or set(period) - {"start", "end", "label"}:
            errors.append(f"Period {position}: give a start, an end and a label.")
            continue
        try:
            start = date.fromisoformat(str(period.get("start")))
            end = date.fromisoformat(str(period.get("end")))
        except ValueError:
            errors.append(f"Period {position}: dates must be written YYYY-MM-DD.")
            continue
        if end < start:
            errors.append(f"Period {position}: the end ({end}) is before the start ({start}).")
        label = period.get("label", "")
        if not isinstance(label, str) or len(label) > MAX_LABEL_LENGTH:
            errors.append(
                f"Period {position}: the label is text of at most {MAX_LABEL_LENGTH} characters."
            )
    return errors


def blackout_periods(value: Iterable[dict]) -> tuple[BlackoutPeriod, ...]:
    """The stored periods as the core reads them."""
    return tuple(
        BlackoutPeriod(
            start=date.fromisoformat(period["start"]),
            end=date.fromisoformat(period["end"]),
            label=period.get("label", ""),
        )
        for period in value
    )


def stored_period(start: date, end: date, label: str) -> dict:
    return {"start": start.isoformat(), "end": end.isoformat(), "label": label.strip()}


def periods_as_text(value: Iterable[dict]) -> str:
    """One period a line, as the form shows them: `2026-12-21 to 2027-01-03 Holidays`."""
    return "\n".join(
        f"{period['start']} to {period['end']} {period.get('label', '')}".rstrip()
        for period in value
    )


def periods_from_text(text: str) -> tuple[list[dict], list[str]]:
    """(periods, errors) from the form's lines; each error names its line."""
    periods, errors = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        match = _LINE.match(line)
        if match is None:
            errors.append(f"Line {number}: write a period as “2026-12-21 to 2027-01-03 Holidays”.")
            continue
        try:
            start = date.fromisoformat(match["start"])
            end = date.fromisoformat(match["end"])
        except ValueError:
            errors.append(f"Line {number}: {match['start']} or {match['end']} is not a date.")
            continue
        periods.append(stored_period(start, end, match["label"]))
    if not errors:
        errors = blackout_errors(periods)
    return periods, errors
