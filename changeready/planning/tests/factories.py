import factory

from changeready.engagements.tests.factories import EngagementFactory
from changeready.planning.models import AdoptionTarget, PlanItem


class PlanItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanItem

    engagement = factory.SubFactory(EngagementFactory)
    week = 1
    title = factory.Sequence(lambda n: f"Plan item {n}")
    kind = "communication"
    owner_role = "delivery"


class AdoptionTargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AdoptionTarget

    engagement = factory.SelfAttribute("stakeholder.engagement")
    stakeholder = None
    week = 1
    target_pct = 50.0
