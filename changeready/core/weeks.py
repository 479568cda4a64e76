"""Plan-week arithmetic.

Weeks run Monday to Sunday and are counted from the week that holds the
go-live date: week 0 is go-live week, week -1 the week before, week 1 the first
full week live (DOMAIN.md section 6).
"""

from __future__ import annotations

from datetime import date, timedelta


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _week_number(day: date) -> int:
    """The number of the week that holds `day`, counted from the first week of year 1.

    Day 1 of the proleptic calendar, 1 January of year 1, is a Monday, so days
    1 to 7 are week 0. Counting on ordinals builds no date: the portfolio asks
    for a thousand engagements' weeks on each of its requests.
    """
    return (day.toordinal() - 1) // 7


def plan_week(go_live_date: date, day: date) -> int:
    """The plan week that holds `day`."""
    return _week_number(day) - _week_number(go_live_date)


def week_monday(go_live_date: date, week: int) -> date:
    """The Monday that starts plan week `week`."""
    return monday_of(go_live_date) + timedelta(weeks=week)


def days_to_go_live(go_live_date: date, as_of: date) -> int:
    """Days from `as_of` to go-live; zero on the day, negative once live."""
    return (go_live_date - as_of).days


def weeks_to_go_live(go_live_date: date, as_of: date) -> int:
    """Plan weeks until go-live week: 0 in go-live week, negative once live."""
    return -plan_week(go_live_date, as_of)


# The plan window (section 6): from the kickoff week to the later of week 12
# and the renewal week, both clamped so a typo cannot make a ten-year plan.
EARLIEST_FIRST_WEEK = -52
DEFAULT_FIRST_WEEK = -8
LATEST_FIRST_WEEK = -1
MIN_LAST_WEEK = 12
LATEST_LAST_WEEK = 260
# Phase boundaries: mobilise runs to week -9, prepare from -8 to -1; hypercare
# ends with the exit review of week 4; reinforce runs to week 12.
PREPARE_FIRST_WEEK = -8
HYPERCARE_EXIT_WEEK = 4
REINFORCE_LAST_WEEK = 12
# The value review with the economic buyer comes this many weeks before the
# renewal week, and never before the hypercare exit.
VALUE_REVIEW_WEEKS_BEFORE_RENEWAL = 10


def plan_window(
    go_live_date: date, kickoff_date: date | None, renewal_date: date | None
) -> tuple[int, int]:
    """(first_week, last_week) of the plan: derived, never stored."""
    if kickoff_date is None:
        first_week = DEFAULT_FIRST_WEEK
    else:
        first_week = min(
            max(plan_week(go_live_date, kickoff_date), EARLIEST_FIRST_WEEK), LATEST_FIRST_WEEK
        )
    last_week = MIN_LAST_WEEK
    if renewal_date is not None:
        last_week = max(MIN_LAST_WEEK, min(plan_week(go_live_date, renewal_date), LATEST_LAST_WEEK))
    return first_week, last_week


def renewal_week(go_live_date: date, renewal_date: date | None) -> int | None:
    if renewal_date is None:
        return None
    return min(plan_week(go_live_date, renewal_date), LATEST_LAST_WEEK)


def value_review_week(go_live_date: date, renewal_date: date | None) -> int | None:
    """Ten weeks before the renewal week, not before the hypercare exit; None without renewal."""
    week = renewal_week(go_live_date, renewal_date)
    if week is None:
        return None
    return max(week - VALUE_REVIEW_WEEKS_BEFORE_RENEWAL, HYPERCARE_EXIT_WEEK)


def plan_phase(week: int) -> str:
    """The phase a plan week belongs to (section 6)."""
    if week < PREPARE_FIRST_WEEK:
        return "mobilise"
    if week < 0:
        return "prepare"
    if week == 0:
        return "go_live"
    if week <= HYPERCARE_EXIT_WEEK:
        return "hypercare"
    if week <= REINFORCE_LAST_WEEK:
        return "reinforce"
    return "sustain"
