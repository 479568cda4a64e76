"""The Handoff page and its actions, for every kind of person (owner … anonymous)."""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from changeready.activity.models import ActivityEvent
from changeready.assessment.services import assess_engagement
from changeready.common import mail as common_mail
from changeready.conftest import MANAGERS, PEOPLE, WRITERS
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
        "send": (
            reverse("handoff_send", args=[engagement.id]),
            {"days": "30", "confirm_open": "yes"},
        ),
        "link": (reverse("handoff_link_create", args=[engagement.id]), {"days": "14"}),
        "revoke": (reverse("handoff_link_revoke", args=[engagement.id, link.id]), {}),
    }


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("action", ["cs_owner", "send", "link", "revoke"])
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
    services.accept_handoff(handoff, membership=owner.memberships.get())
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


def handoff_events(engagement, verb):
    return list(
        ActivityEvent.objects.filter(engagement=engagement, obj_type="handoff", verb=verb)
        .order_by("created_at")
        .values_list("actor_id", "summary")
    )


@pytest.mark.parametrize("person", PEOPLE)
def test_only_managers_accept_for_a_cs_owner_outside_the_workspace(client_as, handoff, person):
    before = state(handoff)
    response = client_as(person).post(reverse("handoff_accept", args=[handoff.id]))
    accepted = handoff_events(handoff, "accepted")
    if person in MANAGERS:
        assert response.status_code == 302
        handoff.refresh_from_db()
        user = handoff.handoff_accepted_by
        assert user.email == f"{person}@acme.example"
        assert accepted == [
            (
                user.id,
                "accepted handoff “Warehouse management rollout”: on behalf of Sam Ortiz "
                "(sam.ortiz@acme.example)",
            )
        ]
    else:
        assert response.status_code == {"member": 403, "viewer": 403, "outsider": 404}.get(
            person, 302
        )
        assert state(handoff) == before
        assert accepted == []


def test_the_named_cs_owner_accepts_as_themselves(client_as, handoff, member):
    handoff.cs_owner_email = "Member@Acme.example"
    handoff.save()
    page = client_as("member").get(reverse("handoff", args=[handoff.id])).content.decode()
    assert "Accept the handoff</button>" in page
    response = client_as("member").post(reverse("handoff_accept", args=[handoff.id]))
    assert response.status_code == 302
    handoff.refresh_from_db()
    assert handoff.handoff_accepted_by == member
    [(_, summary)] = handoff_events(handoff, "accepted")
    assert summary.endswith(": as the Customer Success owner")
    page = client_as("viewer").get(reverse("handoff", args=[handoff.id])).content.decode()
    assert f"Accepted by <strong>{member.display_name}</strong> on " in page


def test_a_viewer_named_cs_owner_cannot_accept(client_as, handoff, viewer):
    handoff.cs_owner_email = viewer.email
    handoff.save()
    before = state(handoff)
    assert client_as("viewer").post(reverse("handoff_accept", args=[handoff.id])).status_code == 403
    assert state(handoff) == before


def test_without_a_named_cs_owner_nobody_accepts(client_as, northwind):
    page = client_as("owner").get(reverse("handoff", args=[northwind.id])).content.decode()
    assert "Name the Customer Success owner first" in page
    assert reverse("handoff_accept", args=[northwind.id]) not in page
    response = client_as("owner").post(reverse("handoff_accept", args=[northwind.id]))
    assert response.status_code == 403
    northwind.refresh_from_db()
    assert northwind.handoff_accepted_at is None


def test_the_accept_button_says_on_whose_behalf(client_as, handoff):
    admin_page = client_as("admin").get(reverse("handoff", args=[handoff.id])).content.decode()
    assert "Accept on behalf of Sam Ortiz</button>" in admin_page
    member_page = client_as("member").get(reverse("handoff", args=[handoff.id])).content.decode()
    assert reverse("handoff_accept", args=[handoff.id]) not in member_page
    assert "Sam Ortiz, the named Customer Success owner, accepts the handoff" in member_page
    client_as("admin").post(reverse("handoff_accept", args=[handoff.id]))
    page = client_as("viewer").get(reverse("handoff", args=[handoff.id])).content.decode()
    assert "</strong> on behalf of Sam Ortiz on " in page


def test_accept_records_who_and_when_and_clears_the_finding(client_as, handoff, member):
    handoff.cs_owner_email = member.email
    handoff.save()
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
    services.accept_handoff(handoff, membership=owner.memberships.get())
    first = Engagement.objects.get(id=handoff.id).handoff_accepted_at
    client_as("admin").post(reverse("handoff_accept", args=[handoff.id]))
    handoff.refresh_from_db()
    assert (handoff.handoff_accepted_by_id, handoff.handoff_accepted_at) == (owner.id, first)


def test_send_emails_the_cs_owner_a_working_link(
    client, client_as, handoff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as("admin").post(
            reverse("handoff_send", args=[handoff.id]), {"days": "30", "confirm_open": "yes"}
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    expires_at = ShareLink.objects.get().expires_at
    assert f"The link works until {timezone.localtime(expires_at):%A %-d %B %Y}:" in message.body
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


def test_a_cs_owner_chosen_among_members_stays_chosen_after_saving(client_as, handoff, member):
    membership = member.memberships.get()
    client_as("owner").post(
        reverse("handoff_cs_owner", args=[handoff.id]),
        {"member": membership.id, "name": "", "email": "", "version": handoff.version},
    )
    form = client_as("owner").get(reverse("handoff", args=[handoff.id])).context["cs_form"]
    assert form["member"].value() == membership.pk
    assert f'<option value="{membership.pk}" selected>' in str(form["member"])


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


def test_sending_with_open_items_asks_first_then_records_what_was_open(
    client_as, handoff, admin, django_capture_on_commit_callbacks
):
    url = reverse("handoff_send", args=[handoff.id])
    before = state(handoff)
    confirm = client_as("admin").post(url, {"days": "30"})
    assert confirm.status_code == 200
    page = confirm.content.decode()
    assert "Send the handoff with items still open?" in page
    assert "No open critical findings" in page
    assert "Customer Success accepted the handoff" not in page  # that comes after sending
    assert 'name="confirm_open" value="yes"' in page
    assert state(handoff) == before

    with django_capture_on_commit_callbacks(execute=True):
        client_as("admin").post(url, {"days": "30", "confirm_open": "yes"})
    assert len(mail.outbox) == 1
    [(actor, summary)] = handoff_events(handoff, "sent")
    assert actor == admin.id
    assert summary.startswith(
        "sent handoff “Warehouse management rollout”: to sam.ortiz@acme.example, with open: "
    )
    assert "No open critical findings" in summary


def test_sending_with_nothing_open_asks_nothing(
    client_as, handoff, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(services, "open_checklist_items", lambda engagement: [])
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as("member").post(
            reverse("handoff_send", args=[handoff.id]), {"days": "30"}
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    [(_, summary)] = handoff_events(handoff, "sent")
    assert summary.endswith(": to sam.ortiz@acme.example")


def test_the_page_says_until_when_a_sent_link_works(client_as, handoff):
    page = client_as("member").get(reverse("handoff", args=[handoff.id])).content.decode()
    end = services.hypercare_end(handoff)
    assert f"works until {end:%-d %B %Y}: links work at least until hypercare ends" in page


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


def test_a_failed_handoff_email_keeps_the_committed_link_and_the_request_succeeds(
    client_as, handoff, monkeypatch, django_capture_on_commit_callbacks
):
    def refuse(**kwargs):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr(common_mail, "send_mail", refuse)

    with django_capture_on_commit_callbacks(execute=True):
        response = client_as("admin").post(
            reverse("handoff_send", args=[handoff.id]), {"days": "30", "confirm_open": "yes"}
        )

    assert response.status_code == 302
    assert ShareLink.objects.filter(sent_to="sam.ortiz@acme.example").exists()
