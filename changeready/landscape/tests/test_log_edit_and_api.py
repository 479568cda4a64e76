"""Editing log entries and commitments, on their pages and through the API."""

import json
from datetime import date
from types import SimpleNamespace

import pytest
from django.urls import reverse

from changeready.activity.models import ActivityEvent
from changeready.conftest import PEOPLE, WRITERS
from changeready.engagements.tests.factories import EngagementFactory
from changeready.landscape import services
from changeready.landscape.models import Commitment, StakeholderLogEntry
from changeready.landscape.tests.factories import StakeholderFactory
from changeready.landscape.tests.test_access import expected_status

pytestmark = pytest.mark.django_db


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


@pytest.fixture
def foreign(other_workspace, outsider):
    person = StakeholderFactory(
        engagement=EngagementFactory(workspace=other_workspace), name="Rival", kind="person"
    )
    entry = services.create_log_entry(person, actor=outsider, date=date(2026, 1, 5), summary="X")
    commitment = services.create_commitment(person, actor=outsider, text="Y", owner="Z")
    return SimpleNamespace(person=person, entry=entry, commitment=commitment)


def snapshot():
    return (
        sorted(StakeholderLogEntry.objects.values_list("id", "summary", "internal", "version")),
        sorted(Commitment.objects.values_list("id", "text", "status", "internal", "version")),
    )


def page_url(data, name, obj):
    return reverse(name, args=[data.engagement.id, obj.id])


ENTRY_EDIT = {
    "kind": "call",
    "date": "2026-02-11",
    "participants": "Tom Avery",
    "summary": "Kick-off, moved to a call.",
    "internal": "on",
}
COMMITMENT_EDIT = {
    "text": "Tom briefs all shift managers",
    "owner": "Tom Avery",
    "due_date": "2026-03-02",
    "log_entry": "",
}


# --- Edit pages ------------------------------------------------------------------


def test_the_entry_edit_page_saves_and_records_what_changed(client_as, data):
    client = client_as("member")
    path = page_url(data, "log_entry_edit", data.entry)
    page = client.get(path).content.decode()
    assert "Kick-off." in page
    assert 'name="version" value="1"' in page
    response = client.post(path, {**ENTRY_EDIT, "version": "1"})
    assert response.status_code == 302
    assert response.url.endswith("#log")
    data.entry.refresh_from_db()
    assert (data.entry.kind, data.entry.summary, data.entry.version) == (
        "call",
        "Kick-off, moved to a call.",
        2,
    )
    event = ActivityEvent.objects.get(obj_id=data.entry.id, verb="updated")
    assert event.changes["summary"] == ["Kick-off.", "Kick-off, moved to a call."]


def test_the_commitment_edit_page_can_mark_it_internal(client_as, data):
    path = page_url(data, "commitment_edit", data.commitment)
    response = client_as("admin").post(path, {**COMMITMENT_EDIT, "internal": "on", "version": "1"})
    assert response.status_code == 302
    data.commitment.refresh_from_db()
    assert data.commitment.internal is True
    assert data.commitment.log_entry is None
    assert data.commitment.text == "Tom briefs all shift managers"


def test_an_edit_based_on_an_old_version_is_refused_and_keeps_what_was_typed(
    client_as, data, owner
):
    services.update_log_entry(data.entry, actor=owner, summary="Someone else's words.")
    before = snapshot()
    path = page_url(data, "log_entry_edit", data.entry)
    response = client_as("member").post(path, {**ENTRY_EDIT, "version": "1"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "changed by someone else" in page
    assert "Kick-off, moved to a call." in page
    assert snapshot() == before


def test_an_invalid_edit_shows_the_error_and_saves_nothing(client_as, data):
    before = snapshot()
    path = page_url(data, "commitment_edit", data.commitment)
    response = client_as("member").post(path, {**COMMITMENT_EDIT, "owner": "", "version": "1"})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert snapshot() == before


def test_the_stakeholder_page_links_to_the_edit_pages_for_writers_only(client_as, data):
    links = [
        page_url(data, "log_entry_edit", data.entry),
        page_url(data, "commitment_edit", data.commitment),
    ]
    writer_page = client_as("member").get(page_url(data, "stakeholder", data.person))
    viewer_page = client_as("viewer").get(page_url(data, "stakeholder", data.person))
    for link in links:
        assert link in writer_page.content.decode()
        assert link not in viewer_page.content.decode()


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("name", ["log_entry_edit", "commitment_edit"])
def test_edit_pages_are_for_writers(client_as, data, person, name):
    obj = data.entry if name == "log_entry_edit" else data.commitment
    form = ENTRY_EDIT if name == "log_entry_edit" else COMMITMENT_EDIT
    client = client_as(person)
    before = snapshot()
    assert client.get(page_url(data, name, obj)).status_code == expected_status(person, write=True)
    assert snapshot() == before
    response = client.post(page_url(data, name, obj), {**form, "version": "1"})
    if person in WRITERS:
        assert response.status_code == 302
        assert snapshot() != before
    else:
        assert response.status_code == expected_status(person, write=True)
        assert snapshot() == before


def test_another_engagements_commitment_cannot_be_edited_through_this_one(
    client_as, data, workspace
):
    other = EngagementFactory(workspace=workspace)
    before = snapshot()
    path = reverse("commitment_edit", args=[other.id, data.commitment.id])
    assert client_as("owner").post(path, {**COMMITMENT_EDIT, "version": "1"}).status_code == 404
    assert snapshot() == before


# --- The API -----------------------------------------------------------------------


def send(client, method, path, body=None, **headers):
    payload = json.dumps(body) if body is not None else None
    return getattr(client, method)(
        f"/api/v1{path}", payload, content_type="application/json", headers=headers
    )


def test_api_log_entry_round_trip(api_client_as, data):
    client = api_client_as("member")
    created = send(
        client,
        "post",
        f"/stakeholders/{data.person.id}/log",
        {"kind": "email", "date": "2026-02-14", "summary": "Sent the slotting draft."},
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["internal"] is True  # internal unless said otherwise
    assert body["recorded_by"] == "member@acme.example"
    assert body["stakeholder"] == str(data.person.id)

    listed = send(client, "get", f"/stakeholders/{data.person.id}/log").json()
    summaries = [item["summary"] for item in listed["items"]]
    assert summaries == ["Sent the slotting draft.", "Kick-off."]
    assert listed["count"] == 2

    patched = send(
        client,
        "patch",
        f"/log-entries/{body['id']}",
        {"internal": False, "participants": "Tom Avery"},
        **{"If-Match": "1"},
    )
    assert patched.status_code == 200, patched.content
    assert (patched.json()["internal"], patched.json()["version"]) == (False, 2)
    assert patched.json()["summary"] == "Sent the slotting draft."

    assert send(client, "delete", f"/log-entries/{body['id']}").status_code == 204
    assert not StakeholderLogEntry.objects.filter(id=body["id"]).exists()
    verbs = ActivityEvent.objects.filter(obj_id=body["id"]).values_list("verb", flat=True)
    assert sorted(verbs) == ["created", "deleted", "updated"]


def test_api_commitment_round_trip_and_marking_done(api_client_as, data):
    client = api_client_as("admin")
    created = send(
        client,
        "post",
        f"/stakeholders/{data.person.id}/commitments",
        {
            "text": "Tom owns slotting rules",
            "owner": "Tom Avery",
            "due_date": "2026-03-01",
            "log_entry": str(data.entry.id),
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["status"], body["internal"], body["log_entry"]) == (
        "open",
        False,
        str(data.entry.id),
    )
    done = send(client, "patch", f"/commitments/{body['id']}", {"status": "done"})
    assert done.json()["status"] == "done"
    cleared = send(client, "patch", f"/commitments/{body['id']}", {"due_date": None})
    assert cleared.json()["due_date"] is None
    assert cleared.json()["status"] == "done"
    read = send(client, "get", f"/commitments/{body['id']}").json()
    assert read == cleared.json()
    listed = send(client, "get", f"/stakeholders/{data.person.id}/commitments").json()
    assert listed["count"] == 2
    assert send(client, "delete", f"/commitments/{body['id']}").status_code == 204
    assert not Commitment.objects.filter(id=body["id"]).exists()


def test_api_stale_if_match_is_a_409_and_changes_nothing(api_client_as, data, owner):
    services.update_commitment(data.commitment, actor=owner, owner="Lena Kovacs")
    before = snapshot()
    response = send(
        api_client_as("member"),
        "patch",
        f"/commitments/{data.commitment.id}",
        {"text": "Overwritten"},
        **{"If-Match": "1"},
    )
    assert response.status_code == 409
    assert snapshot() == before


def test_api_refuses_another_stakeholders_log_entry(api_client_as, data, engagement):
    other = StakeholderFactory(engagement=engagement, name="Lena", kind="person")
    before = snapshot()
    response = send(
        api_client_as("owner"),
        "post",
        f"/stakeholders/{other.id}/commitments",
        {"text": "x", "owner": "Lena", "log_entry": str(data.entry.id)},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["path"] == ["log_entry"]
    assert snapshot() == before


@pytest.mark.parametrize(
    "body",
    [
        {"date": "2026-02-14", "summary": ""},
        {"summary": "no date"},
        {"date": "2026-02-14", "summary": "x", "secret": True},
        {"date": "2026-02-14", "summary": "x", "internal": "yes"},
    ],
)
def test_api_invalid_log_entries_are_422(api_client_as, data, body):
    before = snapshot()
    response = send(api_client_as("owner"), "post", f"/stakeholders/{data.person.id}/log", body)
    assert response.status_code == 422
    assert snapshot() == before


def api_cases(data):
    """(method, path, body) of every log and commitment endpoint, on `data`'s objects."""
    entry = {"date": "2026-02-14", "summary": "A call."}
    commitment = {"text": "A promise", "owner": "Tom"}
    return [
        ("get", f"/stakeholders/{data.person.id}/log", None),
        ("post", f"/stakeholders/{data.person.id}/log", entry),
        ("get", f"/log-entries/{data.entry.id}", None),
        ("patch", f"/log-entries/{data.entry.id}", {"summary": "Changed."}),
        ("delete", f"/log-entries/{data.entry.id}", None),
        ("get", f"/stakeholders/{data.person.id}/commitments", None),
        ("post", f"/stakeholders/{data.person.id}/commitments", commitment),
        ("get", f"/commitments/{data.commitment.id}", None),
        ("patch", f"/commitments/{data.commitment.id}", {"status": "done"}),
        ("delete", f"/commitments/{data.commitment.id}", None),
    ]


@pytest.mark.parametrize("index", range(10))
@pytest.mark.parametrize("person", ["viewer", "outsider", "anonymous"])
def test_api_access(api_client_as, data, person, index):
    method, path, body = api_cases(data)[index]
    before = snapshot()
    response = send(api_client_as(person), method, path, body)
    expected = {"viewer": 200 if method == "get" else 403, "outsider": 404, "anonymous": 401}
    assert response.status_code == expected[person], response.content
    assert snapshot() == before


@pytest.mark.parametrize("index", range(10))
def test_api_another_workspaces_objects_are_404(api_client_as, data, foreign, index):
    method, path, body = api_cases(foreign)[index]
    before = snapshot()
    assert send(api_client_as("owner"), method, path, body).status_code == 404
    assert snapshot() == before


@pytest.mark.parametrize("index", range(10))
def test_api_writers_succeed(api_client_as, data, index):
    method, path, body = api_cases(data)[index]
    response = send(api_client_as("member"), method, path, body)
    assert response.status_code == {"get": 200, "post": 201, "patch": 200, "delete": 204}[method]
