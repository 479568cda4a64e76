"""The team's side: invite, resend, revoke and preview from the stakeholder page."""

import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from changeready.activity.models import ActivityEvent
from changeready.conftest import PEOPLE, WRITERS
from changeready.portal import links, services
from changeready.portal.models import Contributor
from changeready.portal.tests.conftest import RESISTOR

pytestmark = pytest.mark.django_db


def invite(client, engagement, stakeholder):
    return client.post(reverse("contributor_invite", args=[engagement.id, stakeholder.id]))


@pytest.mark.parametrize("person", PEOPLE)
def test_only_writers_of_the_workspace_invite(
    client_as, person, northwind, marcus, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(client_as(person), northwind, marcus)
    invited = Contributor.objects.filter(stakeholder=marcus).exists()
    if person in WRITERS:
        assert response.status_code == 302
        assert response["Location"].endswith(f"/stakeholders/{marcus.id}/#contributor")
        assert invited
        assert len(mail.outbox) == 1
    else:
        expected = {"viewer": 403, "outsider": 404, "anonymous": 302}[person]
        assert response.status_code == expected
        assert not invited
        assert not mail.outbox


def test_the_invitation_email_carries_a_working_personal_link_and_an_opt_out(
    client, client_as, northwind, marcus, owner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invite(client_as("owner"), northwind, marcus)
    [email] = mail.outbox
    assert email.to == ["m.webb@northwind.example"]
    assert "Warehouse management rollout" in email.subject
    assert "2 still to do" in email.body
    assert RESISTOR not in email.body
    portal_link = re.search(r"http://testserver(/c/\S+/)", email.body).group(1)
    assert client.get(portal_link).status_code == 200
    assert re.search(r"Stop emails like this one: http://testserver/emails/stop/\S+/", email.body)
    event = ActivityEvent.objects.get(engagement=northwind, obj_type="contributor")
    assert (event.verb, event.actor) == ("invited", owner)
    assert "m.webb@northwind.example" in event.summary


def test_a_group_or_a_person_without_email_cannot_be_invited(client_as, northwind):
    client = client_as("owner")
    group = northwind.stakeholders.get(name="Shift leads")
    lena = northwind.stakeholders.get(name="Lena Kovacs")
    for stakeholder, message in ((group, "Only a person"), (lena, "email address first")):
        response = client.post(
            reverse("contributor_invite", args=[northwind.id, stakeholder.id]), follow=True
        )
        assert message in response.content.decode()
    assert not Contributor.objects.exists()


def test_inviting_twice_is_refused(client_as, northwind, marcus, contributor):
    response = client_as("owner").post(
        reverse("contributor_invite", args=[northwind.id, marcus.id]), follow=True
    )
    assert "already a contributor" in response.content.decode()
    assert Contributor.objects.count() == 1


def test_another_workspaces_stakeholder_cannot_be_invited(client_as, northwind, marcus):
    response = client_as("outsider").post(
        reverse("contributor_invite", args=[northwind.id, marcus.id])
    )
    assert response.status_code == 404


def test_resend_sends_a_fresh_link_and_records_it(
    client_as, northwind, contributor, django_capture_on_commit_callbacks
):
    url = reverse("contributor_resend", args=[northwind.id, contributor.id])
    with django_capture_on_commit_callbacks(execute=True):
        assert client_as("member").post(url).status_code == 302
    [email] = mail.outbox
    assert email.subject.startswith("Reminder:")
    assert "/emails/stop/" in email.body
    assert ActivityEvent.objects.filter(obj_id=contributor.id, verb="sent").exists()
    assert client_as("viewer").post(url).status_code == 403


def test_revoke_stops_every_link_at_once(client, client_as, northwind, contributor, token):
    url = reverse("contributor_revoke", args=[northwind.id, contributor.id])
    assert client_as("viewer").post(url).status_code == 403
    assert client.get(reverse("portal", args=[token])).status_code == 200
    assert client_as("admin").post(url).status_code == 302
    assert client.get(reverse("portal", args=[token])).status_code == 404
    contributor.refresh_from_db()
    assert contributor.status == "revoked"
    assert ActivityEvent.objects.filter(obj_id=contributor.id, verb="revoked").exists()


def test_another_workspaces_contributor_is_out_of_reach(client_as, northwind, contributor):
    for name in ("contributor_resend", "contributor_revoke"):
        url = reverse(name, args=[northwind.id, contributor.id])
        assert client_as("outsider").post(url).status_code == 404
    preview = reverse("contributor_preview", args=[northwind.id, contributor.id])
    assert client_as("outsider").get(preview).status_code == 404
    contributor.refresh_from_db()
    assert contributor.revoked_at is None


def test_the_stakeholder_page_shows_the_contributor_and_their_status(
    client, client_as, northwind, marcus, contributor, token, marcus_items
):
    url = reverse("stakeholder", args=[northwind.id, marcus.id])
    html = client_as("member").get(url).content.decode()
    assert "invited, has not acted yet" in html
    assert "Send the link again" in html and "Revoke access" in html
    client.post(
        reverse("portal_action", args=[token, marcus_items[0].id, "comment"]),
        {"text": "On it."},
    )
    html = client_as("viewer").get(url).content.decode()
    assert "active, last on" in html
    assert "On it." in html
    assert "Revoke access" not in html  # a viewer reads, and cannot act


def test_the_contributor_list_shows_each_status(client_as, northwind, contributor):
    html = client_as("viewer").get(reverse("contributors", args=[northwind.id])).content.decode()
    assert "Marcus Webb" in html and "Invited" in html
    assert (
        client_as("outsider").get(reverse("contributors", args=[northwind.id])).status_code == 404
    )


def test_opting_out_asks_first_then_stops_the_emails(client, contributor, northwind):
    url = reverse("portal_opt_out", args=[links.opt_out_token(contributor)])
    response = client.get(url)
    assert response.status_code == 200
    assert "Stop these emails" in response.content.decode()
    contributor.refresh_from_db()
    assert contributor.emails_opted_out_at is None
    response = client.post(url)
    assert "you will get no more reminders" in response.content.decode()
    contributor.refresh_from_db()
    assert contributor.emails_opted_out_at is not None
    assert not contributor.wants_email
    event = ActivityEvent.objects.get(obj_id=contributor.id, verb="updated")
    assert event.actor_label == "Marcus Webb (customer contributor)"
    assert client.get(reverse("portal_opt_out", args=["forged"])).status_code == 404


def test_a_contributor_who_opted_out_gets_no_reminder(owner, contributor):
    services.opt_out_of_emails(contributor)
    with pytest.raises(ValidationError, match="no more emails"):
        services.resend_invitation(contributor, sent_by=owner)


def test_the_link_is_sent_again_to_the_address_the_landscape_holds_now(
    owner, marcus, contributor, django_capture_on_commit_callbacks
):
    marcus.email = "marcus.webb@northwind.example"
    marcus.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.resend_invitation(contributor, sent_by=owner)
    assert [email.to for email in mail.outbox] == [["marcus.webb@northwind.example"]]
    contributor.refresh_from_db()
    assert contributor.email == "marcus.webb@northwind.example"
