"""Say and do together: a group behind its adoption target gets the answer to its
measured barrier (`lagging.<barrier>`), in the week the lag is seen."""

from __future__ import annotations

from dataclasses import replace

import pytest

from changeready.core.model import ADKAR_ELEMENTS, Adkar, AdoptionTarget
from changeready.core.planning import generate_plan
from changeready.core.tests.plan_fixtures import engagement, group, person, week_date

AS_OF = week_date(4, weekday=2)  # Wednesday of week 4


def lagging_landscape(adkar: Adkar, source: str = "survey", actuals=(30, 35)):
    data = engagement(
        group("pickers", name="Pickers", headcount=40, adkar=adkar, adkar_source=source),
        person("lead", role="people_manager", group_id="pickers", engagement="supportive"),
        person("champ", group_id="pickers", is_champion=True, engagement="supportive"),
    )
    targets = (
        AdoptionTarget("pickers", 2, 60, actuals[0]),
        AdoptionTarget("pickers", 3, 70, actuals[1]),
    )
    return replace(data, adoption_targets=targets)


def lagging_items(plan):
    return [item for item in plan.items if item.origin.startswith("generated:lagging.")]


@pytest.mark.parametrize("element", ADKAR_ELEMENTS)
def test_a_lagging_group_gets_the_rule_for_its_measured_barrier_this_week(element):
    scores = dict.fromkeys(ADKAR_ELEMENTS, 4.5) | {element: 2}
    plan = generate_plan(lagging_landscape(Adkar(**scores)), as_of=AS_OF)
    items = lagging_items(plan)
    assert {i.origin for i in items} == {f"generated:lagging.{element}"}
    item = min(items, key=lambda i: i.week)
    assert item.audience_ids == ("pickers",)
    assert item.week == 4
    assert item.adkar_target == element
    assert "Pickers is behind its adoption target" in item.reason
    assert f"puts the barrier at {element}" in item.reason


def test_an_estimated_barrier_is_not_a_reading_and_adds_nothing():
    plan = generate_plan(lagging_landscape(Adkar(desire=2), source="estimated"), as_of=AS_OF)
    assert lagging_items(plan) == []


def test_a_group_on_target_or_a_plan_without_a_day_gets_nothing():
    on_target = lagging_landscape(Adkar(desire=2), actuals=(55, 65))
    assert lagging_items(generate_plan(on_target, as_of=AS_OF)) == []
    assert lagging_items(generate_plan(lagging_landscape(Adkar(desire=2)))) == []


def test_the_lagging_item_names_its_owner():
    plan = generate_plan(
        lagging_landscape(Adkar(ability=2, awareness=5, desire=5, knowledge=5)), as_of=AS_OF
    )
    assert {item.owner for item in lagging_items(plan)} == {"Champ"}
