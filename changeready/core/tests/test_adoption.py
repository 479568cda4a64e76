"""Which groups lag behind their adoption targets, and their measured barrier."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from changeready.core.adoption import lagging_groups, measured_barrier, weeks_behind
from changeready.core.model import Adkar, AdoptionTarget, Engagement, EngagementData, Stakeholder

GO_LIVE = date(2027, 4, 5)


def target(week, target_pct, actual_pct=None, who="g"):
    return AdoptionTarget(who, week, target_pct, actual_pct)


def test_two_latest_measured_weeks_below_80_percent_of_target_lag():
    behind = weeks_behind([target(1, 50, 30), target(2, 60, 40), target(3, 70)], 3)
    assert [t.week for t in behind] == [1, 2]


def test_one_good_week_among_the_latest_two_is_not_lagging():
    assert weeks_behind([target(1, 50, 30), target(2, 60, 50)], 2) == ()


def test_weeks_after_the_current_week_and_targets_of_zero_do_not_count():
    assert weeks_behind([target(1, 50, 30), target(2, 60, 20)], 1) == ()
    assert weeks_behind([target(1, 50, 30), target(2, 0, 0), target(3, 60, 40)], 3)


def test_only_a_surveyed_barrier_is_a_measured_barrier():
    low_desire = Adkar(awareness=4, desire=2, knowledge=4)
    assert measured_barrier(Stakeholder("g", "G", adkar=low_desire, adkar_source="survey")) == (
        "desire"
    )
    assert measured_barrier(Stakeholder("g", "G", adkar=low_desire)) is None


def test_lagging_groups_name_their_measured_barrier():
    data = EngagementData(
        engagement=Engagement("e", "E", GO_LIVE),
        stakeholders=(
            Stakeholder("g", "Pickers", adkar=Adkar(knowledge=2), adkar_source="survey"),
            Stakeholder("h", "Packers"),
        ),
        adoption_targets=(
            target(1, 50, 10),
            target(2, 60, 20),
            target(1, 50, 10, "h"),
            target(2, 60, 20, "h"),
        ),
    )
    assert lagging_groups(data, GO_LIVE + timedelta(weeks=3)) == {"g": "knowledge", "h": None}


@given(
    figures=st.lists(st.tuples(st.floats(1, 100), st.floats(0, 100)), min_size=2, max_size=8),
    current=st.integers(0, 10),
)
def test_lagging_always_rests_on_the_latest_weeks_each_below_80_percent(figures, current):
    targets = [target(week, goal, actual) for week, (goal, actual) in enumerate(figures)]
    behind = weeks_behind(targets, current)
    if behind:
        assert len(behind) == 2 and all(t.actual_pct < 0.8 * t.target_pct for t in behind)
        later = [t for t in targets if behind[-1].week < t.week <= current]
        assert later == []
