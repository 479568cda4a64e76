"""Each rule family fires on the input it is written for, and only on that."""

from __future__ import annotations

import dataclasses
import json

import pytest

from changeready.core.model import ADKAR_ELEMENTS, RESISTANCE_SOURCES, Adkar
from changeready.core.planning import generate_plan
from changeready.core.rules import (
    BUILTIN_RULES,
    MAX_TITLE_LENGTH,
    Rule,
    rules_from_dicts,
)
from changeready.core.tests.plan_fixtures import (
    engagement,
    group,
    items_of,
    person,
    point,
    week_date,
    weeks_of,
)

RULES_BY_KEY = {rule.key: rule for rule in BUILTIN_RULES}

# --- families fire on the right input and not on the wrong one -----------------

BUYER = person("buyer", role="economic_buyer", influence=5, interest=4)


@pytest.mark.parametrize(
    ("rule_key", "data", "fires"),
    [
        # resistance: per open point of the rule's source
        (
            "resistance.loss_of_authority_involve",
            engagement(group("leads"), points=(point("p", "leads", "loss_of_authority"),)),
            True,
        ),
        (
            "resistance.loss_of_authority_involve",
            engagement(
                group("leads"),
                points=(point("p", "leads", "loss_of_authority", status="in_progress"),),
            ),
            True,
        ),
        (
            "resistance.loss_of_authority_involve",
            engagement(
                group("leads"),
                points=(point("p", "leads", "loss_of_authority", status="resolved"),),
            ),
            False,
        ),
        (
            "resistance.loss_of_authority_involve",
            engagement(
                group("leads"),
                points=(point("p", "leads", "loss_of_authority", status="accepted"),),
            ),
            False,
        ),
        (
            "resistance.loss_of_authority_involve",
            engagement(group("leads"), points=(point("p", "leads", "workload_increase"),)),
            False,
        ),
        # role
        ("role.economic_buyer_value_checkin", engagement(BUYER), True),
        (
            "role.economic_buyer_value_checkin",
            engagement(person("sponsor", role="executive_sponsor")),
            False,
        ),
        ("role.economic_buyer_value_checkin", engagement(group("users")), False),
        ("baseline.sponsor_roadmap", engagement(person("s", role="executive_sponsor")), True),
        ("baseline.sponsor_roadmap", engagement(group("users")), False),
        ("role.manager_coaching", engagement(group("leads", role="people_manager")), True),
        ("role.manager_coaching", engagement(group("users", role="daily_user")), False),
        ("role.admin_enablement", engagement(person("a", role="product_admin")), True),
        ("role.admin_enablement", engagement(person("m", role="people_manager")), False),
        ("role.security_signoff", engagement(person("sec", role="it_security")), True),
        ("role.security_signoff", engagement(person("a", role="product_admin")), False),
        ("role.downstream_handoffs", engagement(group("finance", role="downstream")), True),
        ("role.downstream_handoffs", engagement(group("users")), False),
        # quadrant
        ("quadrant.manage_closely_checkpoint", engagement(person("p", influence=4)), True),
        ("quadrant.manage_closely_checkpoint", engagement(group("g", influence=4)), False),
        ("quadrant.manage_closely_listening", engagement(group("g", influence=4)), True),
        (
            "quadrant.manage_closely_checkpoint",
            engagement(group("g", influence=2, interest=4)),
            False,
        ),
        ("quadrant.keep_informed_update", engagement(group("g", influence=2, interest=4)), True),
        ("quadrant.keep_informed_update", engagement(group("g", influence=4, interest=4)), False),
        ("quadrant.keep_satisfied_update", engagement(group("g", influence=4, interest=1)), True),
        ("quadrant.keep_satisfied_update", engagement(group("g", influence=1, interest=1)), False),
        (
            "quadrant.influential_resistor_sponsor_call",
            engagement(person("p", influence=4, engagement="resistant")),
            True,
        ),
        (
            "quadrant.influential_resistor_sponsor_call",
            engagement(person("p", influence=4)),
            False,
        ),
        (
            "quadrant.influential_resistor_sponsor_call",
            engagement(person("p", influence=2, engagement="resistant")),
            False,
        ),
        # barrier
        ("barrier.awareness_repeat_why", engagement(group("g", adkar=Adkar(awareness=2))), True),
        (
            "barrier.awareness_repeat_why",
            engagement(group("g", adkar=Adkar(awareness=4, desire=2))),
            False,
        ),
        ("barrier.awareness_repeat_why", engagement(group("g")), False),
        ("barrier.desire_wiifm", engagement(group("g", adkar=Adkar(awareness=4, desire=2))), True),
        ("barrier.desire_wiifm", engagement(group("g", adkar=Adkar(awareness=2, desire=2))), False),
        ("barrier.knowledge_retraining", engagement(group("g", adkar=Adkar(knowledge=3))), True),
        ("barrier.knowledge_retraining", engagement(group("g", adkar=Adkar(knowledge=4))), False),
        ("barrier.ability_coaching", engagement(group("g", adkar=Adkar(ability=1))), True),
        ("barrier.ability_coaching", engagement(group("g", adkar=Adkar(desire=1))), False),
        (
            "barrier.reinforcement_recognition",
            engagement(group("g", adkar=Adkar(reinforcement=2))),
            True,
        ),
        (
            "barrier.reinforcement_recognition",
            engagement(group("g", adkar=Adkar(ability=2, reinforcement=2))),
            False,
        ),
        # baseline: unconditional ones always, role-selected ones when the role is there
        ("baseline.sponsor_announcement", engagement(group("users")), True),
        ("baseline.sponsor_announcement", engagement(BUYER), False),
        ("baseline.go_live_notice", engagement(group("users")), True),
        ("baseline.manager_briefing_kit", engagement(group("leads", role="people_manager")), True),
        ("baseline.manager_briefing_kit", engagement(group("users")), False),
        ("baseline.pulse_survey", engagement(group("finance", role="downstream")), True),
        ("baseline.pulse_survey", engagement(BUYER), False),
    ],
)
def test_rule_fires_only_on_its_input(rule_key, data, fires):
    plan = generate_plan(data)
    assert bool(items_of(plan, rule_key)) is fires


def test_loss_of_authority_acts_at_minus_four_and_week_two_linked_to_the_point():
    data = engagement(
        group("leads", name="Shift leads"),
        points=(point("p1", "leads", "loss_of_authority", description="Work allocation moves."),),
    )
    plan = generate_plan(data)

    involve = items_of(plan, "resistance.loss_of_authority_involve")
    sponsor = items_of(plan, "resistance.loss_of_authority_sponsor")
    assert [(item.week, item.resistance_point_id) for item in involve] == [(-4, "p1")]
    assert [(item.week, item.resistance_point_id) for item in sponsor] == [(2, "p1")]
    assert involve[0].audience_ids == ("leads",)
    assert involve[0].title == "Involve Shift leads in configuration decisions"
    assert involve[0].reason.startswith("Shift leads: loss of authority at go-live")
    assert "Work allocation moves" in involve[0].reason


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            "workload_increase",
            {
                "resistance.workload_retire_old_steps": [-2],
                "resistance.workload_friction_fixes": [1, 2, 3],
            },
        ),
        ("job_security", {"resistance.job_security_statement": [-3]}),
    ],
)
def test_named_resistance_sources_act_in_the_playbook_weeks(source, expected):
    plan = generate_plan(engagement(group("g"), points=(point("p", "g", source),)))
    for rule_key, weeks in expected.items():
        assert weeks_of(plan, rule_key) == weeks


@pytest.mark.parametrize("source", RESISTANCE_SOURCES)
def test_every_resistance_source_has_its_own_rule(source):
    plan = generate_plan(engagement(group("g"), points=(point("p", "g", source, due_week=12),)))

    linked_rules = {item.origin for item in plan.items if item.resistance_point_id == "p"}
    expected = {
        f"generated:{rule.key}" for rule in BUILTIN_RULES if rule.resistance_sources == (source,)
    }
    assert expected
    assert linked_rules == expected


def test_economic_buyer_gets_value_checkins_before_go_live_and_in_week_six():
    plan = generate_plan(engagement(BUYER, group("users")))
    assert weeks_of(plan, "role.economic_buyer_value_checkin", "buyer") == [-1, 6]
    assert all(
        item.audience_ids == ("buyer",)
        for item in items_of(plan, "role.economic_buyer_value_checkin")
    )


def test_awareness_barrier_repeats_the_why_weekly_from_minus_three_to_two():
    plan = generate_plan(
        engagement(
            group("pickers", adkar=Adkar(awareness=2)),
            group("packers", adkar=Adkar(awareness=3)),
            group("drivers", adkar=Adkar(awareness=5)),
        )
    )
    items = items_of(plan, "barrier.awareness_repeat_why")
    assert [item.week for item in items] == [-3, -2, -1, 0, 1, 2]
    assert {item.audience_ids for item in items} == {("packers", "pickers")}


def test_barrier_rules_are_keyed_by_barrier():
    plan = generate_plan(
        engagement(*(group(element, adkar=Adkar(**{element: 1})) for element in ADKAR_ELEMENTS))
    )
    audiences = {
        rule.key: {audience for item in items_of(plan, rule.key) for audience in item.audience_ids}
        for rule in BUILTIN_RULES
        if rule.family == "barrier"
    }
    assert audiences == {
        "barrier.awareness_repeat_why": {"awareness"},
        "barrier.desire_wiifm": {"desire"},
        "barrier.knowledge_retraining": {"knowledge"},
        "barrier.ability_coaching": {"ability"},
        "barrier.reinforcement_recognition": {"reinforcement"},
    }


def test_every_baseline_step_of_the_domain_reference_is_in_its_week():
    landscape = engagement(
        group("users", headcount=80),
        group("leads", role="people_manager", engagement="resistant"),
        person("sponsor", role="executive_sponsor"),
        kickoff_date=week_date(-12),
        renewal_date=week_date(40),
    )
    plan = generate_plan(landscape)
    assert {
        rule.key: weeks_of(plan, rule.key)
        for rule in BUILTIN_RULES
        if rule.family in ("baseline", "handoff")
    } == {
        "baseline.sponsor_roadmap": [-11],
        "baseline.champion_recruitment": [-10],
        "baseline.resistor_design_involvement": [-9],
        "baseline.sponsor_announcement": [-6],
        "baseline.manager_briefing_kit": [-3],
        "baseline.role_based_training": [-2],
        "baseline.champions_ready": [-1],
        "baseline.office_hours_before_go_live": [-1],
        "baseline.go_live_notice": [0],
        "baseline.daily_triage": [0],
        "handoff.readiness_review": [-2],
        "handoff.go_no_go": [-1],
        "handoff.hypercare_exit_review": [4],
        "baseline.daily_office_hours": [1],
        "baseline.weekly_adoption_review": [1, 2, 3],
        "baseline.pulse_survey": [2],
        "baseline.first_win_message": [3],
        "baseline.depth_review": [8],
        "baseline.outcome_review": [12],
        # One recurring item for the reviews of weeks 16 to 28 (guarantee 8).
        "baseline.adoption_review_cycle": [16],
    }


def test_team_steps_fire_even_for_an_empty_landscape():
    plan = generate_plan(engagement())
    team_steps = {
        f"generated:{rule.key}"
        for rule in BUILTIN_RULES
        if rule.audience == "team" and rule.key != "baseline.adoption_review_cycle"
    }
    assert team_steps
    assert {item.origin for item in plan.items} == team_steps
    assert all(item.audience_ids == () for item in plan.items)


def _landscape_where_every_rule_fires():
    said = " ".join(
        (
            "They fear being monitored and losing their jobs; too few scanners;",
            "seasonal staff; night shifts; extra clicks; pop-ups; month-end; dashboards.",
        )
    )
    stakeholders = [
        person(
            "buyer",
            role="economic_buyer",
            influence=5,
            interest=4,
            # An executive raising the hands-on themes gets their decisions.
            success_definition="No extra clicks, enough scanners, new starters trained, "
            "night shifts covered and fewer pop-ups.",
        ),
        person("sponsor", role="executive_sponsor", influence=5, interest=1, opposed_purchase=True),
        group("crowd", headcount=200, resistance_triggers=said, interest=4, influence=4),
        group("fans", engagement="supportive"),
        person(
            "admin",
            role="product_admin",
            influence=2,
            interest=4,
            # The system's admin raising nights agrees the on-call model.
            resistance_triggers="Nobody to call on night shifts.",
        ),
        # A person on the shifts raising them is asked which shifts.
        person(
            "ward-manager",
            role="people_manager",
            influence=2,
            interest=2,
            resistance_triggers="Night shifts left alone.",
        ),
        person("sec", role="it_security", influence=1, interest=1),
        group("finance", role="downstream", influence=1, interest=1),
        group("leads", role="people_manager", influence=4, interest=4),
    ]
    stakeholders += [
        group(f"users-{element}", adkar=Adkar(**{element: 2})) for element in ADKAR_ELEMENTS
    ]
    points = tuple(
        point(f"p-{source}", "leads", source, due_week=12) for source in RESISTANCE_SOURCES
    ) + tuple(point(f"c-{source}", "fans", source, due_week=12) for source in RESISTANCE_SOURCES)
    return engagement(
        *stakeholders,
        points=points,
        kickoff_date=week_date(-12),
        renewal_date=week_date(52),
        adoption_mode="mandatory",
    )


def test_the_rich_landscape_makes_every_builtin_rule_fire():
    plan = generate_plan(_landscape_where_every_rule_fires())
    fired = {item.origin for item in plan.items}
    # Lagging rules need a day and adoption figures behind target: test_plan_lagging.
    expected = {f"generated:{rule.key}" for rule in BUILTIN_RULES if rule.family != "lagging"}
    assert expected <= fired


@pytest.mark.parametrize("rule_key", sorted(RULES_BY_KEY))
def test_disabled_rule_never_fires(rule_key):
    rules = [
        dataclasses.replace(rule, enabled=False) if rule.key == rule_key else rule
        for rule in BUILTIN_RULES
    ]
    plan = generate_plan(_landscape_where_every_rule_fires(), rules)
    assert items_of(plan, rule_key) == []


def test_each_rule_fills_in_the_stakeholder_name():
    plan = generate_plan(engagement(person("buyer", name="Marcus Webb", role="economic_buyer")))
    checkins = items_of(plan, "role.economic_buyer_value_checkin")
    assert checkins[0].title == "Value check-in with Marcus Webb"
    assert "Marcus Webb" in checkins[0].description
    assert checkins[0].reason.startswith("Role rule: Marcus Webb, role economic buyer.")
    assert checkins[-1].format == "one_to_one"


def test_custom_rule_with_conditions_selects_its_audience():
    rule = Rule(
        key="custom.group_managers_lunch",
        family="role",
        title="Managers' lunch",
        description="",
        kind="communication",
        owner_role="sponsor",
        weeks=(-1,),
        audience="engagement",
        roles=("people_manager",),
        kinds=("group",),
    )
    plan = generate_plan(
        engagement(
            group("leads", role="people_manager"),
            person("boss", role="people_manager"),
            group("users"),
        ),
        [rule],
    )
    [item] = items_of(plan, rule.key)
    assert item.audience_ids == ("leads",)
    assert item.reason == "Role rule, for role people manager; kind group: Leads."


# --- rules as data ------------------------------------------------------------


def test_every_builtin_rule_survives_a_json_round_trip():
    stored = json.loads(json.dumps([rule.to_dict() for rule in BUILTIN_RULES]))
    assert rules_from_dicts(stored) == BUILTIN_RULES


def _valid_rule_dict():
    return RULES_BY_KEY["role.economic_buyer_value_checkin"].to_dict()


@pytest.mark.parametrize(
    ("change", "field_name"),
    [
        ({"key": "No Spaces Allowed"}, "key"),
        ({"key": "nodot"}, "key"),
        ({"key": 42}, "key"),
        ({"key": "safety_net.mine"}, "key"),
        ({"family": "vibes"}, "family"),
        ({"kind": "party"}, "kind"),
        ({"owner_role": "intern"}, "owner_role"),
        ({"audience": "all"}, "audience"),
        ({"adkar_target": "happiness"}, "adkar_target"),
        ({"enabled": "yes"}, "enabled"),
        ({"resistors_only": 1}, "resistors_only"),
        ({"title": ""}, "title"),
        ({"title": "x" * 101}, "title"),
        ({"title": "Check-in with {who}"}, "title"),
        ({"title": "Check-in with {name!r}"}, "title"),
        ({"title": "Unbalanced {name"}, "title"),
        ({"description": None}, "description"),
        ({"description": "For {name}", "audience": "engagement", "title": "Plain"}, "description"),
        ({"weeks": []}, "weeks"),
        ({"weeks": "2"}, "weeks"),
        ({"weeks": [1, "2"]}, "weeks"),
        ({"weeks": [True]}, "weeks"),
        ({"weeks": [1.5]}, "weeks"),
        ({"weeks": [300]}, "weeks"),
        ({"anchor": "renewal"}, "anchor"),
        ({"repeat_every": 0}, "repeat_every"),
        ({"min_headcount": "50"}, "min_headcount"),
        ({"workstream": "finance"}, "workstream"),
        ({"format": "webinar"}, "format"),
        ({"themes": ["gossip"]}, "themes"),
        ({"adoption_modes": ["forced"]}, "adoption_modes"),
        ({"family": "theme", "themes": ["hardware"]}, "themes"),
        ({"audience": "team", "title": "T", "description": ""}, "audience"),
        ({"weeks": [2, 2]}, "weeks"),
        ({"roles": ["ceo"]}, "roles"),
        ({"roles": "economic_buyer"}, "roles"),
        ({"roles": ["daily_user", "daily_user"]}, "roles"),
        ({"quadrants": ["top_right"]}, "quadrants"),
        ({"kinds": ["team"]}, "kinds"),
        ({"barriers": ["motivation"]}, "barriers"),
        ({"resistance_sources": ["habit"]}, "resistance_sources"),
        (
            {"family": "resistance", "audience": "engagement", "title": "T", "description": ""},
            "audience",
        ),
        ({"colour": "red"}, "colour"),
    ],
)
def test_from_dict_refuses_bad_data_naming_the_field(change, field_name):
    data = {**_valid_rule_dict(), **change}
    with pytest.raises(ValueError, match=f"'{field_name}'"):
        Rule.from_dict(data)


@pytest.mark.parametrize("missing", ["key", "title", "weeks", "kind", "owner_role"])
def test_from_dict_requires_the_core_fields(missing):
    data = _valid_rule_dict()
    del data[missing]
    with pytest.raises(ValueError, match=f"field '{missing}' is required"):
        Rule.from_dict(data)


def test_from_dict_refuses_what_is_not_an_object():
    with pytest.raises(ValueError, match="must be an object"):
        Rule.from_dict(["not", "a", "rule"])


def test_from_dict_fills_optional_fields_with_defaults():
    rule = Rule.from_dict(
        {
            "key": "custom.thank_you",
            "family": "baseline",
            "title": "Thank-you note",
            "kind": "reinforcement",
            "owner_role": "sponsor",
            "weeks": [6],
        }
    )
    assert rule.enabled is True
    assert rule.description == ""
    assert rule.audience == "each"
    assert rule.roles == ()
    assert rule.weeks == (6,)


def test_a_literal_brace_is_allowed_when_escaped():
    data = {**_valid_rule_dict(), "title": "Check {{value}} with {name}"}
    assert Rule.from_dict(data).title == "Check {{value}} with {name}"


def test_library_errors_name_the_position_and_duplicate_keys():
    good = _valid_rule_dict()
    with pytest.raises(ValueError, match=r"rule #2: .*'kind'"):
        rules_from_dicts([good, {**good, "key": "custom.other", "kind": "party"}])
    with pytest.raises(ValueError, match="used twice"):
        rules_from_dicts([good, good])
    with pytest.raises(ValueError, match="must be a list"):
        rules_from_dicts({"rules": []})


def test_generate_refuses_a_library_with_duplicate_keys():
    rule = RULES_BY_KEY["baseline.go_live_notice"]
    with pytest.raises(ValueError, match="used twice"):
        generate_plan(engagement(), [rule, rule])


def test_a_title_that_would_outgrow_a_plan_item_once_names_are_filled_is_refused():
    data = {**_valid_rule_dict(), "audience": "each", "title": "{name} {name} {name}"}
    with pytest.raises(ValueError, match=r"'title' uses \{name\} 3 times.*300 characters"):
        Rule.from_dict(data)


def test_one_name_in_a_title_of_the_longest_length_fits():
    title = "{name} " + "x" * (MAX_TITLE_LENGTH - 7)
    data = {**_valid_rule_dict(), "audience": "each", "title": title}
    assert Rule.from_dict(data).title == title
