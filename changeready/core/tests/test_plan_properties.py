"""Properties of plan generation and merging over random valid landscapes."""

from __future__ import annotations

import dataclasses

from hypothesis import given
from hypothesis import strategies as st

from changeready.core.planning import ExistingItem, generate_plan, merge_plan
from changeready.core.rules import BUILTIN_RULES
from changeready.core.tests.plan_strategies import landscapes, rule_libraries, windows


def _due_by(point, window):
    """The domain's due week, independently: default -1, moved into the window."""
    due = -1 if point.due_week is None else point.due_week
    return min(max(due, window.first_week), window.last_week)


@given(landscapes(), windows, rule_libraries())
def test_guarantees_hold_for_any_landscape_window_and_library(data, window, rules):
    plan = generate_plan(data, rules, **window.options())
    stakeholders = {stakeholder.id: stakeholder for stakeholder in data.stakeholders}

    keys = [item.generation_key for item in plan.items]
    assert len(keys) == len(set(keys))
    assert all(window.first_week <= item.week <= window.last_week for item in plan.items)

    for point in data.resistance_points:
        linked = [item for item in plan.items if item.resistance_point_id == point.id]
        if point.status in ("resolved", "accepted"):
            assert linked == []
        else:
            assert any(item.week <= _due_by(point, window) for item in linked)
            assert all(item.audience_ids == (point.stakeholder_id,) for item in linked)

    for stakeholder in stakeholders.values():
        if stakeholder.kind == "group":
            assert any(
                item.week >= 1 and stakeholder.id in item.audience_ids for item in plan.items
            )

    disabled = {f"generated:{rule.key}" for rule in rules if not rule.enabled}
    assert not any(item.origin in disabled for item in plan.items)

    for item in plan.items:
        assert set(item.audience_ids) <= set(stakeholders)
        assert list(item.audience_ids) == sorted(item.audience_ids)


@given(landscapes(), windows)
def test_every_economic_buyer_gets_the_checkin_weeks_the_window_holds(data, window):
    plan = generate_plan(data, **window.options())
    expected = [week for week in (-1, 2, 6, 12) if window.first_week <= week <= window.last_week]
    for stakeholder in data.stakeholders:
        weeks = [
            item.week
            for item in plan.items
            if item.origin == "generated:role.economic_buyer_value_checkin"
            and item.audience_ids == (stakeholder.id,)
        ]
        assert weeks == (expected if stakeholder.role == "economic_buyer" else [])


@given(landscapes(), windows)
def test_targets_ramp_for_each_daily_user_group(data, window):
    plan = generate_plan(data, **window.options())
    target = window.adoption_target_pct
    daily_user_groups = {
        stakeholder.id
        for stakeholder in data.stakeholders
        if stakeholder.kind == "group" and stakeholder.role == "daily_user"
    }
    assert {t.stakeholder_id for t in plan.targets} == daily_user_groups
    for group_id in daily_user_groups:
        ramp = [t for t in plan.targets if t.stakeholder_id == group_id]
        assert [t.week for t in ramp] == list(range(1, window.last_week + 1))
        values = [t.target_pct for t in ramp]
        assert values == sorted(values)
        assert all(0 < value <= target for value in values)
        for t in ramp:
            if t.week >= window.adoption_target_week:
                assert t.target_pct == target


@given(landscapes(), windows, st.randoms(use_true_random=False))
def test_input_order_never_changes_the_plan(data, window, shuffler):
    stakeholders = list(data.stakeholders)
    points = list(data.resistance_points)
    shuffler.shuffle(stakeholders)
    shuffler.shuffle(points)
    shuffled = dataclasses.replace(
        data, stakeholders=tuple(stakeholders), resistance_points=tuple(points)
    )
    assert generate_plan(shuffled, **window.options()) == generate_plan(data, **window.options())


def _stored(plan, edited_every=0):
    return [
        ExistingItem(
            id=f"id{number}",
            generation_key=item.generation_key,
            origin=item.origin,
            edited_by_hand=bool(edited_every) and number % edited_every == 0,
        )
        for number, item in enumerate(plan.items)
    ]


@given(landscapes(), windows)
def test_merging_a_plan_with_itself_changes_nothing(data, window):
    plan = generate_plan(data, **window.options())
    changes = merge_plan(_stored(plan), plan)
    assert changes.to_add == ()
    assert changes.to_remove == ()
    assert len(changes.kept) == len(plan.items)


@given(landscapes(), landscapes(), st.integers(min_value=1, max_value=4))
def test_regeneration_keeps_hand_work_and_converges(before, after, edited_every):
    existing = _stored(generate_plan(before), edited_every)
    existing.append(ExistingItem(id="manual", generation_key=None, origin="manual"))
    fresh = generate_plan(after, BUILTIN_RULES)

    changes = merge_plan(existing, fresh)

    protected = {item.id for item in existing if item.edited_by_hand or item.generation_key is None}
    assert protected <= set(changes.kept)
    assert set(changes.kept) | set(changes.to_remove) == {item.id for item in existing}
    stored_keys = {item.generation_key for item in existing}
    assert not any(item.generation_key in stored_keys for item in changes.to_add)

    removed = set(changes.to_remove)
    applied = [item for item in existing if item.id not in removed] + [
        ExistingItem(id=f"new{number}", generation_key=item.generation_key, origin=item.origin)
        for number, item in enumerate(changes.to_add)
    ]
    again = merge_plan(applied, fresh)
    assert again.to_add == ()
    assert again.to_remove == ()
    # After applying, every item the rules produce is in the plan exactly once
    # (hand-edited items count as the rule's item).
    produced = {item.generation_key for item in fresh.items}
    present = [item.generation_key for item in applied if item.generation_key in produced]
    assert sorted(present) == sorted(produced)
