from datetime import date

import pytest

from changeready.engagements.tests.factories import EngagementFactory
from changeready.handoff.tests.example import load_example
from changeready.landscape import services as landscape_services
from changeready.planning.models import PlanItem
from changeready.portal import links, services

SECRET = "Quarvelline"  # a word no playbook would otherwise contain
RESISTOR = "Tom Avery"  # a person who resists in the example engagement


@pytest.fixture
def northwind(workspace, owner):
    """The example engagement; Marcus Webb (the economic buyer, with an email)
    owns two planned steps, one of which names Tom Avery, who resists; the team
    keeps internal notes and a log that must never reach the customer."""
    engagement = load_example(workspace)
    marcus = engagement.stakeholders.get(name="Marcus Webb")
    tom = engagement.stakeholders.get(name=RESISTOR)
    planned = list(PlanItem.objects.filter(engagement=engagement, status="planned")[:2])
    planned[0].owner = "Marcus Webb"
    planned[0].title = f"Sit down with {RESISTOR} about slotting"
    planned[0].description = f"Ask {RESISTOR} which rules of his spreadsheet must survive."
    planned[0].save()
    planned[1].owner = " m.webb@northwind.example "
    planned[1].save()
    for stakeholder in (marcus, tom):
        stakeholder.notes = f"{SECRET}: internal view of {stakeholder.name}"
        stakeholder.save()
        landscape_services.create_log_entry(
            stakeholder,
            actor=owner,
            kind="meeting",
            date=date(2027, 2, 12),
            participants=f"{stakeholder.name}, {SECRET} Ames",
            summary=f"{SECRET} said in confidence.",
        )
    # What the team chose to share with the customer, naming the person who resists.
    shared = landscape_services.create_log_entry(
        marcus,
        actor=owner,
        kind="call",
        date=date(2027, 2, 15),
        participants="Marcus Webb",
        summary=f"Marcus will brief {RESISTOR} and the shift leads on the rota.",
        internal=False,
    )
    landscape_services.create_commitment(
        marcus,
        actor=owner,
        text=f"Brief {RESISTOR} on the slotting rules",
        owner="Marcus Webb",
        log_entry=shared,
        internal=False,
    )
    landscape_services.create_commitment(
        marcus, actor=owner, text=f"{SECRET} budget line", owner="Marcus Webb", internal=True
    )
    return engagement


@pytest.fixture
def marcus(northwind):
    return northwind.stakeholders.get(name="Marcus Webb")


@pytest.fixture
def contributor(marcus, owner):
    return services.invite_contributor(marcus, invited_by=owner)


@pytest.fixture
def token(contributor):
    return links.portal_token(contributor)


@pytest.fixture
def marcus_items(contributor):
    return list(services.owned_items(contributor))


@pytest.fixture
def other_engagement(workspace):
    return EngagementFactory(workspace=workspace, name="Other rollout", customer="Northwind")
