"""The webhook pages in the workspace settings: owners and admins only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from changeready.conftest import MANAGERS, PEOPLE
from changeready.integrations.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from changeready.integrations.signing import endpoint_secret

pytestmark = pytest.mark.django_db

REFUSED = {"anonymous": 302, "outsider": 404, "member": 403, "viewer": 403}


def state(endpoint) -> tuple:
    endpoint.refresh_from_db()
    return (
        endpoint.version,
        endpoint.url,
        endpoint.enabled,
        endpoint.secret_seed,
        endpoint.events,
        WebhookDelivery.objects.filter(endpoint=endpoint).count(),
    )


def url(name, endpoint, *extra):
    return reverse(name, args=[endpoint.workspace.slug, endpoint.id, *extra])


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("name", ["webhook", "webhook_rotate", "webhook_delete"])
def test_reading_endpoint_pages(client_as, endpoint, person, name):
    response = client_as(person).get(url(name, endpoint))
    assert response.status_code == REFUSED.get(person, 200)


@pytest.mark.parametrize("person", PEOPLE)
def test_the_list_page(client_as, endpoint, workspace, person):
    client = client_as(person)
    response = client.get(reverse("webhooks", args=[workspace.slug]))
    assert response.status_code == REFUSED.get(person, 200)
    if person in MANAGERS:
        assert "Delivery alerts" in response.text


def test_the_list_page_reads_a_fixed_number_of_queries(
    client_as, dns, make_endpoint, workspace, django_assert_num_queries
):
    client = client_as("owner")
    client.get(reverse("webhooks", args=[workspace.slug]))
    for _ in range(5):
        make_endpoint()
    with django_assert_num_queries(5):
        client.get(reverse("webhooks", args=[workspace.slug]))


@pytest.mark.parametrize("person", PEOPLE)
def test_adding_an_endpoint_shows_its_secret_once(client_as, dns, workspace, person):
    response = client_as(person).post(
        reverse("webhooks", args=[workspace.slug]),
        {
            "kind": "slack",
            "url": "https://hooks.example.com/services/T0/B0/x",
            "description": "#delivery",
            "events": ["finding.raised", "handoff.accepted"],
        },
    )
    if person not in MANAGERS:
        assert response.status_code == REFUSED[person]
        assert not WebhookEndpoint.objects.exists()
        return
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.kind == "slack"
    assert endpoint.events == ["finding.raised", "handoff.accepted"]
    secret = endpoint_secret(endpoint.secret_seed)
    assert secret.startswith("whsec_")
    assert secret in response.text
    page = client_as(person).get(url("webhook", endpoint))
    assert secret not in page.text


def test_a_refused_url_is_explained_and_what_was_typed_kept(client_as, dns, workspace):
    dns["intranet.example.com"] = ["10.0.0.8"]
    response = client_as("admin").post(
        reverse("webhooks", args=[workspace.slug]),
        {"kind": "webhook", "url": "https://intranet.example.com/in", "events": ["plan.generated"]},
    )
    assert response.status_code == 422
    assert "public internet addresses" in response.text
    assert 'value="https://intranet.example.com/in"' in response.text
    assert not WebhookEndpoint.objects.exists()


def test_no_events_chosen_is_explained(client_as, dns, workspace):
    response = client_as("owner").post(
        reverse("webhooks", args=[workspace.slug]),
        {"kind": "webhook", "url": "https://hooks.example.com/in"},
    )
    assert response.status_code == 422
    assert "Choose at least one event to send." in response.text


ACTIONS = {
    "webhook": {
        "kind": "teams",
        "url": "https://hooks.example.com/teams",
        "events": ["plan.generated"],
        "version": 1,
    },
    "webhook_enabled": {},
    "webhook_rotate": {},
    "webhook_delete": {},
    "webhook_test": {},
}


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("name", ACTIONS)
def test_endpoint_actions(client_as, endpoint, person, name):
    before = state(endpoint)
    response = client_as(person).post(url(name, endpoint), ACTIONS[name])
    if person not in MANAGERS:
        assert response.status_code == REFUSED[person]
        assert state(endpoint) == before
        return
    assert response.status_code in (200, 302)
    if name == "webhook_delete":
        assert not WebhookEndpoint.objects.exists()
    else:
        assert state(endpoint) != before


def test_switching_off_and_on(client_as, endpoint):
    client = client_as("owner")
    client.post(url("webhook_enabled", endpoint))
    endpoint.refresh_from_db()
    assert not endpoint.enabled
    WebhookEndpoint.objects.filter(id=endpoint.id).update(disabled_reason="Failing.")
    client.post(url("webhook_enabled", endpoint), {"enabled": "on"})
    endpoint.refresh_from_db()
    assert endpoint.enabled
    assert endpoint.disabled_reason == ""


def test_rotating_shows_the_new_secret_once(client_as, endpoint):
    old = endpoint_secret(endpoint.secret_seed)
    response = client_as("admin").post(url("webhook_rotate", endpoint))
    endpoint.refresh_from_db()
    new = endpoint_secret(endpoint.secret_seed)
    assert new != old
    assert new in response.text
    assert old not in response.text
    assert response["Cache-Control"] == "no-store"


def test_an_edit_based_on_an_old_version_is_refused(client_as, endpoint):
    response = client_as("owner").post(
        url("webhook", endpoint), {**ACTIONS["webhook"], "version": 0}
    )
    assert response.status_code == 422
    assert "changed by someone else" in response.text
    endpoint.refresh_from_db()
    assert endpoint.kind == "webhook"


@pytest.mark.parametrize("person", PEOPLE)
def test_replaying_a_failed_delivery(client_as, endpoint, failed_delivery, person):
    response = client_as(person).post(url("webhook_delivery_replay", endpoint, failed_delivery.id))
    failed_delivery.refresh_from_db()
    if person not in MANAGERS:
        assert response.status_code == REFUSED[person]
        assert failed_delivery.status == DeliveryStatus.FAILED
        return
    assert response.status_code == 302
    assert failed_delivery.status == DeliveryStatus.PENDING


def test_a_delivery_of_another_endpoint_cannot_be_replayed_through_this_one(
    client_as, dns, make_endpoint, endpoint, failed_delivery
):
    other = make_endpoint().endpoint
    response = client_as("owner").post(url("webhook_delivery_replay", other, failed_delivery.id))
    assert response.status_code == 404


@pytest.mark.parametrize("name", ["webhook_enabled", "webhook_test", "webhook_delivery_replay"])
def test_post_only_actions_refuse_get(client_as, endpoint, failed_delivery, name):
    extra = [failed_delivery.id] if name == "webhook_delivery_replay" else []
    assert client_as("owner").get(url(name, endpoint, *extra)).status_code == 405


def test_the_log_shows_attempts_and_offers_replay_of_failures(client_as, endpoint, failed_delivery):
    page = client_as("owner").get(url("webhook", endpoint)).text
    assert "HTTP 502 in 120 ms" in page
    assert "Bad gateway" in page
    assert url("webhook_delivery_replay", endpoint, failed_delivery.id) in page


def test_the_endpoint_page_reads_a_fixed_number_of_queries(
    client_as, endpoint, failed_delivery, django_assert_num_queries
):
    client = client_as("owner")
    client.get(url("webhook", endpoint))
    for _ in range(5):
        delivery = WebhookDelivery.objects.create(endpoint=endpoint, event_type="x", body="{}")
        for number in (1, 2):
            delivery.attempt_log.create(
                number=number,
                attempted_at=delivery.created_at,
                duration_ms=1,
                succeeded=False,
            )
    with django_assert_num_queries(7):
        assert client.get(url("webhook", endpoint)).status_code == 200
