"""Commitments on the plan page: in the week their due date falls in, with their owner."""

from datetime import timedelta

import pytest
from django.urls import reverse

from changeready.core.weeks import week_monday
from changeready.landscape import services
from changeready.landscape.tests.factories import StakeholderFactory
from changeready.planning.tests.factories import PlanItemFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def promised(engagement, owner):
    tom = StakeholderFactory(engagement=engagement, name="Tom Avery", kind="person")
    due = week_monday(engagement.go_live_date, 2) + timedelta(days=3)  # its Thursday
    services.create_commitment(
        tom, actor=owner, text="Slotting rules signed off", owner="Lena Kovacs", due_date=due
    )
    services.create_commitment(tom, actor=owner, text="Undated promise", owner="Lena Kovacs")
    PlanItemFactory(engagement=engagement, week=1, owner="Sam Okafor", workstream="communication")
    return tom


def week_section(page: str, week: int) -> str:
    start = page.index(f'id="week-{week}"')
    end = page.find('class="plan-week', start + 1)
    return page[start : end if end != -1 else None]


def test_a_commitment_shows_in_its_due_week_with_its_owner(client_as, engagement, promised):
    page = client_as("viewer").get(reverse("plan", args=[engagement.id])).content.decode()
    week = week_section(page, 2)
    assert "Slotting rules signed off" in week
    assert "Lena Kovacs" in week
    assert reverse("stakeholder", args=[engagement.id, promised.id]) in week
    assert "Slotting rules signed off" not in week_section(page, 1)
    # Without a due date it has no week: it stays on the stakeholder's page.
    assert "Undated promise" not in page


def test_a_done_commitment_says_so(client_as, engagement, promised, owner):
    commitment = promised.commitments.get(text="Slotting rules signed off")
    services.update_commitment(commitment, actor=owner, status="done")
    page = client_as("member").get(reverse("plan", args=[engagement.id])).content.decode()
    assert "Slotting rules signed off" in week_section(page, 2)
    assert "done" in week_section(page, 2)


def test_filters_narrow_the_commitments_too(client_as, engagement, promised):
    client = client_as("member")
    url = reverse("plan", args=[engagement.id])
    by_audience = client.get(url, {"audience": str(promised.id)}).content.decode()
    assert "Slotting rules signed off" in by_audience
    other = StakeholderFactory(engagement=engagement, name="Lena Kovacs", kind="person")
    by_other = client.get(url, {"audience": str(other.id)}).content.decode()
    assert "Slotting rules signed off" not in by_other
    by_owner = client.get(url, {"owner": "Sam Okafor"}).content.decode()
    assert "Sam Okafor" in by_owner
    assert "Slotting rules signed off" not in by_owner
    by_workstream = client.get(url, {"workstream": "communication"}).content.decode()
    assert "Slotting rules signed off" not in by_workstream
