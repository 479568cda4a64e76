"""Plan-week arithmetic.

Weeks run Monday to Sunday and are counted from the week that holds the
go-live date: week 0 is go-live week, week -1 the week before, week 1 the first
full week live (DOMAIN.md section 6).
"""

from __future__ import annotations

from datetime import date, timedelta


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def plan_week(go_live_date: date, day: date) -> int:
    """The plan week that holds `day`."""
    return (monday_of(day) - monday_of(go_live_date)).days // 7


def week_monday(go_live_date: date, week: int) -> date:
    """The Monday that starts plan week `week`."""
    return monday_of(go_live_date) + timedelta(weeks=week)


def days_to_go_live(go_live_date: date, as_of: date) -> int:
    """Days from `as_of` to go-live; zero on the day, negative once live."""
    return (go_live_date - as_of).days


def weeks_to_go_live(go_live_date: date, as_of: date) -> int:
    """Plan weeks until go-live week: 0 in go-live week, negative once live."""
    return -plan_week(go_live_date, as_of)
