"""The Handoff page and its actions, for every kind of person (owner … anonymous)."""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from changeready.assessment.services import assess_engagement
from changeready.conftest import PEOPLE, WRITERS
from changeready.engagements.models import Engagement
from changeready.handoff import services
from changeready.handoff.models import ShareLink

pytestmark = pytest.mark.django_db

STATUS_READ = {"owner": 200, "admin": 200, "member": 200, "viewer": 200, "outsider": 404}
STATUS_WRITE = {"owner": 302, "admin": 302, "member": 302, "viewer": 403, "outsider": 404}


def state(engagement):
    """Everything a handoff action could change."""
    row = Engagement.objects.get(id=engagement.id)
    links = sorted(ShareLink.objects.values_list("id", "revoked_at"))
    return (
        row.cs_owner_name,
        row.cs_owner_email,
        row.handoff_accepted_at,
        row.handoff_accepted_by_id,
        row.version,
        links,
        len(mail.outbox),
    )


def expected(person, table):
    return table.get(person, 302)  # anonymous: to the login page


@pytest.fixture
def handoff(northwind):
    northwind.cs_owner_name = "Sam Ortiz"
    northwind.cs_owner_email = "sam.ortiz@acme.example"
    northwind.save()
    return northwind


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("path", ["handoff", "download"])
def test_reading_the_handoff(client_as, handoff, person, path):
    if path == "handoff":
        url = reverse("handoff", args=[handoff.id])
    else:
        url = reverse("handoff_download", args=[handoff.id, "md"])
    before = state(handoff)
    response = client_as(person).get(url)
    assert response.status_code == expected(person, STATUS_READ)
    assert state(handoff) == before
    if response.status_code == 200 and path == "handoff":
        assert b"Handoff checklist" in response.content
        assert b"Shift leads" in response.content


def action_requests(engagement, link):
    return {
        "cs_owner": (
            reverse("handoff_cs_owner", args=[engagement.id]),
            {"name": "Kim Lee", "email": "kim@acme.example", "version": engagement.version},
        ),
        "send": (reverse("handoff_send", args=[engagement.id]), {"days": "30"}),
        "accept": (reverse("handoff_accept", args=[engagement.id]), {}),
        "link": (reverse("handoff_link_create", args=[engagement.id]), {"days": "14"}),
        "revoke": (reverse("handoff_link_revoke", args=[engagement.id, link.id]), {}),
    }


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("action", ["cs_owner", "send", "accept", "link", "revoke"])
def test_handoff_actions(
    client_as, handoff, owner, person, action, django_capture_on_commit_callbacks
):
    link = services.create_share_link(handoff, created_by=owner)
    url, data = action_requests(handoff, link)[action]
    before = state(handoff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as(person).post(url, data)
    assert response.status_code == expected(person, STATUS_WRITE)
    if person in WRITERS:
        assert state(handoff) != before
    else:
        assert state(handoff) == before


@pytest.mark.parametrize("person", PEOPLE)
def test_undo_acceptance(client_as, handoff, owner, person):
    services.accept_handoff(handoff, accepted_by=owner)
    url = reverse("handoff_undo_acceptance", args=[handoff.id])
    before = state(handoff)
    confirm = client_as(person).get(url)
    assert confirm.status_code == expected(person, {**STATUS_WRITE, **dict.fromkeys(WRITERS, 200)})
    assert state(handoff) == before
    response = client_as(person).post(url)
    assert response.status_code == expected(person, STATUS_WRITE)
    accepted_at = Engagement.objects.get(id=handoff.id).handoff_accepted_at
    assert (accepted_at is None) == (person in WRITERS)


def test_outsider_cannot_revoke_through_their_own_engagement(client_as, handoff, owner, outsider):
    from changeready.engagements.tests.factories import EngagementFactory

    theirs = EngagementFactory(workspace=outsider.memberships.get().workspace)
    link = services.create_share_link(handoff, created_by=owner)
    response = client_as("outsider").post(reverse("handoff_link_revoke", args=[theirs.id, link.id]))
    assert response.status_code == 404
    link.refresh_from_db()
    assert link.revoked_at is None


def test_accept_records_who_and_when_and_clears_the_finding(client_as, handoff, member):
    # Three weeks after go-live, an unaccepted handoff is a finding.
    as_of = handoff.go_live_date + timedelta(days=21)
    codes = {f.code for f in assess_engagement(handoff, as_of).findings}
    assert "handoff_not_accepted" in codes

    started = timezone.now()
    response = client_as("member").post(reverse("handoff_accept", args=[handoff.id]))
    assert response.status_code == 302
    handoff.refresh_from_db()
    assert handoff.handoff_accepted_by == member
    assert started <= handoff.handoff_accepted_at <= timezone.now()
    codes = {f.code for f in assess_engagement(handoff, as_of).findings}
    assert "handoff_not_accepted" not in codes

    page = client_as("viewer").get(reverse("handoff", args=[handoff.id]))
    assert f"Accepted by <strong>{member.display_name}</strong>" in page.content.decode()


def test_accepting_twice_keeps_the_first_acceptance(client_as, handoff, owner):
    services.accept_handoff(handoff, accepted_by=owner)
    first = Engagement.objects.get(id=handoff.id).handoff_accepted_at
    client_as("member").post(reverse("handoff_accept", args=[handoff.id]))
    handoff.refresh_from_db()
    assert (handoff.handoff_accepted_by_id, handoff.handoff_accepted_at) == (owner.id, first)


def test_send_emails_the_cs_owner_a_working_link(
    client, client_as, handoff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as("admin").post(
            reverse("handoff_send", args=[handoff.id]), {"days": "30"}
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["sam.ortiz@acme.example"]
    assert "Northwind Logistics" in message.subject
    assert not message.alternatives  # plain text only
    link = next(line for line in message.body.splitlines() if "/p/" in line).strip()
    assert link.startswith("http")
    assert ShareLink.objects.get().sent_to == "sam.ortiz@acme.example"
    shared = client.get(urlsplit(link).path)
    assert shared.status_code == 200
    assert b"Warehouse management rollout" in shared.content


def test_send_without_a_cs_owner_email_sends_nothing(client_as, northwind):
    response = client_as("owner").post(reverse("handoff_send", args=[northwind.id]), {"days": "30"})
    assert response.status_code == 302
    assert mail.outbox == []
    assert not ShareLink.objects.exists()


def test_cs_owner_from_a_workspace_member(client_as, handoff, member):
    membership = member.memberships.get()
    client_as("owner").post(
        reverse("handoff_cs_owner", args=[handoff.id]),
        {"member": membership.id, "name": "", "email": "", "version": handoff.version},
    )
    handoff.refresh_from_db()
    assert (handoff.cs_owner_name, handoff.cs_owner_email) == (
        member.display_name,
        "member@acme.example",
    )


def test_cs_owner_cannot_be_a_member_of_another_workspace(client_as, handoff, outsider):
    before = state(handoff)
    response = client_as("owner").post(
        reverse("handoff_cs_owner", args=[handoff.id]),
        {"member": outsider.memberships.get().id, "version": handoff.version},
    )
    assert response.status_code == 422
    assert state(handoff) == before


def test_checklist_shows_what_is_open(client_as, northwind):
    page = client_as("viewer").get(reverse("handoff", args=[northwind.id])).content.decode()
    assert "A Customer Success owner is named" in page
    assert "is-open" in page


def test_unknown_download_format_is_404(client_as, northwind):
    response = client_as("owner").get(reverse("handoff_download", args=[northwind.id, "exe"]))
    assert response.status_code == 404


def test_download_is_an_attachment_with_the_playbook_name(client_as, northwind):
    response = client_as("viewer").get(
        reverse("handoff_download", args=[northwind.id, "csv"]) + "?table=stakeholders"
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="northwind-logistics-warehouse-management-rollout'
        '-playbook-stakeholders.csv"'
    )
