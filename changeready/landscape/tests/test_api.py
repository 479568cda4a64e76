import json

import pytest

from changeready.engagements.tests.factories import EngagementFactory
from changeready.landscape.models import ResistancePoint, Stakeholder
from changeready.landscape.tests.factories import ResistancePointFactory, StakeholderFactory

pytestmark = pytest.mark.django_db


def patch(client, url, body, **headers):
    return client.patch(url, json.dumps(body), content_type="application/json", headers=headers)


def post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


@pytest.fixture
def group(engagement):
    return StakeholderFactory(engagement=engagement, name="Shift leads", kind="group")


@pytest.fixture
def foreign_group(other_workspace):
    return StakeholderFactory(engagement=EngagementFactory(workspace=other_workspace), kind="group")


def test_create_a_person_in_a_group(api_client_as, engagement, group):
    body = {
        "kind": "person",
        "name": "Tom Avery",
        "group": str(group.id),
        "role": "people_manager",
        "engagement": "resistant",
        "adkar": {"awareness": 4, "desire": 2},
        "involvement": ["design"],
    }
    response = post(
        api_client_as("member"), f"/api/v1/engagements/{engagement.id}/stakeholders", body
    )
    assert response.status_code == 201, response.content
    data = response.json()
    person = Stakeholder.objects.get(id=data["id"])
    assert (person.group, person.engagement_level, person.adkar_desire) == (group, "resistant", 2)
    assert data["group"] == str(group.id)
    assert data["engagement"] == "resistant"
    assert data["adkar"]["awareness"] == 4
    assert data["adkar"]["knowledge"] is None


def test_a_group_of_another_workspace_is_never_attached(api_client_as, engagement, foreign_group):
    body = {"kind": "person", "name": "Spy", "group": str(foreign_group.id)}
    response = post(
        api_client_as("owner"), f"/api/v1/engagements/{engagement.id}/stakeholders", body
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["path"] == ["group"]
    assert not Stakeholder.objects.filter(name="Spy").exists()


def test_a_group_of_another_workspace_cannot_be_patched_in(
    api_client_as, engagement, foreign_group
):
    person = StakeholderFactory(engagement=engagement, kind="person", name="Tom")
    response = patch(
        api_client_as("owner"),
        f"/api/v1/stakeholders/{person.id}",
        {"group": str(foreign_group.id)},
    )
    assert response.status_code == 422
    person.refresh_from_db()
    assert person.group is None


def test_a_stakeholder_of_another_workspace_cannot_get_a_resistance_point(
    api_client_as, engagement, foreign_group
):
    body = {"stakeholder": str(foreign_group.id), "source": "habit", "severity": 3}
    response = post(api_client_as("owner"), f"/api/v1/engagements/{engagement.id}/resistance", body)
    assert response.status_code == 422
    assert response.json()["errors"][0]["path"] == ["stakeholder"]
    assert not ResistancePoint.objects.exists()


def test_a_person_cannot_join_a_person(api_client_as, engagement):
    lead = StakeholderFactory(engagement=engagement, kind="person", name="Lead")
    person = StakeholderFactory(engagement=engagement, kind="person", name="Tom")
    response = patch(
        api_client_as("owner"), f"/api/v1/stakeholders/{person.id}", {"group": str(lead.id)}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["path"] == ["group"]


def test_patch_changes_only_the_fields_given_and_merges_adkar(api_client_as, group):
    group.adkar_awareness = 4
    group.influence = 2
    group.save()
    response = patch(
        api_client_as("member"),
        f"/api/v1/stakeholders/{group.id}",
        {"adkar": {"desire": 3}, "interest": 5},
    )
    assert response.status_code == 200, response.content
    group.refresh_from_db()
    assert (group.adkar_awareness, group.adkar_desire, group.influence, group.interest) == (
        4,
        3,
        2,
        5,
    )


def test_duplicate_name_is_a_422_on_name(api_client_as, engagement, group):
    response = post(
        api_client_as("member"),
        f"/api/v1/engagements/{engagement.id}/stakeholders",
        {"name": "SHIFT LEADS"},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["path"] == ["name"]
    assert Stakeholder.objects.count() == 1


def test_invalid_levels_report_their_path(api_client_as, group):
    response = patch(
        api_client_as("member"),
        f"/api/v1/stakeholders/{group.id}",
        {"influence": 9, "adkar": {"ability": 0}},
    )
    assert response.status_code == 422
    paths = sorted(error["path"] for error in response.json()["errors"])
    assert paths == [["adkar", "ability"], ["influence"]]


def test_stakeholder_if_match_conflict(api_client_as, group):
    client = api_client_as("member")
    assert (
        patch(
            client, f"/api/v1/stakeholders/{group.id}", {"impact": 4}, **{"If-Match": "1"}
        ).status_code
        == 200
    )
    response = patch(client, f"/api/v1/stakeholders/{group.id}", {"impact": 1}, **{"If-Match": "1"})
    assert response.status_code == 409
    group.refresh_from_db()
    assert (group.impact, group.version) == (4, 2)


def test_resistance_point_with_nested_mitigation(api_client_as, engagement, group):
    body = {
        "stakeholder": str(group.id),
        "source": "loss_of_authority",
        "severity": 4,
        "mitigation": {
            "strategy": "involve",
            "owner": "Priya",
            "due_week": -4,
            "status": "planned",
        },
    }
    client = api_client_as("member")
    response = post(client, f"/api/v1/engagements/{engagement.id}/resistance", body)
    assert response.status_code == 201, response.content
    point = ResistancePoint.objects.get(id=response.json()["id"])
    assert (point.strategy, point.owner, point.due_week, point.status) == (
        "involve",
        "Priya",
        -4,
        "planned",
    )
    response = patch(
        client, f"/api/v1/resistance/{point.id}", {"mitigation": {"status": "resolved"}}
    )
    assert response.json()["mitigation"] == {
        "strategy": "involve",
        "owner": "Priya",
        "due_week": -4,
        "status": "resolved",
        "notes": "",
    }


def test_a_due_week_outside_the_plan_is_422_in_words(api_client_as, engagement, group):
    point = ResistancePointFactory(stakeholder=group)
    client = api_client_as("member")
    response = patch(client, f"/api/v1/resistance/{point.id}", {"mitigation": {"due_week": 30}})
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["message"].startswith("Week +30 is after the plan ends")
    point.refresh_from_db()
    assert point.due_week is None


def test_resistance_if_match_conflict(api_client_as, group):
    point = ResistancePointFactory(stakeholder=group)
    client = api_client_as("member")
    assert patch(client, f"/api/v1/resistance/{point.id}", {"severity": 5}).status_code == 200
    response = patch(client, f"/api/v1/resistance/{point.id}", {"severity": 1}, **{"If-Match": "1"})
    assert response.status_code == 409
    point.refresh_from_db()
    assert point.severity == 5


@pytest.mark.parametrize("size", [1, 40])
def test_stakeholder_list_query_budget(api_client_as, engagement, size, django_assert_num_queries):
    groups = StakeholderFactory.create_batch(size, engagement=engagement)
    StakeholderFactory.create_batch(size, engagement=engagement, kind="person", group=groups[0])
    client = api_client_as("viewer")
    url = f"/api/v1/engagements/{engagement.id}/stakeholders"
    client.get(url)
    # token, membership, engagement, page, count
    with django_assert_num_queries(5):
        response = client.get(url, {"limit": 500})
    assert response.json()["count"] == 2 * size


@pytest.mark.parametrize("size", [1, 40])
def test_resistance_list_query_budget(api_client_as, engagement, size, django_assert_num_queries):
    group = StakeholderFactory(engagement=engagement)
    ResistancePointFactory.create_batch(size, stakeholder=group)
    client = api_client_as("viewer")
    url = f"/api/v1/engagements/{engagement.id}/resistance"
    client.get(url)
    with django_assert_num_queries(5):
        assert client.get(url).json()["count"] == size


def test_strategy_and_owner_on_an_open_point_plan_it_through_the_api(api_client_as, group):
    client = api_client_as("member")
    url = f"/api/v1/engagements/{group.engagement_id}/resistance"
    body = {"stakeholder": str(group.id), "source": "habit", "severity": 3}
    created = post(client, url, {**body, "mitigation": {"strategy": "coach", "owner": "Ana"}})
    assert created.json()["mitigation"]["status"] == "planned"
    open_point = post(client, url, {**body, "description": "Other"}).json()
    assert open_point["mitigation"]["status"] == "open"
    response = patch(
        client,
        f"/api/v1/resistance/{open_point['id']}",
        {"mitigation": {"strategy": "coach", "owner": "Ana"}},
    )
    assert response.json()["mitigation"]["status"] == "planned"
    chosen = patch(
        client,
        f"/api/v1/resistance/{open_point['id']}",
        {"mitigation": {"owner": "Bo", "status": "open"}},
    )
    assert chosen.json()["mitigation"]["status"] == "open"  # chosen in the same edit
