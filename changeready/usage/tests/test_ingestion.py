"""Ingestion and the rollups it feeds (docs/domain.md, measured adoption)."""

from __future__ import annotations

import pytest

from changeready.usage.ingestion import MAX_EVENTS_PER_BATCH, BatchTooLarge, ingest_events
from changeready.usage.models import GroupWeek, UsageEvent, UsageState, UsageUser, UserWeek
from changeready.usage.tests.factories import event, group, moment, rule, targets

pytestmark = pytest.mark.django_db


@pytest.fixture
def now(engagement):
    """Wednesday of week 3: weeks 0 to 2 are over."""
    return moment(engagement.go_live_date, 3, day=2)


@pytest.fixture
def pickers(engagement):
    pickers = group(engagement, "Pickers", headcount=4)
    rule(pickers, values=["northwind.example"])
    return pickers


def at(engagement, week, **kwargs):
    return moment(engagement.go_live_date, week, **kwargs)


def test_good_events_are_kept_and_bad_ones_rejected_with_index_and_reason(engagement, now):
    batch = [
        event("u1", at(engagement, 1)),
        {"id": "x", "user": "u2", "event": "login", "timestamp": "2027-04-12T10:00:00"},
        event("u2", at(engagement, 1), id=""),
        "not an object",
        event("u3", at(engagement, 1), properties=[1]),
        event("u4", at(engagement, 1), colour="red"),
        event("u5", at(engagement, 1)),
    ]
    result = ingest_events(engagement, batch, now=now)
    assert (result.accepted, result.duplicates) == (2, 0)
    reasons = {r.index: r.reason for r in result.rejected}
    assert sorted(reasons) == [1, 2, 3, 4, 5]
    assert "time zone" in reasons[1]
    assert "`id` is missing" in reasons[2]
    assert "object" in reasons[3]
    assert "`properties` must be an object" in reasons[4]
    assert "unknown field `colour`" in reasons[5]
    assert UsageEvent.objects.filter(engagement=engagement).count() == 2


def test_control_characters_are_rejected_anywhere_in_an_event(engagement, now):
    result = ingest_events(
        engagement,
        [
            event("u\x00", at(engagement, 1)),
            event("u1", at(engagement, 1), name="log\nin"),
            event("u1", at(engagement, 1), properties={"note": {"deep": ["a\x00b"]}}),
            event("u1", at(engagement, 1), properties={"note": "two\nlines are fine"}),
        ],
        now=now,
    )
    assert result.accepted == 1
    assert [r.index for r in result.rejected] == [0, 1, 2]
    assert "`user`: contains a NUL character" in result.rejected[0].reason
    assert "`properties`" in result.rejected[2].reason


def test_properties_are_checked_in_every_text_and_stored_as_sent(engagement, now):
    # The check reads the properties' JSON text first: what only looks like a
    # forbidden escape there (a typed backslash) is still accepted.
    kept = {
        "note": "tab\tand two\nlines",
        "path": "C:\\u0000\\bin",
        "city": "Zürich ✓",
        "nested": {"list": [1, 2.5, None, True, "x"]},
    }
    result = ingest_events(
        engagement,
        [
            event("u1", at(engagement, 1), properties={"del": "a\x7fb"}),
            event("u1", at(engagement, 1), properties={"\ud800": "lone surrogate key"}),
            event("u1", at(engagement, 1), properties={"bell": ["\x07"]}),
            event("u1", at(engagement, 1), properties=kept),
        ],
        now=now,
    )
    assert [r.index for r in result.rejected] == [0, 1, 2]
    assert "control character (U+007F)" in result.rejected[0].reason
    assert "lone surrogate" in result.rejected[1].reason
    assert "control character (U+0007)" in result.rejected[2].reason
    assert result.accepted == 1
    assert UsageEvent.objects.get(engagement=engagement).properties == kept


def test_a_timestamp_in_the_future_or_older_than_kept_is_rejected(engagement, now):
    from datetime import timedelta

    result = ingest_events(
        engagement,
        [event("u1", now + timedelta(days=2)), event("u1", now - timedelta(days=401))],
        now=now,
    )
    assert result.accepted == 0
    assert "future" in result.rejected[0].reason
    assert "400 days" in result.rejected[1].reason


def test_sending_a_batch_twice_stores_it_once(engagement, now, pickers):
    batch = [event("u1", at(engagement, 1), id="a"), event("u1", at(engagement, 1), id="b")]
    first = ingest_events(engagement, batch, now=now)
    second = ingest_events(engagement, [*batch, event("u1", at(engagement, 1), id="a")], now=now)
    assert (first.accepted, first.duplicates) == (2, 0)
    assert (second.accepted, second.duplicates) == (0, 3)
    assert UsageEvent.objects.filter(engagement=engagement).count() == 2
    assert UserWeek.objects.get(engagement=engagement).events == 2
    assert UsageState.objects.get(engagement=engagement).events == 2


def test_the_same_id_in_another_engagement_is_another_event(engagement, now, workspace):
    from changeready.engagements.tests.factories import EngagementFactory

    other = EngagementFactory(workspace=workspace, go_live_date=engagement.go_live_date)
    ingest_events(engagement, [event("u1", at(engagement, 1), id="a")], now=now)
    assert ingest_events(other, [event("u1", at(engagement, 1), id="a")], now=now).accepted == 1


def test_more_than_a_batch_is_refused(engagement, now):
    with pytest.raises(BatchTooLarge):
        ingest_events(engagement, [{}] * (MAX_EVENTS_PER_BATCH + 1), now=now)


def test_counts_add_up_across_batches(engagement, now, pickers):
    ingest_events(
        engagement, [event("u1", at(engagement, 1), email="u1@northwind.example")], now=now
    )
    ingest_events(
        engagement,
        [
            event("u1", at(engagement, 1)),
            event("u2", at(engagement, 1), email="u2@northwind.example"),
        ],
        now=now,
    )
    row = GroupWeek.objects.get(stakeholder=pickers)
    assert (row.active_users, row.work_events) == (2, 3)


def test_weekly_adoption_is_distinct_active_users_over_headcount_once_the_week_is_over(
    engagement, now, pickers
):
    week1, week3 = targets(pickers, 1, 3)
    users = [f"u{n}" for n in range(3)]
    batch = [
        event(user, at(engagement, 1, day=day), email=f"{user}@northwind.example")
        for user in users
        for day in (0, 1)
    ]
    batch.append(event("u0", at(engagement, 3, day=0), email="u0@northwind.example"))
    ingest_events(engagement, batch, now=now)
    week1.refresh_from_db()
    week3.refresh_from_db()
    assert (week1.actual_pct, week1.actual_source, week1.measured_pct) == (75.0, "measured", 75.0)
    # Week 3 is still running: nothing is written.
    assert (week3.actual_pct, week3.actual_source) == (None, "")


def test_a_finished_week_without_events_after_the_first_event_measured_zero(
    engagement, now, pickers
):
    week0, week2 = targets(pickers, 0, 2)
    ingest_events(engagement, [event("a", at(engagement, 0), email="a@northwind.example")], now=now)
    week0.refresh_from_db()
    week2.refresh_from_db()
    assert (week0.actual_pct, week2.actual_pct) == (25.0, 0.0)


def test_adoption_is_capped_at_100(engagement, now):
    small = group(engagement, "Leads", headcount=1)
    rule(small, values=["northwind.example"])
    (week1,) = targets(small, 1)
    ingest_events(
        engagement,
        [event(f"u{n}", at(engagement, 1), email=f"u{n}@northwind.example") for n in range(3)],
        now=now,
    )
    week1.refresh_from_db()
    assert week1.actual_pct == 100.0


def test_groups_without_headcount_and_weeks_outside_0_to_the_last_week_get_no_figure(
    engagement, pickers
):
    # The plan ends in week 12 (no renewal date): week 13 is after its last week.
    assert engagement.plan_last_week == 12
    unsized = group(engagement, "Packers", headcount=None)
    rule(unsized, kind="user_list", values=["p1"])
    late_now = moment(engagement.go_live_date, 15)
    (unsized_week,) = targets(unsized, 1)
    (after_last,) = targets(pickers, 13)
    ingest_events(
        engagement,
        [
            event("p1", at(engagement, 1)),
            event("a", at(engagement, -1), email="a@northwind.example"),
            event("a", at(engagement, 13), email="a@northwind.example"),
        ],
        now=late_now,
    )
    unsized_week.refresh_from_db()
    after_last.refresh_from_db()
    assert unsized_week.actual_pct is None
    assert after_last.actual_pct is None


def test_a_typed_figure_wins_and_clearing_it_brings_the_measured_one_back(engagement, now, pickers):
    from changeready.planning.adoption import set_actual

    (week1,) = targets(pickers, 1)
    set_actual(week1, 40.0, expected_version=None)
    ingest_events(engagement, [event("a", at(engagement, 1), email="a@northwind.example")], now=now)
    week1.refresh_from_db()
    assert (week1.actual_pct, week1.actual_source, week1.measured_pct) == (40.0, "manual", 25.0)
    set_actual(week1, None, expected_version=None)
    week1.refresh_from_db()
    assert (week1.actual_pct, week1.actual_source) == (25.0, "measured")


def test_a_user_matched_by_several_rules_counts_in_the_first_rules_group(engagement, now):
    first = group(engagement, "Nurses", headcount=10)
    second = group(engagement, "Everyone", headcount=10)
    rule(first, kind="property", property_name="department", values=["Nursing"])
    rule(second, values=["northwind.example"])
    ingest_events(
        engagement,
        [
            event(
                "n1",
                at(engagement, 1),
                email="n1@northwind.example",
                properties={"department": "nursing "},
            ),
            event("x1", at(engagement, 1), email="x1@NorthWind.example"),
            event("lost", at(engagement, 1), email="lost@elsewhere.example"),
        ],
        now=now,
    )
    groups = dict(
        UsageUser.objects.filter(engagement=engagement).values_list("external_id", "group__name")
    )
    assert groups == {"n1": "Nurses", "x1": "Everyone", "lost": None}


def test_only_events_that_count_as_use_make_a_user_active(engagement, now, pickers):
    from changeready.usage.models import GroupUsage

    GroupUsage.objects.create(stakeholder=pickers, counts_as_use=["order_picked"])
    ingest_events(
        engagement,
        [
            event("a", at(engagement, 1), name="login", email="a@northwind.example"),
            event("b", at(engagement, 1), name="order_picked", email="b@northwind.example"),
        ],
        now=now,
    )
    assert GroupWeek.objects.get(stakeholder=pickers).active_users == 1


def test_rolling_up_takes_the_same_number_of_queries_for_many_events(
    engagement, now, pickers, django_assert_max_num_queries
):
    targets(pickers, 0, 1, 2)

    def batch(size, offset):
        return [
            event(
                f"u{n % 50}",
                at(engagement, n % 3, hour=1 + n % 20),
                email=f"u{n % 50}@northwind.example",
                id=f"{offset}-{n}",
            )
            for n in range(size)
        ]

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # The first batch also creates the engagement's usage state: leave it out.
    ingest_events(engagement, batch(1, "first"), now=now)
    counts = []
    for size, offset in ((10, "small"), (2000, "large")):
        with CaptureQueriesContext(connection) as queries:
            ingest_events(engagement, batch(size, offset), now=now)
        # Inserts are split by the database's parameter limit; everything else is fixed.
        counts.append(
            len([q for q in queries.captured_queries if not q["sql"].startswith("INSERT")])
        )
    assert counts[0] == counts[1]


def test_a_mandatory_engagement_measures_the_share_of_work_not_done_the_old_way(
    engagement, now, pickers
):
    engagement.adoption_mode = "mandatory"
    engagement.save()
    week1, week2 = targets(pickers, 1, 2, target_pct=95)
    legacy = {"channel": "legacy"}
    ingest_events(
        engagement,
        [
            *(event("a", at(engagement, 1), email="a@northwind.example") for _ in range(3)),
            event("a", at(engagement, 1), email="a@northwind.example", properties=legacy),
            # Only the old way in week 2: nobody is active in the new system.
            event("b", at(engagement, 2), email="b@northwind.example", properties=legacy),
        ],
        now=now,
    )
    week1.refresh_from_db()
    week2.refresh_from_db()
    assert (week1.actual_pct, week2.actual_pct) == (75.0, 0.0)
    assert (
        GroupWeek.objects.get(stakeholder=pickers, week_start=week2_start(engagement)).active_users
        == 0
    )


def week2_start(engagement):
    from changeready.core.weeks import week_monday

    return week_monday(engagement.go_live_date, 2)
