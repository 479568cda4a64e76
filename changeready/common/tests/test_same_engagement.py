"""An object may only point at objects of its own engagement."""

import pytest
from django.core.exceptions import ValidationError

from changeready.engagements.tests.factories import EngagementFactory
from changeready.landscape.models import ResistancePoint
from changeready.landscape.tests.factories import ResistancePointFactory, StakeholderFactory
from changeready.planning.models import AdoptionTarget, PlanItem

pytestmark = pytest.mark.django_db


def test_references_to_another_engagement_are_refused_with_the_field_named(workspace):
    mine, theirs = EngagementFactory(workspace=workspace), EngagementFactory(workspace=workspace)
    their_group = StakeholderFactory(engagement=theirs)
    their_point = ResistancePointFactory(stakeholder=their_group)
    point = ResistancePoint(engagement=mine, stakeholder=their_group, source="habit")
    item = PlanItem(
        engagement=mine,
        week=1,
        title="x",
        kind="training",
        owner_role="delivery",
        resistance_point=their_point,
    )
    target = AdoptionTarget(engagement=mine, stakeholder=their_group, week=1, target_pct=50)
    cases = [(point, "stakeholder"), (item, "resistance_point"), (target, "stakeholder")]
    for instance, field in cases:
        with pytest.raises(ValidationError) as error:
            instance.full_clean()
        assert "must belong to the same engagement" in error.value.message_dict[field][0]


def test_references_within_the_engagement_are_accepted(engagement):
    group = StakeholderFactory(engagement=engagement)
    point = ResistancePointFactory(stakeholder=group)
    PlanItem(
        engagement=engagement,
        week=1,
        title="x",
        kind="training",
        owner_role="delivery",
        resistance_point=point,
    ).full_clean()
    AdoptionTarget(engagement=engagement, stakeholder=group, week=1, target_pct=50).full_clean()
