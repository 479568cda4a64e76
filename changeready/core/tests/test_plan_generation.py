"""The guarantees of a generated plan, window clipping, determinism and the ramp."""

from __future__ import annotations

import dataclasses
import random

import pytest

from changeready.core.model import Adkar
from changeready.core.planning import (
    GROUP_REACH_SAFETY_NET_KEY,
    RESISTANCE_SAFETY_NET_KEY,
    adoption_ramp,
    generate_plan,
    generation_key,
)
from changeready.core.rules import BUILTIN_RULES
from changeready.core.tests.plan_fixtures import (
    engagement,
    example_engagement_data,
    group,
    items_of,
    person,
    point,
    weeks_of,
)


def _without(*rule_keys):
    return [rule for rule in BUILTIN_RULES if rule.key not in rule_keys]


# --- the example engagement ---------------------------------------------------


def test_example_links_every_unresolved_point_by_its_due_week():
    plan = generate_plan(example_engagement_data())

    def linked_weeks(point_id):
        return sorted(item.week for item in plan.items if item.resistance_point_id == point_id)

    # r1: planned (not resolved or accepted), loss of authority, due -4.
    assert linked_weeks("r1") == [-4, 2]
    # r2: open, no due week: acted on well before the default due week -1.
    assert linked_weeks("r2") == [-4, 2]
    # r3: open, workload increase, due in week 1.
    assert linked_weeks("r3") == [-2, 1, 2, 3]
    involve_r1 = next(
        item
        for item in plan.items
        if item.resistance_point_id == "r1" and item.origin.endswith("loss_of_authority_involve")
    )
    assert involve_r1.audience_ids == ("shift-leads",)
    assert involve_r1.reason == (
        "Shift leads: loss of authority at go-live (resistance point: Work allocation moves "
        "from shift leads to the system; severity 4; status planned; due week -4)."
    )


def test_example_gives_the_pickers_group_an_adoption_ramp():
    plan = generate_plan(example_engagement_data())
    assert {target.stakeholder_id for target in plan.targets} == {"pickers"}
    assert [(target.week, target.target_pct) for target in plan.targets] == [
        (1, 40.0),
        (2, 45.7),
        (3, 51.4),
        (4, 57.1),
        (5, 62.9),
        (6, 68.6),
        (7, 74.3),
        (8, 80.0),
        (9, 80.0),
        (10, 80.0),
        (11, 80.0),
        (12, 80.0),
    ]


def test_example_plan_addresses_its_barriers_and_roles():
    plan = generate_plan(example_engagement_data())
    # Pickers: awareness 4, desire 3 -> desire barrier.
    assert weeks_of(plan, "barrier.desire_wiifm", "pickers") == [-2, 1]
    assert weeks_of(plan, "barrier.awareness_repeat_why") == []
    assert weeks_of(plan, "role.economic_buyer_value_checkin", "ops-director") == [-1, 2, 6, 12]
    assert weeks_of(plan, "role.admin_config_ownership", "wms-admin") == [3]
    # Tom Avery: resistant, opposed the purchase, influence 4 -> the sponsor calls him.
    assert weeks_of(plan, "quadrant.influential_resistor_sponsor_call") == [-3, -3]
    # Without rule gaps, no safety net is needed.
    assert items_of(plan, RESISTANCE_SAFETY_NET_KEY) == []
    assert items_of(plan, GROUP_REACH_SAFETY_NET_KEY) == []


# --- resistance guarantee -----------------------------------------------------


def test_open_point_without_a_rule_gets_a_safety_net_item_at_its_due_week():
    data = engagement(
        group("leads", name="Shift leads"),
        points=(
            point(
                "p1",
                "leads",
                "loss_of_authority",
                due_week=-2,
                owner="Priya",
                strategy="sponsor_intervention",
            ),
        ),
    )
    plan = generate_plan(data, _without("resistance.loss_of_authority_involve"))

    [item] = items_of(plan, RESISTANCE_SAFETY_NET_KEY)
    assert (item.week, item.resistance_point_id, item.audience_ids) == (-2, "p1", ("leads",))
    assert item.kind == "resistance"
    assert item.title == "Start the mitigation for Shift leads"
    assert "Priya agrees the response (sponsor intervention) with Shift leads" in (item.description)
    assert item.reason.endswith("No rule acts on it by week -2.")


def test_rule_acting_after_the_due_week_does_not_count():
    # workload_increase acts at -2 and in weeks 1-3; with -2 switched off and a
    # due week of 0, only the safety net can be on time.
    data = engagement(group("g"), points=(point("p", "g", "workload_increase", due_week=0),))
    plan = generate_plan(data, _without("resistance.workload_retire_old_steps"))
    assert weeks_of(plan, RESISTANCE_SAFETY_NET_KEY) == [0]
    assert weeks_of(plan, "resistance.workload_friction_fixes") == [1, 2, 3]


def test_point_without_due_week_is_due_the_week_before_go_live():
    data = engagement(group("g"), points=(point("p", "g", "workload_increase"),))
    plan = generate_plan(data, _without("resistance.workload_retire_old_steps"))
    [item] = items_of(plan, RESISTANCE_SAFETY_NET_KEY)
    assert item.week == -1
    assert "No due week set: placed in week -1" in item.reason


def test_point_due_before_the_window_is_placed_in_the_first_week():
    data = engagement(group("g"), points=(point("p", "g", "loss_of_authority", due_week=-10),))
    plan = generate_plan(data)
    # The rule's -4 item is on the first week of the window, which is as early as
    # the plan goes; no safety net needed.
    assert weeks_of(plan, "resistance.loss_of_authority_involve") == [-4]
    assert items_of(plan, RESISTANCE_SAFETY_NET_KEY) == []

    narrow = generate_plan(data, first_week=-2)
    [item] = items_of(narrow, RESISTANCE_SAFETY_NET_KEY)
    assert item.week == -2
    assert "before the plan starts: placed in week -2" in item.reason


@pytest.mark.parametrize("status", ["resolved", "accepted"])
def test_closed_points_get_no_linked_item(status):
    data = engagement(
        group("g"), points=(point("p", "g", "loss_of_authority", due_week=-3, status=status),)
    )
    plan = generate_plan(data, ())
    assert [item for item in plan.items if item.resistance_point_id == "p"] == []


def test_every_open_point_is_linked_by_its_due_week_even_with_no_rules():
    points = (
        point("a", "g", "habit", due_week=-6),
        point("b", "g", "other"),
        point("c", "p", "skills_gap", due_week=3, status="in_progress"),
        point("d", "p", "job_security", due_week=40),
    )
    plan = generate_plan(engagement(group("g"), person("p"), points=points), ())
    assert sorted((item.resistance_point_id or "", item.week) for item in plan.items) == [
        # the group's week-one visit
        ("", 1),
        ("a", -4),
        ("b", -1),
        ("c", 3),
        ("d", 12),
    ]


# --- group reach and economic buyer ------------------------------------------


def test_group_no_rule_reaches_after_go_live_gets_a_week_one_visit():
    plan = generate_plan(
        engagement(group("pickers", name="Pickers"), person("boss"), group("finance")),
        (),
    )
    visits = items_of(plan, GROUP_REACH_SAFETY_NET_KEY)
    assert [(item.week, item.audience_ids) for item in visits] == [
        (1, ("finance",)),
        (1, ("pickers",)),
    ]
    assert visits[1].title == "Week-one visit to Pickers"


def test_builtin_rules_reach_every_group_after_go_live_without_safety_net():
    data = engagement(
        group("users"),
        group("finance", role="downstream", influence=1, interest=1),
        group("execs", role="executive_sponsor", influence=5, interest=1),
    )
    plan = generate_plan(data)
    assert items_of(plan, GROUP_REACH_SAFETY_NET_KEY) == []
    for group_id in ("users", "finance", "execs"):
        assert any(item.week >= 1 and group_id in item.audience_ids for item in plan.items)


def test_group_reached_only_before_go_live_still_gets_the_visit():
    plan = generate_plan(engagement(group("g")), first_week=-4, last_week=1)
    reached_after = [item.origin for item in plan.items if item.week >= 1]
    assert reached_after == ["generated:baseline.daily_office_hours"]
    plan = generate_plan(
        engagement(group("g")), _without("baseline.daily_office_hours"), last_week=1
    )
    assert weeks_of(plan, GROUP_REACH_SAFETY_NET_KEY) == [1]


def test_every_economic_buyer_gets_value_checkins():
    plan = generate_plan(
        engagement(
            person("cfo", role="economic_buyer"),
            person("coo", role="economic_buyer", influence=1, interest=1),
        )
    )
    assert weeks_of(plan, "role.economic_buyer_value_checkin", "cfo") == [-1, 2, 6, 12]
    assert weeks_of(plan, "role.economic_buyer_value_checkin", "coo") == [-1, 2, 6, 12]


def test_engagement_rule_with_conditions_nobody_meets_produces_nothing():
    plan = generate_plan(engagement(group("users")))
    assert items_of(plan, "baseline.manager_briefing_kit") == []
    assert items_of(plan, "barrier.awareness_repeat_why") == []


# --- window -------------------------------------------------------------------


def test_rule_weeks_outside_the_window_are_dropped():
    data = engagement(person("cfo", role="economic_buyer"), group("users"))
    plan = generate_plan(data, first_week=-2, last_week=6)
    assert all(-2 <= item.week <= 6 for item in plan.items)
    assert weeks_of(plan, "role.economic_buyer_value_checkin") == [-1, 2, 6]
    assert items_of(plan, "baseline.sponsor_announcement") == []
    assert items_of(plan, "baseline.outcome_review") == []
    assert [target.week for target in plan.targets] == [1, 2, 3, 4, 5, 6]


def test_a_wider_window_keeps_every_rule_week():
    plan = generate_plan(engagement(person("cfo", role="economic_buyer")), first_week=-8)
    assert weeks_of(plan, "role.economic_buyer_value_checkin") == [-1, 2, 6, 12]
    assert min(item.week for item in plan.items) == -4


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"first_week": 1}, "first_week"),
        ({"first_week": -60}, "first_week"),
        ({"last_week": 0}, "last_week"),
        ({"last_week": 200}, "last_week"),
        ({"adoption_target_pct": 0}, "adoption_target_pct"),
        ({"adoption_target_pct": 120}, "adoption_target_pct"),
        ({"adoption_target_week": 0}, "adoption_target_week"),
        ({"adoption_target_week": 105}, "adoption_target_week"),
    ],
)
def test_bad_window_or_target_is_refused(options, message):
    with pytest.raises(ValueError, match=message):
        generate_plan(engagement(), **options)


def test_bad_landscape_is_refused():
    with pytest.raises(ValueError, match="unknown stakeholder 'ghost'"):
        generate_plan(engagement(group("g"), points=(point("p", "ghost", "habit"),)))
    with pytest.raises(ValueError, match="'g' appears twice"):
        generate_plan(engagement(group("g"), group("g")))


# --- identity and determinism -------------------------------------------------


def test_generation_keys_are_unique_and_stable():
    data = example_engagement_data()
    first = generate_plan(data)
    keys = [item.generation_key for item in first.items]
    assert len(keys) == len(set(keys))
    assert "resistance.loss_of_authority_involve|-4|1:shift-leads|r1" in keys
    assert "role.economic_buyer_value_checkin|6|1:ops-director|" in keys
    assert first == generate_plan(data)


def test_large_audience_key_is_a_bounded_digest():
    ids = [f"stakeholder-{number:04d}" for number in range(500)]
    key = generation_key("baseline.go_live_notice", 0, ids, None)
    assert key.startswith("baseline.go_live_notice|0|500:")
    assert len(key) < 80
    assert key == generation_key("baseline.go_live_notice", 0, list(reversed(ids)), None)
    assert key != generation_key("baseline.go_live_notice", 0, ids[:-1], None)


def test_plan_does_not_depend_on_input_order():
    data = example_engagement_data()
    shuffled_stakeholders = list(data.stakeholders)
    shuffled_points = list(data.resistance_points)
    random.Random(7).shuffle(shuffled_stakeholders)
    random.Random(7).shuffle(shuffled_points)
    shuffled = dataclasses.replace(
        data,
        stakeholders=tuple(reversed(shuffled_stakeholders)),
        resistance_points=tuple(reversed(shuffled_points)),
    )
    assert generate_plan(shuffled) == generate_plan(data)


def test_items_are_ordered_by_week_then_library_order():
    plan = generate_plan(example_engagement_data())
    weeks = [item.week for item in plan.items]
    assert weeks == sorted(weeks)
    week_zero = [item.origin for item in plan.items if item.week == 0]
    assert week_zero[:2] == ["generated:baseline.go_live_notice", "generated:baseline.daily_triage"]


# --- adoption targets ---------------------------------------------------------


def test_targets_only_for_daily_user_groups():
    plan = generate_plan(
        engagement(
            group("users"),
            group("leads", role="people_manager"),
            person("power-user", role="daily_user"),
        ),
        last_week=3,
    )
    assert [(t.stakeholder_id, t.week) for t in plan.targets] == [
        ("users", 1),
        ("users", 2),
        ("users", 3),
    ]


def test_ramp_reaches_the_team_target_in_the_target_week_then_holds():
    assert adoption_ramp(90.0, 4, 6) == (
        (1, 45.0),
        (2, 60.0),
        (3, 75.0),
        (4, 90.0),
        (5, 90.0),
        (6, 90.0),
    )
    assert adoption_ramp(70.0, 1, 3) == ((1, 70.0), (2, 70.0), (3, 70.0))


def test_target_week_after_the_window_cuts_the_ramp_off():
    plan = generate_plan(engagement(group("users")), last_week=3)
    assert [t.target_pct for t in plan.targets] == [40.0, 45.7, 51.4]


def test_custom_target_reaches_generated_targets():
    plan = generate_plan(
        engagement(group("users", adkar=Adkar(awareness=5))),
        adoption_target_pct=60.0,
        adoption_target_week=3,
        last_week=4,
    )
    assert [t.target_pct for t in plan.targets] == [30.0, 45.0, 60.0, 60.0]
