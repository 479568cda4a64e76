import json

import pytest

from changeready.engagements.models import Engagement
from changeready.engagements.tests.factories import EngagementFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/engagements"


def patch(client, url, body, **headers):
    return client.patch(url, json.dumps(body), content_type="application/json", headers=headers)


def test_create_returns_the_engagement_in_file_shape(api_client_as, workspace):
    body = {
        "name": "CRM rollout",
        "customer": "Initech",
        "go_live_date": "2027-06-07",
        "delivery_lead": {"name": "Priya Raman", "email": "priya@vendor.example"},
        "arr": 125000.5,
    }
    response = api_client_as("member").post(URL, body, content_type="application/json")
    assert response.status_code == 201
    data = response.json()
    engagement = Engagement.objects.get(id=data["id"])
    assert engagement.workspace == workspace
    assert data["delivery_lead"] == {"name": "Priya Raman", "email": "priya@vendor.example"}
    assert data["cs_owner"] is None
    assert data["arr"] == 125000.5
    assert data["phase"] == "discovery"
    assert data["version"] == 1


def test_patch_changes_only_the_fields_given(api_client_as, engagement):
    engagement.product = "Dockside WMS"
    engagement.save()
    response = patch(
        api_client_as("member"),
        f"{URL}/{engagement.id}",
        {"phase": "test", "cs_owner": {"name": "Ana Ortiz"}},
    )
    assert response.status_code == 200, response.content
    engagement.refresh_from_db()
    assert (engagement.phase, engagement.cs_owner_name, engagement.product) == (
        "test",
        "Ana Ortiz",
        "Dockside WMS",
    )
    assert response.json()["version"] == engagement.version == 2


def test_patch_null_clears_an_optional_field_but_not_a_required_one(api_client_as, engagement):
    engagement.cs_owner_name = "Ana Ortiz"
    engagement.save()
    client = api_client_as("member")
    assert patch(client, f"{URL}/{engagement.id}", {"cs_owner": None}).status_code == 200
    engagement.refresh_from_db()
    assert engagement.cs_owner_name == ""
    response = patch(client, f"{URL}/{engagement.id}", {"name": None})
    assert response.status_code == 422
    assert response.json()["errors"][0]["path"] == ["name"]


def test_if_match_with_a_stale_version_is_a_409_and_changes_nothing(api_client_as, engagement):
    client = api_client_as("member")
    assert (
        patch(client, f"{URL}/{engagement.id}", {"phase": "test"}, **{"If-Match": "1"}).status_code
        == 200
    )
    response = patch(client, f"{URL}/{engagement.id}", {"phase": "closed"}, **{"If-Match": '"1"'})
    assert response.status_code == 409
    assert response.json()["current_version"] == 2
    engagement.refresh_from_db()
    assert (engagement.phase, engagement.version) == ("test", 2)


def test_a_malformed_if_match_is_a_422(api_client_as, engagement):
    response = patch(
        api_client_as("member"), f"{URL}/{engagement.id}", {"phase": "test"}, **{"If-Match": "abc"}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["path"] == ["header", "If-Match"]


@pytest.mark.parametrize(
    ("change", "path"),
    [
        ({"kickoff_date": "2030-01-01"}, ["kickoff_date"]),  # the model: kickoff after go-live
        ({"delivery_lead": {"name": "X", "email": "not-an-email"}}, ["delivery_lead", "email"]),
    ],
)
def test_invalid_values_are_a_422_with_the_field_path(api_client_as, engagement, change, path):
    response = patch(api_client_as("member"), f"{URL}/{engagement.id}", change)
    assert response.status_code == 422
    assert [error["path"] for error in response.json()["errors"]] == [path]
    engagement.refresh_from_db()
    assert engagement.version == 1


def test_body_validation_reports_each_bad_field(api_client_as):
    response = api_client_as("member").post(
        URL,
        {"name": "", "go_live_date": "soon", "phase": "party", "extra": 1},
        content_type="application/json",
    )
    assert response.status_code == 422
    paths = sorted(error["path"] for error in response.json()["errors"])
    assert paths == [["customer"], ["extra"], ["go_live_date"], ["name"], ["phase"]]


def test_list_is_paginated_and_ordered_stably(api_client_as, workspace):
    for name in ("C", "A", "B"):
        EngagementFactory(workspace=workspace, name=name)
    client = api_client_as("viewer")
    first = client.get(URL, {"limit": 2}).json()
    second = client.get(URL, {"limit": 2, "offset": 2}).json()
    assert [e["name"] for e in first["items"] + second["items"]] == ["A", "B", "C"]
    assert (first["count"], first["limit"], first["offset"]) == (3, 2, 0)


@pytest.mark.parametrize("size", [1, 30])
def test_list_query_budget_does_not_grow_with_data(
    api_client_as, workspace, size, django_assert_num_queries
):
    EngagementFactory.create_batch(size, workspace=workspace)
    client = api_client_as("viewer")
    client.get(URL)  # records the token's first use
    # token, membership, count, page
    with django_assert_num_queries(4):
        assert client.get(URL).status_code == 200


def test_delete_removes_the_engagement(api_client_as, engagement):
    response = api_client_as("admin").delete(f"{URL}/{engagement.id}")
    assert response.status_code == 204
    assert not Engagement.objects.filter(id=engagement.id).exists()


def test_adoption_mode_and_blackout_periods_round_trip(api_client_as, workspace):
    body = {
        "name": "EHR rollout",
        "customer": "St Brigid's",
        "go_live_date": "2027-06-07",
        "adoption_mode": "mandatory",
        "blackout_periods": [
            {"start": "2026-12-21", "end": "2027-01-03", "label": "Holidays"},
        ],
    }
    response = api_client_as("member").post(URL, body, content_type="application/json")
    assert response.status_code == 201
    data = response.json()
    assert data["adoption_mode"] == "mandatory"
    assert data["blackout_periods"] == body["blackout_periods"]
    engagement = Engagement.objects.get(id=data["id"])
    assert engagement.blackout_periods == body["blackout_periods"]

    response = patch(
        api_client_as("member"),
        f"{URL}/{engagement.id}",
        {"blackout_periods": [], "adoption_mode": "voluntary"},
    )
    assert response.status_code == 200
    engagement.refresh_from_db()
    assert (engagement.adoption_mode, engagement.blackout_periods) == ("voluntary", [])


@pytest.mark.parametrize(
    "periods",
    [
        [{"start": "2027-01-03", "end": "2026-12-21", "label": "Backwards"}],
        [{"start": "2027-01-03"}],
        [{"start": "yesterday", "end": "2027-01-03"}],
    ],
)
def test_a_bad_blackout_period_is_refused_and_nothing_changes(api_client_as, engagement, periods):
    response = patch(
        api_client_as("member"), f"{URL}/{engagement.id}", {"blackout_periods": periods}
    )
    assert response.status_code == 422
    engagement.refresh_from_db()
    assert engagement.blackout_periods == []


def test_a_bad_adoption_mode_is_refused(api_client_as, engagement):
    response = patch(api_client_as("member"), f"{URL}/{engagement.id}", {"adoption_mode": "forced"})
    assert response.status_code == 422
    engagement.refresh_from_db()
    assert engagement.adoption_mode == "voluntary"
