import datetime

import factory

from changeready.engagements.models import Engagement
from changeready.workspaces.tests.factories import WorkspaceFactory


class EngagementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Engagement

    workspace = factory.SubFactory(WorkspaceFactory)
    name = factory.Sequence(lambda n: f"Rollout {n}")
    customer = factory.Faker("company")
    go_live_date = datetime.date(2027, 4, 5)
    phase = "build"
