"""Generating and regenerating the plan through the service: hand work survives."""

import datetime
import threading
from collections import Counter

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from changeready.assessment.services import assess_engagement
from changeready.common.concurrency import EditConflict
from changeready.engagements import services as engagement_services
from changeready.engagements.models import Engagement
from changeready.landscape import services as landscape_services
from changeready.landscape.models import ResistancePoint, Stakeholder
from changeready.landscape.tests.factories import StakeholderFactory
from changeready.planning import adoption, item_edits, plan_state, regeneration
from changeready.planning.models import AdoptionTarget, PlanItem, PlanState
from changeready.planning.tests.example import create_example_engagement

pytestmark = pytest.mark.django_db
AS_OF = datetime.date(2027, 2, 22)
PLAN_FINDINGS = {"no_activation_plan", "plan_misses_resistance", "no_adoption_targets"}


@pytest.fixture
def example(workspace):
    return create_example_engagement(workspace)


def finding_codes(engagement):
    return {finding.code for finding in assess_engagement(engagement, AS_OF).findings}


def plan_snapshot(engagement):
    """Everything about the stored plan a user could see, comparable across runs."""
    items = sorted(
        (
            item.generation_key,
            item.week,
            item.title,
            item.owner,
            item.status,
            tuple(sorted(str(s) for s in item.audience.values_list("id", flat=True))),
        )
        for item in engagement.plan_items.all()
    )
    targets = sorted(
        engagement.adoption_targets.values_list("stakeholder_id", "week", "target_pct")
    )
    return items, targets


def test_generating_the_example_plan_clears_the_plan_findings(example):
    assert finding_codes(example) >= PLAN_FINDINGS

    summary = regeneration.regenerate_plan(example)

    assert summary.added == example.plan_items.count() > 0
    assert finding_codes(example).isdisjoint(PLAN_FINDINGS)


def test_generated_items_carry_rule_reason_audience_and_resistance_link(example):
    regeneration.regenerate_plan(example)
    tom = example.stakeholders.get(name="Tom Avery")
    point = example.resistance_points.get(stakeholder=tom)
    linked = example.plan_items.filter(resistance_point=point)
    assert linked.exists()
    item = linked.first()
    assert item.origin.startswith("generated:")
    assert item.generation_key
    assert "Tom Avery" in item.reason
    assert list(item.audience.all()) == [tom]
    pickers = example.stakeholders.get(name="Pickers and packers")
    assert set(example.adoption_targets.values_list("stakeholder", flat=True)) == {pickers.pk}
    assert example.adoption_targets.get(week=8).target_pct == 80.0


def test_regenerating_twice_gives_the_identical_plan(example):
    regeneration.regenerate_plan(example)
    first = plan_snapshot(example)

    summary = regeneration.regenerate_plan(example)

    assert plan_snapshot(example) == first
    assert (summary.added, summary.removed, summary.refreshed) == (0, 0, 0)
    keys = Counter(example.plan_items.values_list("generation_key", flat=True))
    assert max(keys.values()) == 1


def test_regeneration_keeps_every_hand_edit(example):
    regeneration.regenerate_plan(example)
    items = list(example.plan_items.order_by("generation_key"))
    retitled, moved, owned, done, deleted = items[:5]
    item_edits.update_item(retitled, expected_version=retitled.version, title="Our own title")
    item_edits.move_item(moved, 11, expected_version=moved.version)
    item_edits.update_item(owned, expected_version=owned.version, owner="Kim Park")
    item_edits.set_item_status(done, "done", expected_version=done.version)
    item_edits.delete_item(deleted)
    manual = item_edits.create_item(
        example, week=3, title="Lunch and learn", kind="training", owner_role="champion"
    )
    count = example.plan_items.count()

    regeneration.regenerate_plan(example)
    regeneration.regenerate_plan(example)

    assert example.plan_items.count() == count
    assert example.plan_items.get(pk=retitled.pk).title == "Our own title"
    assert example.plan_items.get(pk=moved.pk).week == 11
    assert example.plan_items.get(pk=owned.pk).owner == "Kim Park"
    assert example.plan_items.get(pk=done.pk).status == "done"
    assert example.plan_items.filter(pk=manual.pk).exists()
    assert not example.plan_items.filter(generation_key=deleted.generation_key).exists()


def test_edits_mark_generated_items_as_hand_work_but_status_does_not(example):
    regeneration.regenerate_plan(example)
    item, other = example.plan_items.all()[:2]
    item_edits.set_item_status(item, "skipped", expected_version=item.version)
    item.refresh_from_db()
    assert not item.edited_by_hand
    item_edits.update_item(other, expected_version=other.version, title=other.title)
    other.refresh_from_db()
    assert not other.edited_by_hand, "saving without a change is not an edit"
    item_edits.update_item(other, expected_version=other.version, description="Ours")
    other.refresh_from_db()
    assert other.edited_by_hand


def test_untouched_items_whose_rule_no_longer_applies_are_removed_touched_ones_kept(example):
    regeneration.regenerate_plan(example)
    tom = example.stakeholders.get(name="Tom Avery")
    point = example.resistance_points.get(stakeholder=tom)
    linked = list(example.plan_items.filter(resistance_point=point).order_by("week"))
    assert len(linked) >= 2
    edited = linked[0]
    item_edits.update_item(edited, expected_version=edited.version, title="Tom's design day")
    landscape_services.update_resistance_point(
        point, expected_version=point.version, status="resolved"
    )

    preview = regeneration.preview_regeneration(example)
    assert {item.pk for item in preview.items_to_remove} == {item.pk for item in linked[1:]}
    assert edited in preview.items_kept_by_hand
    regeneration.regenerate_plan(example)

    remaining = set(example.plan_items.filter(resistance_point=point))
    assert remaining == {edited}


def test_preview_writes_nothing_and_names_what_changes(example):
    preview = regeneration.preview_regeneration(example)
    assert preview.changes_anything
    assert not example.plan_items.exists()
    some = next(item for item in preview.items_to_add if len(item.audience_ids) == 1)
    assert preview.audience_names(some)[0] in set(
        example.stakeholders.values_list("name", flat=True)
    )


def test_a_new_stakeholder_is_planned_for_on_regeneration(example):
    regeneration.regenerate_plan(example)
    StakeholderFactory(engagement=example, name="Night shift", role="daily_user")

    regeneration.regenerate_plan(example)

    night = example.stakeholders.get(name="Night shift")
    assert example.plan_items.filter(audience=night).exists()
    # Weeks 1 to the renewal week (43): the plan runs to the renewal.
    assert example.adoption_targets.filter(stakeholder=night).count() == 43
    keys = Counter(example.plan_items.values_list("generation_key", flat=True))
    assert max(keys.values()) == 1


def test_hand_set_targets_and_actuals_survive_regeneration(example):
    regeneration.regenerate_plan(example)
    week2, week3 = example.adoption_targets.filter(week__in=[2, 3]).order_by("week")
    adoption.set_target(week2, 70.0, expected_version=week2.version)
    adoption.set_actual(week3, 41.0, expected_version=week3.version)
    plan_state.update_plan_settings(
        example,
        expected_version=example.version,
        adoption_target_pct=90.0,
        adoption_target_week=8,
    )

    summary = regeneration.regenerate_plan(example)

    assert summary.targets_updated > 0
    assert AdoptionTarget.objects.get(pk=week2.pk).target_pct == 70.0
    week3.refresh_from_db()
    assert (week3.actual_pct, week3.target_pct) != (None, None)
    assert week3.actual_pct == 41.0
    assert example.adoption_targets.get(week=8).target_pct == 90.0


def test_narrowing_the_window_removes_untouched_items_outside_it(example):
    regeneration.regenerate_plan(example)
    example.refresh_from_db()
    engagement_services.update_engagement(
        example,
        expected_version=example.version,
        kickoff_date=example.go_live_date - datetime.timedelta(weeks=2),
        renewal_date=None,
    )
    regeneration.regenerate_plan(example)
    weeks = set(example.plan_items.values_list("week", flat=True))
    assert min(weeks) >= -2 and max(weeks) <= 12
    assert max(example.adoption_targets.values_list("week", flat=True)) == 12


def test_stale_version_is_refused_and_nothing_changes(example):
    regeneration.regenerate_plan(example)
    item = example.plan_items.first()
    stale = item.version
    item_edits.update_item(item, expected_version=stale, title="First writer")
    again = PlanItem.objects.get(pk=item.pk)
    with pytest.raises(EditConflict):
        item_edits.update_item(again, expected_version=stale, title="Second writer")
    assert PlanItem.objects.get(pk=item.pk).title == "First writer"
    with pytest.raises(EditConflict):
        item_edits.delete_item(again, expected_version=stale)
    assert PlanItem.objects.filter(pk=item.pk).exists()


def test_audience_and_resistance_point_must_belong_to_the_engagement(example, engagement):
    stranger = StakeholderFactory(engagement=engagement, name="Elsewhere")
    with pytest.raises(ValidationError) as error:
        item_edits.create_item(
            example, week=1, title="x", kind="training", owner_role="delivery", audience=[stranger]
        )
    assert "audience" in error.value.message_dict
    foreign = ResistancePoint.objects.create(
        engagement=engagement, stakeholder=stranger, source="habit"
    )
    with pytest.raises(ValidationError) as error:
        item_edits.create_item(
            example,
            week=1,
            title="x",
            kind="training",
            owner_role="delivery",
            resistance_point=foreign.pk,
        )
    assert "resistance_point" in error.value.message_dict
    assert not example.plan_items.exists()


def test_every_plan_write_reports_the_change(example, monkeypatch):
    changed = []
    for module in (regeneration, item_edits, adoption):
        monkeypatch.setattr(module, "engagement_changed", changed.append)
    regeneration.regenerate_plan(example)
    item, other = example.plan_items.all()[:2]
    target = example.adoption_targets.first()
    writes = [
        lambda: item_edits.update_item(item, expected_version=None, title="Edited"),
        lambda: item_edits.move_item(item, 2, expected_version=None),
        lambda: item_edits.set_item_status(item, "done", expected_version=None),
        lambda: item_edits.delete_item(other),
        lambda: item_edits.create_item(
            example, week=1, title="x", kind="training", owner_role="delivery"
        ),
        lambda: adoption.set_target(target, 55.0, expected_version=None),
        lambda: adoption.set_actual(target, 20.0, expected_version=None),
    ]
    for write in writes:
        count = len(changed)
        write()
        assert len(changed) == count + 1
    assert set(changed) == {example}


def test_regeneration_locks_the_engagement_row(example, monkeypatch):
    locked = []
    original = Engagement.objects.select_for_update

    def spy(*args, **kwargs):
        locked.append(kwargs)
        return original(*args, **kwargs)

    monkeypatch.setattr(Engagement.objects, "select_for_update", spy)
    regeneration.regenerate_plan(example)
    assert locked, "regenerate_plan must take the engagement row lock first"


def _lock_order(monkeypatch) -> list[str]:
    """Which rows each select_for_update locks, in order: 'engagement', 'plan state'."""
    order = []
    for model, name in ((Engagement, "engagement"), (PlanState, "plan state")):
        original = model.objects.select_for_update

        def spy(*args, _original=original, _name=name, **kwargs):
            order.append(_name)
            return _original(*args, **kwargs)

        monkeypatch.setattr(model.objects, "select_for_update", spy)
    return order


@pytest.mark.parametrize(
    "write",
    [
        lambda engagement: regeneration.regenerate_plan(engagement),
        lambda engagement: plan_state.update_plan_settings(
            engagement,
            expected_version=None,
            adoption_target_pct=80,
            adoption_target_week=8,
        ),
    ],
    ids=["generate", "plan settings"],
)
def test_plan_writes_lock_the_engagement_before_the_plan_state(example, monkeypatch, write):
    """ "Plan settings" locked the plan state first and "Generate plan" the
    engagement first: run together, they deadlocked."""
    plan_state.plan_state(example)
    order = _lock_order(monkeypatch)

    write(example)

    assert order[0] == "engagement"
    assert "plan state" in order


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_regenerations_never_duplicate_items(workspace):
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith("file:memory"):
        pytest.skip("threads cannot share SQLite's in-memory test database")
    example = create_example_engagement(workspace)
    # With the plan state already there, nothing but the engagement lock
    # orders the two transactions.
    plan_state.plan_state(example)
    barrier = threading.Barrier(2)
    errors = []

    def regenerate():
        try:
            engagement = Engagement.objects.get(pk=example.pk)
            barrier.wait(timeout=10)
            regeneration.regenerate_plan(engagement)
        except Exception as error:  # reported below, not swallowed
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=regenerate) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    keys = Counter(
        PlanItem.objects.filter(engagement=example).values_list("generation_key", flat=True)
    )
    assert keys and max(keys.values()) == 1
    pairs = Counter(
        AdoptionTarget.objects.filter(engagement=example).values_list("stakeholder_id", "week")
    )
    assert max(pairs.values()) == 1
    assert Stakeholder.objects.filter(engagement=example).count() == 5


def test_regenerating_a_plan_made_under_v1_keeps_all_hand_work(example):
    pickers = example.stakeholders.get(name="Pickers and packers")
    v1 = {"engagement": example, "kind": "handoff", "owner_role": "delivery", "week": 5}
    untouched = PlanItem.objects.create(
        **v1,
        title="Hand the playbook to CS",
        origin="generated:baseline.cs_handoff",
        generation_key="baseline.cs_handoff|5|0:x|",
    )
    edited = PlanItem.objects.create(
        **v1,
        title="Our own CS walk-through",
        origin="generated:baseline.hypercare_exit_review",
        generation_key="baseline.hypercare_exit_review|4|0:x|",
        edited_by_hand=True,
    )
    done = PlanItem.objects.create(
        **v1,
        title="Done",
        origin="generated:baseline.depth_review",
        generation_key="baseline.depth_review|8|0:x|",
        status="done",
    )
    manual = PlanItem.objects.create(**v1, title="Site visit")
    imported = AdoptionTarget.objects.create(
        engagement=example, stakeholder=pickers, week=8, target_pct=80.0, source="manual"
    )

    regeneration.regenerate_plan(example, as_of=AS_OF)

    remaining = set(example.plan_items.values_list("id", flat=True))
    assert {edited.id, done.id, manual.id} <= remaining
    assert untouched.id not in remaining
    imported.refresh_from_db()
    assert (imported.target_pct, imported.source) == (80.0, "manual")
    generated = example.plan_items.filter(origin__startswith="generated", edited_by_hand=False)
    assert not generated.filter(workstream="").exclude(status="done").exists()


def test_an_untouched_item_follows_its_rule_when_the_engagement_names_an_owner(example):
    regeneration.regenerate_plan(example, as_of=AS_OF)
    review = example.plan_items.get(origin="generated:handoff.readiness_review")
    assert review.owner == ""
    engagement_services.update_engagement(
        example, expected_version=example.version, cs_owner_name="Sam Okafor"
    )

    summary = regeneration.regenerate_plan(example, as_of=AS_OF)

    review.refresh_from_db()
    assert review.owner == "Sam Okafor"
    assert summary.refreshed > 0 and summary.added == 0


def test_an_untouched_item_can_follow_its_rule_into_go_live_week(example):
    regeneration.regenerate_plan(example, as_of=AS_OF)
    notice = example.plan_items.get(origin="generated:baseline.go_live_notice")
    PlanItem.objects.filter(pk=notice.pk).update(week=3)

    regeneration.regenerate_plan(example, as_of=AS_OF)

    notice.refresh_from_db()
    assert notice.week == 0


# --- cost: a fixed number of queries, and nothing written when nothing changes ---

# Generation reads each table once and writes each kind of row in one statement,
# whatever the size of the landscape: the bound is the same for the example and
# for one with twenty more groups and their resistance points.
GENERATE_MAX_QUERIES = 20
NO_OP_MAX_QUERIES = 10
WRITES = ("INSERT", "UPDATE", "DELETE")


def _grow(engagement, groups):
    for number in range(groups):
        group = StakeholderFactory(
            engagement=engagement,
            name=f"Extra group {number}",
            headcount=60,
            resistance_triggers="Fear that pick rates will be used against them",
        )
        ResistancePoint.objects.create(
            engagement=engagement,
            stakeholder=group,
            source="workload_increase",
            severity=3,
            description="Double entry at month-end",
        )


@pytest.mark.parametrize("extra_groups", [0, 20])
def test_generation_takes_a_fixed_number_of_queries(
    example, extra_groups, django_assert_max_num_queries
):
    _grow(example, extra_groups)

    with django_assert_max_num_queries(GENERATE_MAX_QUERIES):
        summary = regeneration.regenerate_plan(example, as_of=AS_OF)

    assert summary.added == example.plan_items.count() > 0
    assert summary.targets_added == example.adoption_targets.count() > 0


@pytest.mark.parametrize("extra_groups", [0, 20])
def test_a_regeneration_that_changes_nothing_writes_nothing(
    example, extra_groups, django_assert_max_num_queries
):
    _grow(example, extra_groups)
    regeneration.regenerate_plan(example, as_of=AS_OF)
    first = plan_snapshot(example)
    state = PlanState.objects.get(engagement=example)
    events = example.activity.count()

    with django_assert_max_num_queries(NO_OP_MAX_QUERIES) as queries:
        summary = regeneration.regenerate_plan(example, as_of=AS_OF)

    writes = [q["sql"] for q in queries.captured_queries if q["sql"].startswith(WRITES)]
    assert writes == []
    assert (summary.added, summary.removed, summary.refreshed, summary.targets_added) == (
        0,
        0,
        0,
        0,
    )
    assert plan_snapshot(example) == first
    assert PlanState.objects.get(engagement=example).generated_at == state.generated_at
    assert example.activity.count() == events


def test_a_plan_never_generated_is_stamped_even_when_nothing_changes(example):
    # Items loaded from an engagement file carry generation keys but no stamp.
    regeneration.regenerate_plan(example, as_of=AS_OF)
    PlanState.objects.filter(engagement=example).update(generated_at=None)

    regeneration.regenerate_plan(example, as_of=AS_OF)

    assert PlanState.objects.get(engagement=example).generated_at is not None
