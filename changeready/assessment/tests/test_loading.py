import pytest

from changeready.assessment.loading import load_engagement_data
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
    with django_assert_num_queries(5):
        loaded = load_engagement_data(engagements)
    assert len(loaded) == engagement_count
    assert all(len(d.stakeholders) == 2 for d in loaded.values())
