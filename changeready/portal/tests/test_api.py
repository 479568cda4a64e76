"""The customer contributors through the API: the same services as the stakeholder page."""

import re
from datetime import datetime

import pytest
from django.core import mail
from django.urls import reverse

from changeready.portal import links, services
from changeready.portal.models import Contributor

pytestmark = pytest.mark.django_db


def invite(client, stakeholder):
    return client.post(
        f"/api/v1/stakeholders/{stakeholder.id}/contributor", {}, content_type="application/json"
    )


def test_inviting_emails_the_link_and_never_answers_with_it(
    api_client_as, marcus, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(api_client_as("member"), marcus)
    assert response.status_code == 201
    body = response.json()
    contributor = Contributor.objects.get(stakeholder=marcus)
    assert body["id"] == str(contributor.id)
    assert (body["name"], body["email"], body["status"]) == (
        "Marcus Webb",
        "m.webb@northwind.example",
        "active",
    )
    assert body["link_expires_at"] is not None and body["revoked_at"] is None
    [email] = mail.outbox
    assert email.to == ["m.webb@northwind.example"]
    # The emailed link (signed with the time: compared by what it opens, not as text).
    [path] = re.findall(r"/c/[^/\s]+/", email.body)
    assert links.contributor_from_token(path.split("/")[2]) == contributor
    assert client.get(path).status_code == 200
    assert "/c/" not in response.content.decode()  # no link in the answer


@pytest.mark.parametrize(
    ("who", "message"),
    [
        ("Shift leads", "Only a person can be a contributor"),
        ("Lena Kovacs", "email address first"),
        ("Marcus Webb", "already a contributor"),
    ],
)
def test_who_cannot_be_invited_is_a_422_saying_why(
    api_client_as, northwind, contributor, who, message
):
    stakeholder = northwind.stakeholders.get(name=who)
    response = invite(api_client_as("owner"), stakeholder)
    assert response.status_code == 422
    assert message in response.json()["errors"][0]["message"]
    assert Contributor.objects.count() == 1


def test_the_list_holds_active_and_revoked_contributors(
    api_client_as, northwind, contributor, owner
):
    services.revoke_contributor(contributor, revoked_by=owner)
    response = api_client_as("viewer").get(f"/api/v1/engagements/{northwind.id}/contributors")
    assert response.status_code == 200
    [row] = response.json()
    assert (row["id"], row["status"], row["link_expires_at"]) == (
        str(contributor.id),
        "revoked",
        None,
    )


def test_resend_sends_a_fresh_link(api_client_as, contributor, django_capture_on_commit_callbacks):
    before = contributor.sent_at
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client_as("member").post(f"/api/v1/contributors/{contributor.id}/resend")
    assert response.status_code == 200
    assert datetime.fromisoformat(response.json()["sent_at"]) > before
    assert [email.to for email in mail.outbox] == [["m.webb@northwind.example"]]


def test_revoking_stops_every_link_and_asking_again_changes_nothing(
    api_client_as, contributor, token, client
):
    url = f"/api/v1/contributors/{contributor.id}/revoke"
    first = api_client_as("member").post(url)
    assert first.status_code == 200 and first.json()["status"] == "revoked"
    assert client.get(reverse("portal", args=[token])).status_code == 404
    again = api_client_as("member").post(url)
    assert again.json()["revoked_at"] == first.json()["revoked_at"]
    # Sending a link to a revoked contributor is refused: invite them again instead.
    resend = api_client_as("member").post(f"/api/v1/contributors/{contributor.id}/resend")
    assert resend.status_code == 422
    assert "invite them again" in resend.json()["errors"][0]["message"]
    reinvited = invite(api_client_as("member"), contributor.stakeholder)
    assert reinvited.status_code == 201 and reinvited.json()["status"] == "active"


def test_another_workspace_sees_none_of_it(api_client_as, northwind, contributor):
    outsider = api_client_as("outsider")
    assert outsider.get(f"/api/v1/contributors/{contributor.id}").status_code == 404
    assert outsider.get(f"/api/v1/engagements/{northwind.id}/contributors").status_code == 404
    assert outsider.post(f"/api/v1/contributors/{contributor.id}/revoke").status_code == 404
    contributor.refresh_from_db()
    assert contributor.revoked_at is None
