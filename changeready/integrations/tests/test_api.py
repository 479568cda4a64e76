"""The webhooks API: owners' and admins' tokens only, tenancy, the secret once."""

from __future__ import annotations

import pytest

from changeready.conftest import MANAGERS, PEOPLE
from changeready.integrations.models import WebhookDelivery, WebhookEndpoint
from changeready.integrations.signing import endpoint_secret

pytestmark = pytest.mark.django_db

REFUSED = {"anonymous": 401, "outsider": 404, "member": 403, "viewer": 403}
BODY = {
    "kind": "webhook",
    "url": "https://hooks.example.com/gainsight",
    "description": "Gainsight",
    "events": ["handoff.accepted", "engagement.readiness_changed"],
}


def state(endpoint) -> tuple:
    row = WebhookEndpoint.objects.filter(id=endpoint.id).first()
    if row is None:
        return ()
    return (
        row.version,
        row.url,
        row.enabled,
        row.secret_seed,
        row.deliveries.count(),
        [d.status for d in row.deliveries.all()],
    )


@pytest.mark.parametrize("person", PEOPLE)
def test_listing(api_client_as, endpoint, person):
    response = api_client_as(person).get("/api/v1/webhooks")
    if person == "outsider":  # their own workspace has none
        assert response.json() == []
        return
    assert response.status_code == REFUSED.get(person, 200)
    if person in MANAGERS:
        [item] = response.json()
        assert item["id"] == str(endpoint.id)
        assert item["description"] == "Delivery alerts"
        assert "secret" not in item
        assert "secret_seed" not in item


def test_listing_reads_a_fixed_number_of_queries(
    api_client_as, dns, make_endpoint, django_assert_num_queries
):
    client = api_client_as("owner")
    client.get("/api/v1/webhooks")
    for _ in range(4):
        make_endpoint()
    with django_assert_num_queries(3):
        assert len(client.get("/api/v1/webhooks").json()) == 4


@pytest.mark.parametrize("person", PEOPLE)
def test_creating_shows_the_secret_once(api_client_as, dns, person, workspace):
    response = api_client_as(person).post("/api/v1/webhooks", BODY, content_type="application/json")
    if person not in MANAGERS:
        # The outsider owns their own workspace: that is where theirs goes.
        assert response.status_code == (201 if person == "outsider" else REFUSED[person])
        assert not WebhookEndpoint.objects.filter(workspace=workspace).exists()
        return
    assert response.status_code == 201
    body = response.json()
    endpoint = WebhookEndpoint.objects.get(id=body["id"])
    assert body["secret"] == endpoint_secret(endpoint.secret_seed)
    assert body["events"] == ["engagement.readiness_changed", "handoff.accepted"]
    assert body["enabled"] is True
    again = api_client_as(person).get(f"/api/v1/webhooks/{endpoint.id}").json()
    assert "secret" not in again


@pytest.mark.parametrize(
    ("change", "path"),
    [
        ({"url": "http://hooks.example.com/x"}, ["url"]),
        ({"url": "https://10.0.0.1/x"}, ["url"]),
        ({"events": []}, ["events"]),
        ({"events": ["engagement.deleted"]}, ["events", 0]),
        ({"kind": "discord"}, ["kind"]),
        ({"secret": "whsec_mine"}, ["secret"]),
        ({"description": "Gain\x00sight"}, ["description"]),
    ],
)
def test_invalid_input_is_a_422_with_the_path(api_client_as, dns, change, path):
    response = api_client_as("owner").post(
        "/api/v1/webhooks", {**BODY, **change}, content_type="application/json"
    )
    assert response.status_code == 422
    assert path in [error["path"] for error in response.json()["errors"]]
    assert not WebhookEndpoint.objects.exists()


OPERATIONS = [
    ("get", ""),
    ("patch", ""),
    ("delete", ""),
    ("post", "/rotate-secret"),
    ("post", "/test"),
    ("get", "/deliveries"),
]


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize(("method", "suffix"), OPERATIONS)
def test_operations_on_one_endpoint(api_client_as, endpoint, person, method, suffix):
    before = state(endpoint)
    client = api_client_as(person)
    path = f"/api/v1/webhooks/{endpoint.id}{suffix}"
    body = {"enabled": False} if method == "patch" else None
    response = getattr(client, method)(path, body, content_type="application/json")
    if person not in MANAGERS:
        assert response.status_code == REFUSED[person]
        assert response.json()["message"]
        assert state(endpoint) == before
        return
    assert response.status_code == {"delete": 204, "/test": 202}.get(
        method if method == "delete" else suffix, 200
    )
    if method != "get":
        assert state(endpoint) != before


@pytest.mark.parametrize("person", PEOPLE)
def test_replaying(api_client_as, endpoint, failed_delivery, person):
    before = state(endpoint)
    response = api_client_as(person).post(
        f"/api/v1/webhooks/{endpoint.id}/deliveries/{failed_delivery.id}/replay"
    )
    if person not in MANAGERS:
        assert response.status_code == REFUSED[person]
        assert state(endpoint) == before
        return
    assert response.status_code == 202
    assert response.json()["status"] == "pending"
    assert response.json()["id"] == str(failed_delivery.id)


def test_replaying_a_delivery_that_did_not_fail_is_a_422(api_client_as, endpoint):
    delivery = WebhookDelivery.objects.create(endpoint=endpoint, event_type="x", body="{}")
    response = api_client_as("owner").post(
        f"/api/v1/webhooks/{endpoint.id}/deliveries/{delivery.id}/replay"
    )
    assert response.status_code == 422
    assert "Only a delivery that failed" in response.json()["errors"][0]["message"]


def test_rotating_returns_a_new_secret(api_client_as, endpoint):
    old = endpoint_secret(endpoint.secret_seed)
    response = api_client_as("admin").post(f"/api/v1/webhooks/{endpoint.id}/rotate-secret")
    assert response.status_code == 200
    assert response.json()["secret"].startswith("whsec_")
    assert response.json()["secret"] != old


def test_patch_changes_a_subset_and_if_match_guards_it(api_client_as, endpoint):
    client = api_client_as("owner")
    path = f"/api/v1/webhooks/{endpoint.id}"
    response = client.patch(
        path,
        {"events": ["plan.generated"]},
        content_type="application/json",
        headers={"If-Match": "1"},
    )
    assert response.status_code == 200
    assert response.json()["events"] == ["plan.generated"]
    assert response.json()["url"] == endpoint.url
    stale = client.patch(
        path, {"description": "x"}, content_type="application/json", headers={"If-Match": "1"}
    )
    assert stale.status_code == 409
    assert stale.json()["current_version"] == 2


def test_patch_null_is_refused(api_client_as, endpoint):
    response = api_client_as("owner").patch(
        f"/api/v1/webhooks/{endpoint.id}", {"url": None}, content_type="application/json"
    )
    assert response.status_code == 422


def test_the_delivery_log_lists_attempts_newest_first(
    api_client_as, endpoint, failed_delivery, django_assert_num_queries
):
    newer = WebhookDelivery.objects.create(endpoint=endpoint, event_type="handoff.sent", body="{}")
    client = api_client_as("owner")
    client.get(f"/api/v1/webhooks/{endpoint.id}/deliveries")
    with django_assert_num_queries(6):
        body = client.get(f"/api/v1/webhooks/{endpoint.id}/deliveries?limit=10").json()
    assert body["count"] == 2
    assert [item["id"] for item in body["items"]] == [str(newer.id), str(failed_delivery.id)]
    [attempt] = body["items"][1]["attempts"]
    assert attempt.pop("attempted_at").startswith(failed_delivery.created_at.strftime("%Y-%m-%dT"))
    assert [attempt] == [
        {
            "number": 1,
            "status_code": 502,
            "duration_ms": 120,
            "response": "Bad gateway",
            "succeeded": False,
        }
    ]


def test_another_workspaces_endpoint_and_delivery_are_404(api_client_as, endpoint, failed_delivery):
    client = api_client_as("outsider")
    assert client.get(f"/api/v1/webhooks/{endpoint.id}/deliveries").status_code == 404
    assert (
        client.post(
            f"/api/v1/webhooks/{endpoint.id}/deliveries/{failed_delivery.id}/replay"
        ).status_code
        == 404
    )


def test_the_openapi_schema_documents_the_webhooks(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert set(paths["/api/v1/webhooks"]) == {"get", "post"}
    assert set(paths["/api/v1/webhooks/{webhook_id}"]) == {"get", "patch", "delete"}
    assert "/api/v1/webhooks/{webhook_id}/deliveries" in paths
    assert "/api/v1/webhooks/{webhook_id}/deliveries/{delivery_id}/replay" in paths
    created = paths["/api/v1/webhooks"]["post"]["responses"]["201"]
    assert "secret" in str(created) or created["content"]
