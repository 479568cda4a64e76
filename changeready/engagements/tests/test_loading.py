import pytest

from changeready.engagements.loading import (
    adoption_target_data,
    load_engagement_data,
    plan_item_data,
    resistance_point_data,
    stakeholder_data,
)
from changeready.engagements.tests.factories import EngagementFactory
from changeready.landscape.tests.factories import ResistancePointFactory, StakeholderFactory
from changeready.planning.tests.factories import AdoptionTargetFactory, PlanItemFactory

pytestmark = pytest.mark.django_db


def build_engagement(workspace, name):
    engagement = EngagementFactory(workspace=workspace, name=name, cs_owner_name="Kim CS")
    group = StakeholderFactory(engagement=engagement, name="Pickers", adkar_awareness=2)
    person = StakeholderFactory(
        engagement=engagement, name="Tom", kind="person", group=group, involvement=["uat"]
    )
    point = ResistancePointFactory(stakeholder=person, severity=5, status="planned")
    item = PlanItemFactory(engagement=engagement, week=2, resistance_point=point)
    item.audience.add(group)
    AdoptionTargetFactory(stakeholder=group, week=3, target_pct=40, actual_pct=35)
    return engagement, group, person, point, item


def test_loads_every_part_of_an_engagement(workspace):
    engagement, group, person, point, _ = build_engagement(workspace, "One")
    data = load_engagement_data([engagement])[str(engagement.id)]
    assert data.engagement.cs_owner_name == "Kim CS"
    assert data.engagement.handoff_accepted is False
    assert [s.name for s in data.stakeholders] == ["Pickers", "Tom"]
    assert data.stakeholders[0].adkar.awareness == 2
    assert data.stakeholders[1].group_id == str(group.id)
    assert data.stakeholders[1].involvement == frozenset({"uat"})
    assert data.resistance_points[0].stakeholder_id == str(person.id)
    assert data.resistance_points[0].status == "planned"
    assert data.plan_items[0].audience_ids == (str(group.id),)
    assert data.plan_items[0].resistance_point_id == str(point.id)
    assert data.adoption_targets[0].actual_pct == 35


@pytest.mark.parametrize("engagement_count", [1, 25])
def test_query_count_does_not_grow_with_engagements(
    workspace, engagement_count, django_assert_num_queries
):
    engagements = [build_engagement(workspace, f"E{i}")[0] for i in range(engagement_count)]
    with django_assert_num_queries(6):
        loaded = load_engagement_data(engagements)
    assert len(loaded) == engagement_count
    assert all(len(d.stakeholders) == 2 for d in loaded.values())


def test_without_the_plan_only_the_landscape_and_register_are_read(
    workspace, django_assert_num_queries
):
    engagement, *_ = build_engagement(workspace, "One")
    with django_assert_num_queries(2):
        data = load_engagement_data([engagement], with_plan=False)[str(engagement.id)]
    assert len(data.stakeholders) == 2
    assert len(data.resistance_points) == 1
    assert data.plan_items == ()
    assert data.adoption_targets == ()


def test_model_instances_map_as_the_bulk_read_does(workspace):
    """One mapping per part: the playbook maps the instances it holds with the
    same functions the bulk read uses, and both give the same core data."""
    engagement, group, person, point, item = build_engagement(workspace, "One")
    loaded = load_engagement_data([engagement])[str(engagement.id)]
    assert loaded.stakeholders == (stakeholder_data(group), stakeholder_data(person))
    assert loaded.resistance_points == (resistance_point_data(point),)
    assert loaded.plan_items == (plan_item_data(item, [str(group.id)]),)
    assert loaded.adoption_targets == (adoption_target_data(engagement.adoption_targets.get()),)
