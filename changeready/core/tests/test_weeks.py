"""Plan-week arithmetic against its definition: weeks run Monday to Sunday."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from changeready.core.weeks import monday_of, plan_week, week_monday, weeks_to_go_live

days = st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31))


def test_weeks_around_a_go_live_on_a_wednesday():
    go_live = date(2027, 4, 7)
    assert plan_week(go_live, date(2027, 4, 5)) == 0  # its Monday
    assert plan_week(go_live, date(2027, 4, 11)) == 0  # its Sunday
    assert plan_week(go_live, date(2027, 4, 4)) == -1
    assert plan_week(go_live, date(2027, 4, 12)) == 1
    assert weeks_to_go_live(go_live, date(2027, 3, 29)) == 1
    assert weeks_to_go_live(go_live, date(2027, 4, 19)) == -2


@given(days, days)
def test_plan_week_counts_the_mondays_between(go_live, day):
    expected = (monday_of(day) - monday_of(go_live)).days // 7
    assert plan_week(go_live, day) == expected
    assert weeks_to_go_live(go_live, day) == -expected


@given(days)
def test_a_week_runs_monday_to_sunday(day):
    monday = monday_of(day)
    assert monday.weekday() == 0
    assert monday <= day < monday + timedelta(days=7)
    assert plan_week(day, monday) == plan_week(day, monday + timedelta(days=6)) == 0
    assert plan_week(day, monday - timedelta(days=1)) == -1


@given(days, st.integers(min_value=-52, max_value=260))
def test_week_monday_starts_the_plan_week(go_live, week):
    monday = week_monday(go_live, week)
    assert monday.weekday() == 0
    assert plan_week(go_live, monday) == week
