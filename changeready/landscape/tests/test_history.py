"""The whole history of a stakeholder, which Customer Success reads after the handoff."""

from datetime import date

import pytest
from django.urls import reverse

from changeready.conftest import PEOPLE
from changeready.handoff import services as handoff_services
from changeready.landscape import services
from changeready.landscape.tests.factories import StakeholderFactory
from changeready.landscape.tests.test_access import expected_status
from changeready.workspaces.models import Membership

pytestmark = pytest.mark.django_db


@pytest.fixture
def tom(engagement, owner):
    tom = StakeholderFactory(engagement=engagement, name="Tom Avery", kind="person")
    services.create_log_entry(
        tom, actor=owner, kind="call", date=date(2026, 2, 12), summary="Worried about bonuses."
    )
    services.create_commitment(tom, actor=owner, text="Bonus review by March", owner="Marcus")
    services.update_stakeholder(tom, expected_version=None, actor=owner, influence=5)
    lena = StakeholderFactory(engagement=engagement, name="Lena Kovacs", kind="person")
    services.create_log_entry(lena, actor=owner, date=date(2026, 2, 13), summary="Lena's note.")
    return tom


def history_url(engagement, stakeholder=None):
    url = reverse("stakeholder_history", args=[engagement.id])
    return f"{url}?stakeholder={stakeholder.id}" if stakeholder else url


def test_one_stakeholders_history_holds_log_commitments_and_changes(client_as, engagement, tom):
    page = client_as("viewer").get(history_url(engagement, tom)).content.decode()
    assert "Worried about bonuses." in page
    assert "Bonus review by March" in page
    assert "influence 3 → 5" in page
    assert "<em>internal</em>" in page
    assert "Lena&#x27;s note." not in page and "Lena's note." not in page


def test_the_engagements_history_holds_everyone(client_as, engagement, tom):
    page = client_as("member").get(history_url(engagement)).content.decode()
    assert "Worried about bonuses." in page
    assert "Lena&#x27;s note." in page


def test_an_empty_history_says_so(client_as, engagement):
    page = client_as("member").get(history_url(engagement)).content.decode()
    assert "Nothing recorded yet" in page


def test_cs_owner_reads_the_whole_history_after_the_handoff(
    client_as, engagement, tom, owner, viewer
):
    """The CS owner is a viewer here; the handoff gives no role, reading needs none more."""
    viewer = Membership.objects.get(user__email="viewer@acme.example")
    handoff_services.set_cs_owner(
        engagement, name="Casey", email=viewer.user.email, expected_version=None
    )
    engagement.refresh_from_db()
    accepter = Membership.objects.get(user=owner)
    handoff_services.accept_handoff(engagement, membership=accepter)
    client = client_as("viewer")
    stakeholder_page = client.get(reverse("stakeholder", args=[engagement.id, tom.id]))
    assert "Worried about bonuses." in stakeholder_page.content.decode()
    history = client.get(history_url(engagement, tom)).content.decode()
    assert "Worried about bonuses." in history
    handoff = client.get(reverse("handoff", args=[engagement.id])).content.decode()
    assert reverse("stakeholder_history", args=[engagement.id]) in handoff


@pytest.mark.parametrize("person", PEOPLE)
def test_who_may_read_the_history(client_as, engagement, tom, person):
    response = client_as(person).get(history_url(engagement, tom))
    assert response.status_code == expected_status(person, write=False)


def test_another_engagements_stakeholder_is_a_404(client_as, engagement, tom, workspace):
    from changeready.engagements.tests.factories import EngagementFactory

    other = EngagementFactory(workspace=workspace)
    response = client_as("owner").get(history_url(other, tom))
    assert response.status_code == 404
