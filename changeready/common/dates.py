"""The dates the app computes with, bounded.

Weeks are counted from go-live and plans reach a year either side, so a day
near the ends of Python's calendar (`0001-01-01`, `9999-12-31`) overflows the
arithmetic. A date a person or a client gives (`?as_of=`) must fall between
EARLIEST and LATEST; outside, it is refused as bad input, never computed with.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import BadRequest

EARLIEST = date(1970, 1, 1)
LATEST = date(2199, 12, 31)


def date_problem(value: date) -> str | None:
    """Why `value` is outside the dates the app computes with; None when it is inside."""
    if EARLIEST <= value <= LATEST:
        return None
    return f"Must be between {EARLIEST.isoformat()} and {LATEST.isoformat()}."


def checked_date(value: date) -> date:
    """`value`, or ValueError (for a pydantic validator) when it is out of bounds."""
    problem = date_problem(value)
    if problem:
        raise ValueError(problem)
    return value


def parse_as_of(raw: str | None, today: date) -> date:
    """A page's `?as_of=YYYY-MM-DD` (today without it); 400 when it is not a usable date."""
    if not raw:
        return today
    try:
        as_of = date.fromisoformat(raw)
    except ValueError:
        raise BadRequest("as_of must be a date like 2027-02-22.") from None
    problem = date_problem(as_of)
    if problem:
        raise BadRequest(f"as_of {problem[0].lower()}{problem[1:]}")
    return as_of
