"""The ten guarantees of a generated plan (docs/domain.md, "The activation plan").

Each guarantee has a test here that fails when the rule or the core step that
keeps it is switched off; the rule-backed ones show that switching the rule
off removes what they check.
"""

from __future__ import annotations

import dataclasses
import random
from datetime import date
from itertools import pairwise

import pytest

from changeready.core.model import BlackoutPeriod, PlanItem
from changeready.core.planning import (
    GROUP_REACH_SAFETY_NET_KEY,
    RESISTANCE_SAFETY_NET_KEY,
    RESISTOR_REACH_SAFETY_NET_KEY,
    adoption_ramp,
    generate_plan,
    generation_key,
)
from changeready.core.rules import BUILTIN_RULES, Rule
from changeready.core.tests.plan_fixtures import (
    engagement,
    example_engagement_data,
    group,
    items_of,
    person,
    point,
    week_date,
    weeks_of,
)
from changeready.core.weeks import plan_phase, plan_window


def _without(*rule_keys):
    return [rule for rule in BUILTIN_RULES if rule.key not in rule_keys]


def _only(*rule_keys):
    return [rule for rule in BUILTIN_RULES if rule.key in rule_keys]


# --- the window and its phases ----------------------------------------------------


@pytest.mark.parametrize(
    ("kickoff_week", "renewal_week", "window"),
    [
        (None, None, (-8, 12)),
        (-20, None, (-20, 12)),
        (-80, None, (-52, 12)),
        (0, None, (-1, 12)),
        (None, 8, (-8, 12)),
        (None, 52, (-8, 52)),
        (None, 400, (-8, 260)),
    ],
)
def test_the_window_runs_from_kickoff_to_renewal_clamped(kickoff_week, renewal_week, window):
    kickoff = None if kickoff_week is None else week_date(kickoff_week, 2)
    renewal = None if renewal_week is None else week_date(renewal_week, 3)
    assert plan_window(week_date(0, 4), kickoff, renewal) == window


@pytest.mark.parametrize(
    ("week", "phase"),
    [
        (-20, "mobilise"),
        (-9, "mobilise"),
        (-8, "prepare"),
        (-1, "prepare"),
        (0, "go_live"),
        (1, "hypercare"),
        (4, "hypercare"),
        (5, "reinforce"),
        (12, "reinforce"),
        (13, "sustain"),
    ],
)
def test_phases_of_the_plan(week, phase):
    assert plan_phase(week) == phase


def test_nothing_is_placed_outside_the_window():
    plan = generate_plan(
        engagement(person("cfo", role="economic_buyer"), group("users"), kickoff_date=week_date(-3))
    )
    assert (plan.first_week, plan.last_week) == (-3, 12)
    assert all(-3 <= item.week <= 12 for item in plan.items)
    assert [target.week for target in plan.targets] == list(range(1, 13))


# --- 1. named owners ----------------------------------------------------------------


def _owners(plan, rule_key):
    return {item.owner for item in items_of(plan, rule_key)}


def test_delivery_and_cs_items_name_the_delivery_lead_and_cs_owner():
    data = engagement(group("users"), delivery_lead_name="Priya Raman", cs_owner_name="Sam Okafor")
    plan = generate_plan(data)
    assert _owners(plan, "baseline.role_based_training") == {"Priya Raman"}
    assert _owners(plan, "handoff.readiness_review") == {"Sam Okafor"}


def test_an_item_linked_to_a_point_names_its_mitigation_owner():
    data = engagement(
        group("leads", role="people_manager", engagement="resistant"),
        points=(point("p", "leads", "loss_of_authority", owner="Ines Duarte"),),
        delivery_lead_name="Priya Raman",
    )
    plan = generate_plan(data)
    linked = [item for item in plan.items if item.resistance_point_id == "p"]
    assert linked
    assert {item.owner for item in linked} == {"Ines Duarte"}


def test_sponsor_is_the_most_influential_won_over_executive_sponsor_then_buyer():
    sponsors = (
        person(
            "weak",
            name="Weak sponsor",
            role="executive_sponsor",
            influence=3,
            engagement="supportive",
        ),
        person(
            "strong",
            name="Strong sponsor",
            role="executive_sponsor",
            influence=5,
            engagement="leading",
        ),
        person("doubter", name="Doubting sponsor", role="executive_sponsor", influence=5),
        person("buyer", name="Buyer", role="economic_buyer", influence=5, engagement="supportive"),
    )
    plan = generate_plan(engagement(group("users"), *sponsors))
    assert _owners(plan, "baseline.sponsor_announcement") == {"Strong sponsor"}

    buyer_only = generate_plan(engagement(group("users"), sponsors[2], sponsors[3]))
    assert _owners(buyer_only, "baseline.sponsor_announcement") == {"Buyer"}


def test_owner_ties_go_to_the_first_in_landscape_order():
    first = person("zz", name="First admin", role="product_admin")
    second = person("aa", name="Second admin", role="product_admin")
    data = engagement(group("users"), first, second, adoption_mode="mandatory")
    assert _owners(generate_plan(data), "mandatory.downtime_procedure") == {"First admin"}
    swapped = engagement(group("users"), second, first, adoption_mode="mandatory")
    assert _owners(generate_plan(swapped), "mandatory.downtime_procedure") == {"Second admin"}


def test_manager_and_champion_of_the_items_group_come_first():
    data = engagement(
        group("nurses", headcount=300, engagement="supportive"),
        group("porters", headcount=60, engagement="supportive"),
        person(
            "m1", name="Porters' manager", role="people_manager", group_id="porters", influence=5
        ),
        person("m2", name="Nurses' manager", role="people_manager", group_id="nurses", influence=2),
        person("c1", name="Porter champion", is_champion=True, group_id="porters"),
        person("c2", name="Nurse champion", is_champion=True, group_id="nurses"),
    )
    plan = generate_plan(data)
    recruitment = {
        item.audience_ids: item.owner for item in items_of(plan, "baseline.champion_recruitment")
    }
    assert recruitment == {("nurses",): "Nurses' manager", ("porters",): "Porters' manager"}


def test_owner_stays_empty_only_when_nobody_is_eligible():
    plan = generate_plan(engagement(group("users")))
    assert _owners(plan, "baseline.sponsor_announcement") == {""}
    assert _owners(plan, "handoff.readiness_review") == {""}


# --- 2. formats that fit the audience -------------------------------------------


def test_one_to_one_only_with_a_single_person():
    data = engagement(group("leads", role="people_manager"), person("boss", role="people_manager"))
    plan = generate_plan(data, _only("role.manager_coaching"))
    formats = {item.audience_ids: item.format for item in plan.items if item.week == -4}
    assert formats == {("boss",): "one_to_one", ("leads",): "group_session"}
    for item in plan.items:
        if item.format == "one_to_one":
            assert len(item.audience_ids) == 1


def test_resistance_items_go_to_resistors_and_concerns_are_coached():
    data = engagement(
        group("nurses", engagement="supportive"),
        group("porters", engagement="resistant"),
        points=(
            point("n", "nurses", "loss_of_authority"),
            point("p", "porters", "loss_of_authority"),
        ),
    )
    plan = generate_plan(data)
    resistance = [item for item in plan.items if item.kind == "resistance"]
    assert resistance
    assert all(item.audience_ids == ("porters",) for item in resistance)
    concern = [item for item in plan.items if item.resistance_point_id == "n"]
    assert [item.origin for item in concern] == ["generated:concern.coach"]
    assert concern[0].kind == "coaching"
    assert "a concern: they are not a resistor" in concern[0].reason


def test_a_custom_resistance_rule_never_addresses_a_supporter():
    sponsor_call = next(
        rule for rule in BUILTIN_RULES if rule.key == "quadrant.influential_resistor_sponsor_call"
    )
    loose = dataclasses.replace(sponsor_call, resistors_only=False)
    data = engagement(
        person("fan", influence=5, interest=5, engagement="supportive", opposed_purchase=True),
        person("foe", influence=5, interest=5, engagement="resistant"),
    )
    plan = generate_plan(data, [loose])
    assert [item.audience_ids for item in plan.items if item.kind == "resistance"] == [("foe",)]


# --- 3. kickoff to renewal ------------------------------------------------------


def _kickoff_landscape(**fields):
    return engagement(
        group("pickers", headcount=420, engagement="neutral"),
        group("office", headcount=12),
        person("sponsor", role="executive_sponsor", engagement="supportive"),
        person("planner", engagement="resistant"),
        kickoff_date=week_date(-16),
        **fields,
    )


def test_mobilise_holds_roadmap_champion_recruitment_and_resistors_in_design():
    plan = generate_plan(_kickoff_landscape())
    mobilise = [item for item in plan.items if plan_phase(item.week) == "mobilise"]
    origins = {(item.origin, item.audience_ids) for item in mobilise}
    assert ("generated:baseline.sponsor_roadmap", ("sponsor",)) in origins
    assert ("generated:baseline.champion_recruitment", ("pickers",)) in origins
    assert ("generated:baseline.champion_recruitment", ("office",)) not in origins
    assert ("generated:baseline.resistor_design_involvement", ("planner",)) in origins


@pytest.mark.parametrize(
    "rule_key",
    [
        "baseline.sponsor_roadmap",
        "baseline.champion_recruitment",
        "baseline.resistor_design_involvement",
    ],
)
def test_switching_a_mobilise_rule_off_removes_its_step(rule_key):
    assert items_of(generate_plan(_kickoff_landscape(), _without(rule_key)), rule_key) == []


def test_champion_recruitment_counts_people_not_rows():
    # A group without a headcount counts as 10 people: no recruitment drive.
    plan = generate_plan(engagement(group("users"), kickoff_date=week_date(-16)))
    assert items_of(plan, "baseline.champion_recruitment") == []


def test_adoption_reviews_every_four_weeks_from_sixteen_until_the_value_review():
    data = engagement(
        group("users"), person("cfo", role="economic_buyer"), renewal_date=week_date(52, 2)
    )
    plan = generate_plan(data)
    assert plan.last_week == 52
    # One recurring item stands for the seven reviews (guarantee 8).
    [cycle] = items_of(plan, "baseline.adoption_review_cycle")
    assert cycle.week == 16
    assert cycle.title == "Four-weekly adoption review (every 4 weeks to week 40)"
    assert "every 4 weeks from week 16 to week 40, 7 times" in cycle.description
    assert weeks_of(plan, "role.value_review", "cfo") == [42]
    assert items_of(generate_plan(data, _without("role.value_review")), "role.value_review") == []


def test_value_review_is_never_before_week_four_and_needs_a_renewal():
    early = engagement(person("cfo", role="economic_buyer"), renewal_date=week_date(9))
    assert weeks_of(generate_plan(early), "role.value_review") == [4]
    without_renewal = engagement(person("cfo", role="economic_buyer"))
    assert weeks_of(generate_plan(without_renewal), "role.value_review") == []
    assert weeks_of(generate_plan(without_renewal), "baseline.adoption_review_cycle") == []


# --- 4. handoff before go-live --------------------------------------------------


def test_cs_accepts_by_week_minus_two_go_no_go_in_week_minus_one():
    plan = generate_plan(engagement(group("users"), cs_owner_name="Sam Okafor"))
    [review] = items_of(plan, "handoff.readiness_review")
    assert (review.week, review.kind, review.owner) == (-2, "handoff", "Sam Okafor")
    assert weeks_of(plan, "handoff.go_no_go") == [-1]


def test_hypercare_exit_is_a_week_four_review_with_criteria():
    plan = generate_plan(engagement(group("users")))
    [exit_review] = items_of(plan, "handoff.hypercare_exit_review")
    assert (exit_review.week, exit_review.format) == (4, "review")
    for criterion in (
        "two weeks running",
        "no open critical finding",
        "support requests falling",
    ):
        assert criterion in exit_review.description


@pytest.mark.parametrize(
    "rule_key",
    ["handoff.readiness_review", "handoff.go_no_go", "handoff.hypercare_exit_review"],
)
def test_switching_a_handoff_rule_off_removes_its_step(rule_key):
    plan = generate_plan(engagement(group("users")), _without(rule_key))
    assert items_of(plan, rule_key) == []


# --- 5. what people said gets an answer -----------------------------------------


def test_each_theme_gets_an_item_quoting_their_own_words():
    data = engagement(
        group(
            "pickers",
            name="Pickers",
            resistance_triggers="Fear that pick rates will be used against them.",
        ),
        group("nurses", name="Nurses", success_definition="Enough workstations on wheels."),
        group("agency", name="Agency staff", resistance_triggers="A third are new starters."),
    )
    plan = generate_plan(data)
    [rules_item] = items_of(plan, "theme.data_use.publish_rules")
    assert rules_item.audience_ids == ("pickers",)
    assert rules_item.reason == (
        "Pickers said “Fear that pick rates will be used against them” "
        "(data use: pick rates, used against)."
    )
    assert weeks_of(plan, "theme.hardware.device_check") == [-3]
    assert weeks_of(plan, "theme.staff_turnover.new_joiner_onboarding", "agency") == [1, 5, 9]


HANDS_ON_THEMES = {
    "extra clicks": "theme.workload.remove_extra_steps",
    "too few scanners": "theme.hardware.device_check",
    "many new starters": "theme.staff_turnover.new_joiner_onboarding",
    "night shifts": "theme.out_of_hours.shift_cover",
    "too many pop-ups": "theme.alerts.tune_notifications",
}


@pytest.mark.parametrize("words", sorted(HANDS_ON_THEMES))
@pytest.mark.parametrize(
    ("role", "at_the_work"),
    [
        ("daily_user", True),
        ("people_manager", True),
        ("product_admin", True),
        ("it_security", True),
        ("downstream", True),
        ("economic_buyer", False),
        ("executive_sponsor", False),
    ],
)
def test_hands_on_theme_steps_go_to_the_people_at_the_work_executives_decide(
    words, role, at_the_work
):
    worker_rule = HANDS_ON_THEMES[words]
    if words == "night shifts" and role in ("product_admin", "it_security"):
        # The people who run the system mean the on-call load, not support on their shift.
        worker_rule = "theme.out_of_hours.on_call_model"
    decision_rule = f"theme.{worker_rule.split('.')[1]}.sponsor_decision"
    plan = generate_plan(engagement(person("them", role=role, success_definition=words)))
    assert {item.audience_ids for item in items_of(plan, worker_rule)} == (
        {("them",)} if at_the_work else set()
    )
    decisions = items_of(plan, decision_rule)
    assert [item.audience_ids for item in decisions] == ([] if at_the_work else [("them",)])
    for item in decisions:
        assert (item.workstream, item.week < 0) == ("sponsorship", True)
        assert words in item.reason


@pytest.mark.parametrize(
    ("kind", "rule", "title"),
    [
        ("group", "theme.out_of_hours.shift_support", "Support on every shift for Night pickers"),
        ("person", "theme.out_of_hours.shift_cover", "Cover the shifts Night pickers raised"),
    ],
)
def test_out_of_hours_is_covered_shift_by_shift_for_a_group_and_asked_of_a_person(
    kind, rule, title
):
    them = (group if kind == "group" else person)(
        "them", name="Night pickers", role="daily_user", resistance_triggers="Night shifts."
    )
    plan = generate_plan(engagement(them))
    rules = {item.origin.removeprefix("generated:") for item in plan.items}
    other = {"theme.out_of_hours.shift_support", "theme.out_of_hours.shift_cover"} - {rule}
    assert rule in rules and not other & rules
    assert {item.title for item in items_of(plan, rule)} == {title}


@pytest.mark.parametrize("kind", ["group", "person"])
def test_the_people_who_run_the_system_agree_the_on_call_model_for_nights(kind):
    them = (group if kind == "group" else person)(
        "epr",
        name="EPR application team",
        role="product_admin",
        resistance_triggers="On-call rota for 24/7 support with no extra headcount.",
    )
    plan = generate_plan(engagement(them))
    rules = {item.origin.removeprefix("generated:") for item in plan.items}
    assert "theme.out_of_hours.on_call_model" in rules
    assert not {"theme.out_of_hours.shift_support", "theme.out_of_hours.shift_cover"} & rules
    # "No extra headcount" is the load, not a fear for jobs.
    assert not any(rule.startswith("theme.job_security.") for rule in rules)


def test_every_theme_found_is_answered_by_its_rules():
    from changeready.core.themes import themes_of

    data = example_engagement_data()
    plan = generate_plan(data)
    for stakeholder in data.stakeholders:
        for match in themes_of(stakeholder, data.resistance_points):
            assert any(
                item.origin.startswith(f"generated:theme.{match.code}.")
                and stakeholder.id in item.audience_ids
                for item in plan.items
            ), (stakeholder.id, match.code)


def test_switching_a_theme_rule_off_leaves_the_theme_unanswered():
    data = engagement(group("pickers", resistance_triggers="Fear of being monitored."))
    plan = generate_plan(data, _without("theme.data_use.publish_rules"))
    assert not [item for item in plan.items if item.origin.startswith("generated:theme.data_use")]


# --- 6. blackouts ---------------------------------------------------------------


def test_training_in_a_blackout_moves_to_the_nearest_earlier_free_week():
    christmas = BlackoutPeriod(start=week_date(-2, 3), end=week_date(-2, 6), label="Holidays")
    plan = generate_plan(engagement(group("users"), blackout_periods=(christmas,)))
    [training] = items_of(plan, "baseline.role_based_training")
    assert training.week == -3
    assert "Moved from week -2, which falls in Holidays, to week -3." in training.reason
    assert not [
        item
        for item in plan.items
        if item.week == -2 and (item.kind in ("communication", "training"))
    ]


def test_a_blackout_on_a_weekend_only_blocks_nothing():
    weekend = BlackoutPeriod(start=week_date(-2, 5), end=week_date(-2, 6), label="Stocktake")
    plan = generate_plan(engagement(group("users"), blackout_periods=(weekend,)))
    assert weeks_of(plan, "baseline.role_based_training") == [-2]


def test_blackout_moves_later_only_where_earlier_is_impossible():
    blocked = BlackoutPeriod(start=week_date(-8), end=week_date(-6, 4), label="Peak")
    plan = generate_plan(engagement(group("users"), blackout_periods=(blocked,)))
    assert weeks_of(plan, "baseline.sponsor_announcement") == [-5]


# --- 7. mandatory systems -------------------------------------------------------


def test_mandatory_adoption_adds_elbow_support_fallback_and_switch_off():
    data = engagement(
        group("nurses", headcount=300),
        group("managers", role="people_manager"),
        adoption_mode="mandatory",
    )
    plan = generate_plan(data)
    assert weeks_of(plan, "mandatory.at_the_elbow_support", "nurses") == [0, 1, 2]
    assert weeks_of(plan, "mandatory.at_the_elbow_support", "managers") == []
    assert weeks_of(plan, "mandatory.downtime_procedure") == [-3]
    [switch_off] = items_of(plan, "mandatory.switch_off_old_way")
    assert switch_off.title == "Switch the old way off on 19 April 2027"
    ramp = [(t.week, t.target_pct) for t in plan.targets if t.stakeholder_id == "nurses"]
    assert ramp[:3] == [(1, 47.5), (2, 95.0), (3, 95.0)]


def test_voluntary_adoption_has_none_of_the_mandatory_steps():
    plan = generate_plan(engagement(group("nurses")))
    assert not [item for item in plan.items if item.origin.startswith("generated:mandatory.")]


@pytest.mark.parametrize(
    "rule_key",
    [
        "mandatory.at_the_elbow_support",
        "mandatory.downtime_procedure",
        "mandatory.switch_off_old_way",
    ],
)
def test_switching_a_mandatory_rule_off_removes_its_step(rule_key):
    data = engagement(group("nurses"), adoption_mode="mandatory")
    assert items_of(generate_plan(data, _without(rule_key)), rule_key) == []


# --- 8. sized for people to run -------------------------------------------------


def test_a_cadence_after_reinforce_is_one_recurring_item():
    # New joiners arrive all year: a session a month until the value review in
    # week 82 would be 21 items; through week 12 each one is a step, then one
    # recurring item stands for the other 18.
    data = engagement(
        group("agency", name="Agency staff", resistance_triggers="A third are new starters."),
        renewal_date=week_date(92),
    )
    plan = generate_plan(data)
    onboarding = items_of(plan, "theme.staff_turnover.new_joiner_onboarding")
    assert [item.week for item in onboarding] == [1, 5, 9, 13]
    recurring = onboarding[-1]
    assert recurring.title == "Onboard the new joiners of Agency staff (every 4 weeks to week 81)"
    assert "from week 13 to week 81, 18 times" in recurring.description
    assert [item.title.endswith(")") for item in onboarding] == [False, False, False, True]
    # Its identity is its first week, so regenerating finds it again.
    assert recurring.generation_key.startswith("theme.staff_turnover.new_joiner_onboarding|13|")


def test_a_single_occurrence_after_reinforce_is_a_plain_item():
    rule = Rule(
        key="baseline.quarterly_check",
        family="baseline",
        title="Quarterly check",
        kind="measurement",
        owner_role="customer_success",
        weeks=(4,),
        repeat_every=12,
        audience="team",
    )
    # The value review in week 20 ends the cadence: one occurrence after week 12.
    plan = generate_plan(engagement(group("users"), renewal_date=week_date(30)), [rule])
    assert [(item.week, item.title) for item in items_of(plan, rule.key)] == [
        (4, "Quarterly check"),
        (16, "Quarterly check"),
    ]


def test_at_most_one_one_to_one_per_person_every_two_weeks():
    data = engagement(
        person("boss", role="people_manager", influence=5, interest=5, engagement="neutral")
    )
    plan = generate_plan(data)
    meetings = sorted(item.week for item in plan.items if item.format == "one_to_one")
    assert all(later - earlier >= 2 for earlier, later in pairwise(meetings))
    folded = [item for item in plan.items if "Raise it in the one-to-one of week" in item.reason]
    assert folded
    assert all(item.format == "task" for item in folded)


def test_at_most_three_executive_items_after_go_live_before_sustain():
    reports = Rule(
        key="custom.buyer_reports",
        family="role",
        title="Monthly report to {name}",
        kind="communication",
        owner_role="customer_success",
        weeks=(2, 5, 9, 13, 17),
        roles=("economic_buyer",),
    )
    data = engagement(
        group("users"),
        person("cfo", role="economic_buyer", influence=5, interest=5, engagement="supportive"),
        renewal_date=week_date(30),
    )
    plan = generate_plan(data, [*BUILTIN_RULES, reports])
    theirs = [item for item in plan.items if 1 <= item.week <= 12 and "cfo" in item.audience_ids]
    assert [item.origin for item in theirs] == [
        "generated:quadrant.manage_closely_checkpoint",
        "generated:role.economic_buyer_value_checkin",
        "generated:baseline.outcome_review",
    ]
    # The sustain phase is not limited.
    assert weeks_of(plan, "custom.buyer_reports") == [13, 17]


def test_a_crowded_week_merges_same_rule_items_and_holds_twelve():
    managers = [person(f"m{n:02d}", role="people_manager") for n in range(30)]
    plan = generate_plan(engagement(group("users"), *managers))
    weeks = {}
    for item in plan.items:
        weeks[item.week] = weeks.get(item.week, 0) + 1
    assert max(weeks.values()) <= 12
    coaching = [item for item in items_of(plan, "role.manager_coaching") if item.week == -4]
    assert len(coaching) == 1
    assert len(coaching[0].audience_ids) == 30
    assert coaching[0].format == "group_session"


def test_resistance_coverage_takes_priority_over_the_weekly_limit():
    groups = [group(f"g{n:02d}", engagement="resistant") for n in range(15)]
    points = tuple(point(f"p{n:02d}", f"g{n:02d}", "habit", due_week=-6) for n in range(15))
    plan = generate_plan(engagement(*groups, points=points), _only())
    due = [item for item in plan.items if item.week == -6]
    assert len(due) == 15
    assert {item.resistance_point_id for item in due} == {f"p{n:02d}" for n in range(15)}


def test_a_generated_item_repeating_a_hand_made_one_is_not_added():
    hand_made = PlanItem(
        id="h1",
        week=-2,
        title="Our own training",
        kind="training",
        owner_role="delivery",
        audience_ids=("users",),
    )
    data = engagement(group("users"), plan_items=(hand_made,))
    assert items_of(generate_plan(data), "baseline.role_based_training") == []
    assert weeks_of(generate_plan(engagement(group("users"))), "baseline.role_based_training") == [
        -2
    ]


# --- 10. every unresolved point, every group and resistor -----------------------


def test_open_point_without_a_rule_gets_a_safety_net_item_at_its_due_week():
    data = engagement(
        group("leads", name="Shift leads", engagement="resistant"),
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
    assert (item.kind, item.owner) == ("resistance", "Priya")
    assert item.title == "Start the mitigation for Shift leads"
    assert item.reason.endswith("No rule acts on it by week -2.")


def test_a_supporters_point_gets_a_coaching_safety_net():
    data = engagement(
        group("nurses", engagement="supportive"), points=(point("p", "nurses", "habit"),)
    )
    [item] = items_of(generate_plan(data, _only()), RESISTANCE_SAFETY_NET_KEY)
    assert (item.kind, item.week) == ("coaching", -1)


def test_a_late_point_goes_to_the_first_usable_week_saying_so():
    data = engagement(
        group("g", engagement="resistant"), points=(point("p", "g", "habit", due_week=-6),)
    )
    plan = generate_plan(data, _only(), as_of=week_date(-3, 2))
    [item] = items_of(plan, RESISTANCE_SAFETY_NET_KEY)
    assert item.week == -3
    assert "Late: due in week -6" in item.reason


def test_nothing_is_placed_in_a_week_already_over():
    plan = generate_plan(engagement(group("users")), as_of=week_date(-1, 3))
    assert min(item.week for item in plan.items) == -1
    [training] = items_of(plan, "baseline.role_based_training")
    assert training.week == -1
    assert "Late: planned for week -2, which is over" in training.reason


@pytest.mark.parametrize("status", ["resolved", "accepted"])
def test_closed_points_get_no_linked_item(status):
    data = engagement(group("g"), points=(point("p", "g", "loss_of_authority", status=status),))
    assert [item for item in generate_plan(data).items if item.resistance_point_id] == []


def test_every_group_is_reached_after_go_live():
    plan = generate_plan(engagement(group("pickers", name="Pickers"), group("finance")), _only())
    visits = items_of(plan, GROUP_REACH_SAFETY_NET_KEY)
    assert [(item.week, item.audience_ids) for item in visits] == [
        (1, ("finance",)),
        (1, ("pickers",)),
    ]
    assert visits[1].title == "Week-one visit to Pickers"


def test_a_medium_or_high_risk_resistor_is_reached_after_go_live():
    data = engagement(
        person(
            "foe",
            name="Tom",
            engagement="resistant",
            influence=5,
            impact=5,
            opposed_purchase=True,
            authority_decreases=True,
        ),
        person("calm", engagement="supportive"),
    )
    plan = generate_plan(data, _only())
    [item] = items_of(plan, RESISTOR_REACH_SAFETY_NET_KEY)
    assert (item.week, item.audience_ids, item.format) == (1, ("foe",), "one_to_one")


def test_a_person_in_a_reached_group_is_reached():
    data = engagement(
        group("leads"),
        person(
            "foe",
            engagement="resistant",
            influence=5,
            impact=5,
            group_id="leads",
            opposed_purchase=True,
            authority_decreases=True,
        ),
    )
    plan = generate_plan(data, _only())
    assert items_of(plan, RESISTOR_REACH_SAFETY_NET_KEY) == []
    assert weeks_of(plan, GROUP_REACH_SAFETY_NET_KEY) == [1]


# --- identity, determinism, targets ---------------------------------------------


def test_generation_keys_are_unique_and_stable():
    data = example_engagement_data()
    first = generate_plan(data)
    keys = [item.generation_key for item in first.items]
    assert len(keys) == len(set(keys))
    assert "resistance.loss_of_authority_involve|-4|1:shift-leads|r1" in keys
    assert first == generate_plan(data)


def test_large_audience_key_is_a_bounded_digest():
    ids = [f"stakeholder-{number:04d}" for number in range(500)]
    key = generation_key("baseline.go_live_notice", 0, ids, None)
    assert key.startswith("baseline.go_live_notice|0|500:")
    assert len(key) < 80
    assert key == generation_key("baseline.go_live_notice", 0, list(reversed(ids)), None)


def test_plan_does_not_depend_on_the_order_of_points_and_of_stakeholders_with_owners_unique():
    data = example_engagement_data()
    shuffled_points = list(data.resistance_points)
    random.Random(7).shuffle(shuffled_points)
    shuffled = dataclasses.replace(
        data,
        stakeholders=tuple(reversed(data.stakeholders)),
        resistance_points=tuple(reversed(shuffled_points)),
    )
    assert generate_plan(shuffled) == generate_plan(data)


def test_items_are_ordered_by_week_then_library_order():
    plan = generate_plan(example_engagement_data())
    weeks = [item.week for item in plan.items]
    assert weeks == sorted(weeks)
    week_zero = [item.origin for item in plan.items if item.week == 0]
    assert week_zero[:2] == ["generated:baseline.go_live_notice", "generated:baseline.daily_triage"]


def test_bad_landscape_is_refused():
    with pytest.raises(ValueError, match="unknown stakeholder 'ghost'"):
        generate_plan(engagement(group("g"), points=(point("p", "ghost", "habit"),)))
    with pytest.raises(ValueError, match="'g' appears twice"):
        generate_plan(engagement(group("g"), group("g")))


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"adoption_target_pct": 0}, "target_pct"),
        ({"adoption_target_pct": 120}, "target_pct"),
        ({"adoption_target_week": 0}, "target_week"),
        ({"compliance_target_pct": 101}, "target_pct"),
    ],
)
def test_bad_targets_are_refused(options, message):
    with pytest.raises(ValueError, match=message):
        generate_plan(engagement(), **options)


def test_voluntary_targets_ramp_for_daily_user_groups_only():
    plan = generate_plan(
        engagement(
            group("users"),
            group("leads", role="people_manager"),
            person("power-user", role="daily_user"),
        ),
        adoption_target_pct=60.0,
        adoption_target_week=3,
    )
    assert {t.stakeholder_id for t in plan.targets} == {"users"}
    assert [t.target_pct for t in plan.targets][:4] == [30.0, 45.0, 60.0, 60.0]


def test_targets_run_to_the_renewal():
    plan = generate_plan(engagement(group("users"), renewal_date=date(2028, 4, 3)))
    assert plan.targets[-1].week == plan.last_week == 52


def test_ramp_reaches_the_team_target_in_the_target_week_then_holds():
    assert adoption_ramp(90.0, 4, 6) == (
        (1, 45.0),
        (2, 60.0),
        (3, 75.0),
        (4, 90.0),
        (5, 90.0),
        (6, 90.0),
    )


def test_example_gives_every_resistor_and_theme_an_owned_answer():
    plan = generate_plan(example_engagement_data())
    assert all(item.owner for item in plan.items if item.owner_role == "delivery")
    assert {item.resistance_point_id for item in plan.items} >= {"r1", "r2", "r3"}


def test_handoff_milestones_hold_their_weeks_in_a_blackout_and_a_crowded_week():
    # Kickoff in week -2, which a blackout covers, and enough groups to fill
    # weeks -1 and 0 with 12 steps each: CS still accepts in week -2 and the
    # go/no-go still happens in week -1 (guarantee 4).
    closed = BlackoutPeriod(start=week_date(-2), end=week_date(-2, 2), label="Closed")
    groups = [group(f"team{n}", headcount=60) for n in range(8)]
    data = engagement(*groups, kickoff_date=week_date(-2, 2), blackout_periods=(closed,))
    plan = generate_plan(data)
    assert plan.first_week == -2
    assert weeks_of(plan, "handoff.readiness_review") == [-2]
    assert weeks_of(plan, "handoff.go_no_go") == [-1]
    assert weeks_of(plan, "handoff.hypercare_exit_review") == [4]


def test_a_blackout_never_pushes_a_resistance_step_past_its_due_week():
    # Week -8 opens the plan and a blackout covers it: there is no earlier free
    # week, and later would miss the due week, so the step stays and says why.
    closed = BlackoutPeriod(start=week_date(-8), end=week_date(-8, 4), label="Stocktake")
    data = engagement(
        group("pickers", engagement="resistant"),
        points=(point("p1", "pickers", "habit", severity=4, due_week=-8),),
        blackout_periods=(closed,),
    )
    plan = generate_plan(data)
    assert plan.first_week == -8
    linked = [item for item in plan.items if item.resistance_point_id == "p1"]
    assert min(item.week for item in linked) == -8
