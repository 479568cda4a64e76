import factory

from changeready.engagements.tests.factories import EngagementFactory
from changeready.landscape.models import ResistancePoint, Stakeholder


class StakeholderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Stakeholder

    engagement = factory.SubFactory(EngagementFactory)
    kind = "group"
    name = factory.Sequence(lambda n: f"Stakeholder group {n}")
    role = "daily_user"


class ResistancePointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ResistancePoint

    stakeholder = factory.SubFactory(StakeholderFactory)
    engagement = factory.SelfAttribute("stakeholder.engagement")
    source = "workload_increase"
    severity = 3
