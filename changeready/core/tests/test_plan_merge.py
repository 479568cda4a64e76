"""Regeneration never destroys hand work and never duplicates."""

from __future__ import annotations

import dataclasses

from changeready.core.plan_merge import (
    REFRESHED_FIELDS,
    ExistingItem,
    ExistingTarget,
    PlanChanges,
    TargetChanges,
    TargetUpdate,
    merge_plan,
    merge_targets,
)
from changeready.core.planning import generate_plan
from changeready.core.tests.plan_fixtures import (
    engagement,
    example_engagement_data,
    group,
    point,
    week_date,
)

INVOLVE_R1 = "resistance.loss_of_authority_involve|-4|1:shift-leads|r1"


def _content(item):
    return {name: getattr(item, name) for name in REFRESHED_FIELDS}


def stored(plan, *, edited=()):
    """The plan as the database would hold it after applying it; ids are the keys."""
    return [
        ExistingItem(
            id=item.generation_key,
            generation_key=item.generation_key,
            origin=item.origin,
            touched=item.generation_key in edited,
            content=_content(item),
        )
        for item in plan.items
    ]


def apply(existing, changes: PlanChanges):
    removed = set(changes.to_remove)
    kept = [item for item in existing if item.id not in removed]
    added = [
        ExistingItem(
            id=f"new:{item.generation_key}",
            generation_key=item.generation_key,
            origin=item.origin,
            content=_content(item),
        )
        for item in changes.to_add
    ]
    refreshed = {refresh.id: _content(refresh.generated) for refresh in changes.to_refresh}
    kept = [
        dataclasses.replace(item, content=refreshed[item.id]) if item.id in refreshed else item
        for item in kept
    ]
    return kept + added


def test_first_generation_adds_everything():
    plan = generate_plan(example_engagement_data())
    changes = merge_plan([], plan)
    assert changes.to_add == plan.items
    assert changes.to_remove == ()
    assert changes.kept == ()
    assert changes.changes_anything


def test_regenerating_an_unchanged_engagement_changes_nothing():
    plan = generate_plan(example_engagement_data())
    existing = stored(plan)
    changes = merge_plan(existing, plan)
    assert changes.to_add == ()
    assert changes.to_remove == ()
    assert set(changes.kept) == {item.id for item in existing}
    assert not changes.changes_anything


def _resolve(data, point_id):
    return dataclasses.replace(
        data,
        resistance_points=tuple(
            dataclasses.replace(p, status="resolved") if p.id == point_id else p
            for p in data.resistance_points
        ),
    )


def test_stale_untouched_items_are_removed_and_edited_ones_kept():
    data = example_engagement_data()
    existing = stored(generate_plan(data), edited={INVOLVE_R1})

    changes = merge_plan(existing, generate_plan(_resolve(data, "r1")))

    # r1 is resolved: its sponsor conversation (untouched) goes, the involvement
    # item someone edited by hand stays.
    assert changes.to_remove == ("resistance.loss_of_authority_sponsor|2|1:shift-leads|r1",)
    assert INVOLVE_R1 in changes.kept
    assert changes.to_add == ()


def test_manual_items_are_always_kept():
    plan = generate_plan(engagement(group("users")))
    manual = [
        ExistingItem(id="m1", generation_key=None, origin="manual"),
        # An item typed in by hand that happens to carry a key is still manual.
        ExistingItem(id="m2", generation_key="custom.gone|1|1:users|", origin="manual"),
    ]
    changes = merge_plan(manual, plan)
    assert changes.kept == ("m1", "m2")
    assert changes.to_remove == ()
    assert len(changes.to_add) == len(plan.items)


def test_edited_item_whose_key_is_still_produced_is_not_added_again():
    plan = generate_plan(example_engagement_data())
    existing = [
        dataclasses.replace(item, touched=True) if item.id == INVOLVE_R1 else item
        for item in stored(plan)
    ]
    changes = merge_plan(existing, plan)
    assert INVOLVE_R1 in changes.kept
    assert all(item.generation_key != INVOLVE_R1 for item in changes.to_add)
    assert not changes.changes_anything


def test_new_stakeholder_adds_its_items_and_replaces_untouched_engagement_wide_ones():
    data = engagement(group("users"))
    existing = stored(generate_plan(data))
    grown = dataclasses.replace(data, stakeholders=(*data.stakeholders, group("packers")))

    changes = merge_plan(existing, generate_plan(grown))

    added = {item.generation_key for item in changes.to_add}
    assert "quadrant.manage_closely_listening|-4|1:packers|" in added
    # The go-live notice now addresses two groups: the untouched one is replaced.
    assert "baseline.go_live_notice|0|1:users|" in changes.to_remove
    assert changes.to_refresh == ()
    assert any(key.startswith("baseline.go_live_notice|0|2:") for key in added)


def test_deleted_generated_items_are_not_brought_back():
    plan = generate_plan(example_engagement_data())
    existing = [item for item in stored(plan) if item.id != INVOLVE_R1]
    assert merge_plan(existing, plan).to_add[0].generation_key == INVOLVE_R1

    changes = merge_plan(existing, plan, dismissed_keys={INVOLVE_R1})
    assert changes.to_add == ()


def test_regenerate_after_regenerate_is_a_no_op():
    data = example_engagement_data()
    existing = stored(generate_plan(data), edited={INVOLVE_R1})
    changed = _resolve(data, "r3")
    once = apply(existing, merge_plan(existing, generate_plan(changed)))

    twice = merge_plan(once, generate_plan(changed))

    assert not twice.changes_anything
    assert sorted(twice.kept) == sorted(item.id for item in once)


# --- targets ------------------------------------------------------------------


def stored_targets(plan):
    return [
        ExistingTarget(
            id=f"{target.stakeholder_id}@{target.week}",
            stakeholder_id=target.stakeholder_id,
            week=target.week,
            target_pct=target.target_pct,
        )
        for target in plan.targets
    ]


def test_regenerating_unchanged_targets_changes_nothing():
    plan = generate_plan(example_engagement_data())
    changes = merge_targets(stored_targets(plan), plan)
    assert changes == TargetChanges(
        to_add=(),
        to_update=(),
        to_remove=(),
        kept=tuple(sorted(f"pickers@{w}" for w in range(1, 44))),
    )
    assert not changes.changes_anything


def test_new_target_updates_generated_values_and_keeps_actuals_and_manual_targets():
    data = engagement(group("users"))
    existing = stored_targets(generate_plan(data))[:4]
    existing[0] = dataclasses.replace(existing[0], actual_pct=35.0)
    existing[1] = dataclasses.replace(existing[1], target_pct=50.0, source="manual")

    changes = merge_targets(existing, generate_plan(data, adoption_target_pct=90.0))

    # ramp to 90 by week 8: 45.0, 51.4, 57.9, 64.3
    assert changes.to_update == (TargetUpdate("users@3", 57.9), TargetUpdate("users@4", 64.3))
    assert changes.kept == ("users@1", "users@2")
    assert [(t.week) for t in changes.to_add] == list(range(5, 13))
    assert changes.to_remove == ()


def test_imported_targets_are_never_changed_or_removed():
    data = engagement(group("pharmacists"))
    imported = [
        ExistingTarget(
            id="p@8", stakeholder_id="pharmacists", week=8, target_pct=80.0, source="manual"
        ),
        ExistingTarget(
            id="p@30", stakeholder_id="pharmacists", week=30, target_pct=90.0, source="manual"
        ),
    ]
    changes = merge_targets(imported, generate_plan(data, adoption_target_pct=40.0))
    assert changes.to_update == ()
    assert changes.to_remove == ()
    assert changes.kept == ("p@30", "p@8")
    assert 8 not in {t.week for t in changes.to_add}


def test_an_untouched_item_follows_its_rule_and_a_touched_one_does_not():
    data = engagement(group("users"), delivery_lead_name="Priya Raman")
    before = stored(generate_plan(engagement(group("users"))))
    training = next(item for item in before if "role_based_training" in item.id)
    notice = next(item for item in before if "go_live_notice" in item.id)
    before = [
        dataclasses.replace(item, touched=True) if item is notice else item for item in before
    ]

    changes = merge_plan(before, generate_plan(data))

    refreshed = {refresh.id: refresh.generated for refresh in changes.to_refresh}
    assert refreshed[training.id].owner == "Priya Raman"
    assert notice.id not in refreshed
    assert changes.to_add == ()


def test_a_moved_rule_item_keeps_its_identity_and_moves():
    data = engagement(group("users"))
    existing = stored(generate_plan(data))
    late = generate_plan(data, as_of=week_date(-1, 2))

    changes = merge_plan(existing, late)

    training = next(r for r in changes.to_refresh if "role_based_training" in r.id)
    assert training.generated.week == -1
    assert "role_based_training|-2|" in training.id


def test_targets_of_a_removed_group_go_unless_they_hold_actuals():
    data = engagement(group("users"), group("packers"))
    existing = stored_targets(generate_plan(data))[:2] + stored_targets(generate_plan(data))[12:14]
    existing = [
        dataclasses.replace(t, actual_pct=12.0) if t.id == "packers@1" else t for t in existing
    ]
    only_users = engagement(group("users"))

    changes = merge_targets(existing, generate_plan(only_users))

    assert changes.to_remove == ("packers@2",)
    assert "packers@1" in changes.kept


def test_window_growth_adds_only_the_missing_weeks():
    data = engagement(group("users"))
    existing = stored_targets(generate_plan(data))
    longer = dataclasses.replace(
        data, engagement=dataclasses.replace(data.engagement, renewal_date=week_date(14))
    )
    changes = merge_targets(existing, generate_plan(longer))
    assert [(t.stakeholder_id, t.week) for t in changes.to_add] == [("users", 13), ("users", 14)]
    assert changes.to_update == ()


def test_a_group_losing_its_daily_user_role_loses_untouched_targets():
    data = engagement(group("users"), points=(point("p", "users", "habit"),))
    existing = stored_targets(generate_plan(data))[:2]
    as_managers = engagement(group("users", role="people_manager"))
    changes = merge_targets(existing, generate_plan(as_managers))
    assert changes.to_remove == ("users@1", "users@2")
