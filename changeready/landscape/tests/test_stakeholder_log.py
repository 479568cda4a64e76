"""The stakeholder log and its commitments: services, pages and who may write."""

from datetime import date
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from changeready.activity.models import ActivityEvent
from changeready.conftest import PEOPLE, WRITERS
from changeready.engagements.tests.factories import EngagementFactory
from changeready.landscape import services
from changeready.landscape.models import Commitment, StakeholderLogEntry
from changeready.landscape.tests.factories import StakeholderFactory
from changeready.landscape.tests.test_access import expected_status

pytestmark = pytest.mark.django_db

ENTRY_FORM = {
    "kind": "call",
    "date": "2026-02-12",
    "participants": "Tom Avery, Lena Kovacs",
    "summary": "Tom worries the slotting rules will slow the night shift.",
    "internal": "on",
}
COMMITMENT_FORM = {
    "text": "Tom Avery will own slotting rules",
    "owner": "Tom Avery",
    "due_date": "2026-03-01",
}


@pytest.fixture
def data(engagement, owner):
    person = StakeholderFactory(engagement=engagement, name="Tom Avery", kind="person")
    entry = services.create_log_entry(
        person, actor=owner, kind="meeting", date=date(2026, 2, 10), summary="Kick-off."
    )
    commitment = services.create_commitment(
        person, actor=owner, text="Tom briefs his managers", owner="Tom Avery", log_entry=entry
    )
    return SimpleNamespace(engagement=engagement, person=person, entry=entry, commitment=commitment)


def snapshot():
    return (
        sorted(StakeholderLogEntry.objects.values_list("id", "summary", "internal")),
        sorted(Commitment.objects.values_list("id", "text", "status", "log_entry")),
    )


def url(data, name, obj):
    return reverse(name, args=[data.engagement.id, obj.id])


# --- Services ------------------------------------------------------------------


def test_a_new_entry_is_internal_and_recorded_in_the_history(data, owner):
    entry = services.create_log_entry(
        data.person, actor=owner, kind="note", date=date(2026, 2, 11), summary="Quiet."
    )
    assert entry.internal is True
    assert entry.recorded_by == owner
    assert entry.engagement == data.engagement
    event = ActivityEvent.objects.get(obj_id=entry.id)
    assert (event.verb, event.obj_type, event.actor) == ("created", "log_entry", owner)


def test_editing_an_entry_records_what_changed(data, member):
    services.update_log_entry(data.entry, actor=member, summary="Kick-off, sponsor present.")
    event = ActivityEvent.objects.get(obj_id=data.entry.id, verb="updated")
    assert event.changes["summary"] == ["Kick-off.", "Kick-off, sponsor present."]


def test_an_edit_that_changes_nothing_records_nothing(data, member):
    services.update_log_entry(data.entry, actor=member, summary="Kick-off.")
    assert not ActivityEvent.objects.filter(obj_id=data.entry.id, verb="updated").exists()


def test_deleting_an_entry_keeps_its_commitments_unlinked(data, owner):
    entry_id = data.entry.id
    services.delete_log_entry(data.entry, actor=owner)
    data.commitment.refresh_from_db()
    assert data.commitment.log_entry is None
    assert ActivityEvent.objects.filter(obj_id=entry_id, verb="deleted").exists()


def test_commitment_status_change_is_recorded(data, owner):
    services.update_commitment(data.commitment, actor=owner, status="done")
    event = ActivityEvent.objects.get(obj_id=data.commitment.id, verb="updated")
    assert event.changes["status"] == ["Open", "Done"]


def test_a_commitment_cannot_link_another_stakeholders_entry(data, owner):
    other = StakeholderFactory(engagement=data.engagement, name="Lena", kind="person")
    with pytest.raises(ValidationError, match="same stakeholder"):
        services.create_commitment(other, actor=owner, text="x", owner="Lena", log_entry=data.entry)
    assert not other.commitments.exists()


def test_an_entry_needs_a_summary(data, owner):
    with pytest.raises(ValidationError, match="summary"):
        services.create_log_entry(data.person, actor=owner, date=date(2026, 2, 11), summary="")
    assert data.person.log_entries.count() == 1


# --- The page ------------------------------------------------------------------


def test_the_log_lists_newest_first_with_commitments(client_as, data, owner):
    services.create_log_entry(
        data.person, actor=owner, kind="email", date=date(2026, 2, 20), summary="Later mail."
    )
    page = client_as("viewer").get(url(data, "stakeholder", data.person)).content.decode()
    assert page.index("Later mail.") < page.index("Kick-off.")
    assert "Tom briefs his managers" in page
    assert "agreed in the meeting of 10 Feb 2026" in page
    assert 'id="log"' in page
    # A viewer reads the log but gets no way to change it.
    assert reverse("log_entry_create", args=[data.engagement.id, data.person.id]) not in page
    assert "Mark done" not in page


def test_writers_see_the_add_forms(client_as, data):
    page = client_as("member").get(url(data, "stakeholder", data.person)).content.decode()
    assert reverse("log_entry_create", args=[data.engagement.id, data.person.id]) in page
    assert reverse("commitment_create", args=[data.engagement.id, data.person.id]) in page


def test_empty_log_says_what_to_do(client_as, engagement):
    person = StakeholderFactory(engagement=engagement, name="Lena", kind="person")
    page = (
        client_as("owner")
        .get(reverse("stakeholder", args=[engagement.id, person.id]))
        .content.decode()
    )
    assert "Nothing logged yet" in page
    assert "No commitments recorded yet." in page


def test_htmx_add_returns_the_section_alone(client_as, data):
    response = client_as("member").post(
        url(data, "log_entry_create", data.person), ENTRY_FORM, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert '<section id="log"' in page
    assert "<html" not in page
    assert ENTRY_FORM["summary"] in page


def test_invalid_entry_keeps_what_was_typed_and_saves_nothing(client_as, data):
    before = snapshot()
    form = {**ENTRY_FORM, "date": ""}
    response = client_as("member").post(url(data, "log_entry_create", data.person), form)
    assert response.status_code == 200
    page = response.content.decode()
    assert "This field is required." in page
    assert "slow the night shift" in page
    assert snapshot() == before


def test_the_page_query_count_with_several_entries(
    client_as, data, owner, django_assert_num_queries
):
    """Six entries and six commitments: the same count as one of each (no query per row)."""
    for day in range(1, 6):
        entry = services.create_log_entry(
            data.person, actor=owner, date=date(2026, 3, day), summary=f"Call {day}."
        )
        services.create_commitment(
            data.person, actor=owner, text=f"Promise {day}", owner="Tom", log_entry=entry
        )
    client = client_as("owner")
    path = url(data, "stakeholder", data.person)
    # 17: one of them asks whether the person is a customer contributor.
    with django_assert_num_queries(17):
        page = client.get(path).content.decode()
    assert "Promise 5" in page
    assert "Call 5." in page


# --- Access ------------------------------------------------------------------------


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("name", ["log_entry_delete", "commitment_delete"])
def test_delete_confirmation_pages_are_for_writers(client_as, data, person, name):
    obj = data.entry if name == "log_entry_delete" else data.commitment
    before = snapshot()
    response = client_as(person).get(url(data, name, obj))
    assert response.status_code == expected_status(person, write=True)
    assert snapshot() == before


WRITE_CASES = {
    "add_entry": (
        lambda d: url(d, "log_entry_create", d.person),
        ENTRY_FORM,
        lambda d: d.person.log_entries.filter(kind="call").exists(),
    ),
    "add_commitment": (
        lambda d: url(d, "commitment_create", d.person),
        COMMITMENT_FORM,
        lambda d: d.person.commitments.filter(owner="Tom Avery", due_date="2026-03-01").exists(),
    ),
    "mark_done": (
        lambda d: url(d, "commitment_status", d.commitment),
        {"status": "done"},
        lambda d: Commitment.objects.get(pk=d.commitment.pk).status == "done",
    ),
    "delete_entry": (
        lambda d: url(d, "log_entry_delete", d.entry),
        {},
        lambda d: not StakeholderLogEntry.objects.filter(pk=d.entry.pk).exists(),
    ),
    "delete_commitment": (
        lambda d: url(d, "commitment_delete", d.commitment),
        {},
        lambda d: not Commitment.objects.filter(pk=d.commitment.pk).exists(),
    ),
}


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("case", WRITE_CASES)
def test_writes(client_as, data, person, case):
    make_url, form, written = WRITE_CASES[case]
    before = snapshot()
    response = client_as(person).post(make_url(data), form)
    if person in WRITERS:
        assert response.status_code == 302
        assert written(data)
    else:
        assert response.status_code == expected_status(person, write=True)
        assert snapshot() == before


@pytest.mark.parametrize("name", ["log_entry_create", "commitment_create", "commitment_status"])
def test_write_endpoints_refuse_get(client_as, data, name):
    obj = data.commitment if name == "commitment_status" else data.person
    before = snapshot()
    assert client_as("owner").get(url(data, name, obj)).status_code == 405
    assert snapshot() == before


def test_another_engagements_entry_is_404_inside_the_workspace(client_as, data, workspace):
    other = EngagementFactory(workspace=workspace)
    before = snapshot()
    path = reverse("log_entry_delete", args=[other.id, data.entry.id])
    assert client_as("owner").post(path).status_code == 404
    assert snapshot() == before
