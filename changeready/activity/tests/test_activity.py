import datetime

import pytest
from django.urls import reverse

from changeready.accounts.tests.factories import UserFactory
from changeready.activity.models import ActivityEvent
from changeready.activity.services import record_activity
from changeready.conftest import PEOPLE
from changeready.engagements import services as engagement_services
from changeready.landscape import services as landscape_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def priya(db):
    return UserFactory(name="Priya", email="priya@acme.example")


def test_engagement_create_update_delete_are_recorded(workspace, priya):
    engagement = engagement_services.create_engagement(
        workspace=workspace,
        actor=priya,
        name="WMS rollout",
        customer="Northwind",
        go_live_date=datetime.date(2027, 4, 5),
    )
    engagement_services.update_engagement(
        engagement, expected_version=None, actor=priya, phase="test", cs_owner_name="Kim"
    )
    events = list(ActivityEvent.objects.filter(engagement=engagement))
    assert [e.verb for e in events] == ["updated", "created"]  # newest first
    updated = events[0]
    assert str(updated) == (
        "Priya changed engagement “WMS rollout”: phase Discovery → Test; CS owner — → Kim"
    )
    assert updated.changes["cs_owner_name"] == ["—", "Kim"]
    assert updated.changes["phase"][1] == "Test"
    assert updated.actor == priya

    engagement_id = engagement.id
    engagement_services.delete_engagement(engagement, actor=priya)
    # The engagement's history went with it; the deletion stays in the workspace.
    remaining = list(ActivityEvent.objects.for_workspace(workspace))
    assert [(e.verb, e.obj_type, e.obj_id, e.engagement_id) for e in remaining] == [
        ("deleted", "engagement", engagement_id, None)
    ]
    assert str(remaining[0]) == "Priya deleted engagement “WMS rollout”"


def test_an_update_that_changes_nothing_is_not_recorded(engagement, priya):
    engagement_services.update_engagement(
        engagement, expected_version=None, actor=priya, name=engagement.name
    )
    assert not ActivityEvent.objects.filter(verb="updated").exists()


def test_stakeholder_changes_read_as_sentences_and_outlive_the_stakeholder(engagement, priya):
    stakeholder = landscape_services.create_stakeholder(
        engagement, actor=priya, name="Shift leads", role="people_manager", influence=3
    )
    landscape_services.update_stakeholder(
        stakeholder,
        expected_version=None,
        actor=priya,
        influence=4,
        engagement_level="resistant",
        job_gets_harder=True,
    )
    stakeholder_id = stakeholder.id
    landscape_services.delete_stakeholder(stakeholder, actor=priya)
    summaries = [str(e) for e in ActivityEvent.objects.filter(engagement=engagement)]
    assert summaries == [
        "Priya deleted stakeholder “Shift leads”",
        "Priya changed stakeholder “Shift leads”: influence 3 → 4; "
        "current engagement Neutral → Resistant; their job gets harder at go-live no → yes",
        "Priya added stakeholder “Shift leads”",
    ]
    assert all(e.obj_id == stakeholder_id for e in ActivityEvent.objects.all())


def test_the_form_already_changed_the_instance_yet_the_old_value_is_kept(engagement, priya):
    stakeholder = landscape_services.create_stakeholder(engagement, name="Pickers", impact=2)
    stakeholder.impact = 5  # as a ModelForm does before the service runs
    landscape_services.update_stakeholder(stakeholder, expected_version=None, impact=5)
    event = ActivityEvent.objects.get(verb="updated")
    assert event.changes == {"impact": [2, 5]}
    assert event.actor_label == "changeready"  # no actor: an automatic change


def test_resistance_point_changes_are_recorded(engagement, priya):
    stakeholder = landscape_services.create_stakeholder(engagement, name="Pickers")
    point = landscape_services.create_resistance_point(
        engagement, actor=priya, stakeholder=stakeholder, source="habit", severity=3
    )
    landscape_services.update_resistance_point(
        point, expected_version=None, actor=priya, status="resolved", strategy="coach"
    )
    landscape_services.delete_resistance_point(point, actor=priya)
    summaries = [str(e) for e in ActivityEvent.objects.filter(obj_type="resistance_point")]
    assert summaries == [
        "Priya deleted resistance point “Habit (Pickers)”",
        "Priya changed resistance point “Habit (Pickers)”: "
        "mitigation status Open → Resolved; mitigation strategy — → Coach",
        "Priya added resistance point “Habit (Pickers)”",
    ]


def test_a_refused_write_leaves_no_trace(engagement, priya):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        landscape_services.create_stakeholder(engagement, actor=priya, name="X", influence=9)
    assert not ActivityEvent.objects.exists()


def test_unknown_verbs_are_refused(engagement):
    with pytest.raises(ValueError, match="verb"):
        record_activity(
            engagement, actor=None, verb="frobbed", obj_type="plan", obj_id=None, label="x"
        )


@pytest.mark.parametrize("person", PEOPLE)
def test_engagement_activity_page_access(client_as, engagement, person):
    landscape_services.create_stakeholder(engagement, name="Secret group")
    response = client_as(person).get(reverse("engagement_activity", args=[engagement.id]))
    expected = {"anonymous": 302, "outsider": 404}.get(person, 200)
    assert response.status_code == expected
    assert ("Secret group" in response.content.decode()) == (expected == 200)


@pytest.mark.parametrize("person", PEOPLE)
def test_workspace_activity_page_access(client_as, workspace, engagement, person):
    landscape_services.create_stakeholder(engagement, name="Secret group")
    response = client_as(person).get(reverse("workspace_activity", args=[workspace.slug]))
    expected = {"anonymous": 302, "outsider": 404}.get(person, 200)
    assert response.status_code == expected
    assert ("Secret group" in response.content.decode()) == (expected == 200)


def test_outsider_sees_nothing_of_another_workspace_in_their_own(client_as, engagement, outsider):
    landscape_services.create_stakeholder(engagement, name="Secret group")
    response = client_as("outsider").get(reverse("workspace_activity", args=["rival"]))
    assert response.status_code == 200
    assert "Secret group" not in response.content.decode()


def test_activity_page_is_newest_first_and_paginated(client_as, engagement, member):
    for i in range(55):
        landscape_services.create_stakeholder(engagement, name=f"Group {i:02}")
    client = client_as("viewer")
    url = reverse("engagement_activity", args=[engagement.id])
    first = client.get(url)
    assert [e.label for e in first.context["page"]][:2] == ["Group 54", "Group 53"]
    assert "Page 1 of 2" in first.content.decode()
    second = client.get(url, {"page": 2})
    assert [e.label for e in second.context["page"]] == [f"Group {i:02}" for i in range(4, -1, -1)]


def test_activity_page_query_budget(client_as, engagement, django_assert_num_queries):
    for i in range(30):
        landscape_services.create_stakeholder(engagement, name=f"Group {i:02}")
    client = client_as("member")
    # session, user, memberships (tenancy's and the workspace switcher's),
    # engagement, count, page
    with django_assert_num_queries(6):
        client.get(reverse("engagement_activity", args=[engagement.id]))


def test_dates_and_times_in_changes_read_as_people_write_them(settings):
    import datetime

    from changeready.activity.services import _readable

    settings.TIME_ZONE = "UTC"
    moment = datetime.datetime(2026, 11, 24, 22, 32, 13, 571216, tzinfo=datetime.UTC)
    assert _readable(None, moment) == "24 Nov 2026 22:32"
    assert _readable(None, datetime.date(2027, 4, 5)) == "5 Apr 2027"
