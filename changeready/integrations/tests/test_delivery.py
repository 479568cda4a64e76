"""Signed deliveries to a real local receiver: signatures, retries with
backoff, the log, giving up, switching off, replays, timeouts and redirects."""

from __future__ import annotations

import io
import json
import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from changeready.integrations.delivery import attempt_delivery, send_due_deliveries
from changeready.integrations.events import deliver_to
from changeready.integrations.models import DeliveryStatus, WebhookDelivery
from changeready.integrations.services import replay_delivery, send_test_event
from changeready.integrations.tests.conftest import verify_standard_webhook

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("local_allowed")]


def _queued_runs(delivery) -> list:
    return [
        row.task.run_after
        for row in DBTaskResult.objects.order_by("enqueued_at")
        if row.args_kwargs["args"] == [str(delivery.id)]
    ]


def test_a_delivery_is_signed_by_the_standard_webhooks_scheme(receiver, make_endpoint):
    issued = make_endpoint(url=receiver.url)
    delivery = deliver_to([issued.endpoint], "plan.generated", {"plan": {"added": 3}})[0]

    assert attempt_delivery(str(delivery.id)) == DeliveryStatus.SUCCEEDED

    [request] = receiver.received
    assert request.path == "/hooks/changeready"
    assert request.headers["content-type"] == "application/json"
    assert request.headers["webhook-id"] == str(delivery.id)
    event = verify_standard_webhook(issued.secret, request.headers, request.body)
    assert event["type"] == "plan.generated"
    assert event["data"] == {"plan": {"added": 3}}
    assert event["timestamp"].endswith("Z")


def test_a_signature_made_with_another_secret_does_not_verify(receiver, make_endpoint):
    issued = make_endpoint(url=receiver.url)
    other = make_endpoint(url=receiver.url)
    delivery = deliver_to([issued.endpoint], "plan.generated", {})[0]
    attempt_delivery(str(delivery.id))
    with pytest.raises(AssertionError, match="does not verify"):
        verify_standard_webhook(
            other.secret, receiver.received[0].headers, receiver.received[0].body
        )


def test_the_log_keeps_status_duration_and_the_first_bytes_of_the_answer(receiver, make_endpoint):
    receiver.answers = [(201, "x" * 5000, {})]
    delivery = deliver_to([make_endpoint(url=receiver.url).endpoint], "handoff.sent", {})[0]
    attempt_delivery(str(delivery.id))
    [attempt] = delivery.attempt_log.all()
    assert attempt.number == 1
    assert attempt.status_code == 201
    assert attempt.succeeded
    assert attempt.duration_ms >= 0
    assert attempt.response_excerpt == "x" * 1024


def test_failures_are_retried_with_backoff_and_the_same_id_and_body(
    receiver, make_endpoint, queue_in_database, settings, django_capture_on_commit_callbacks
):
    receiver.answers = [(500, "down", {}), (503, "still down", {}), (200, "ok", {})]
    issued = make_endpoint(url=receiver.url)
    delivery = deliver_to([issued.endpoint], "handoff.accepted", {"accepted_by": "Priya"})[0]
    start = timezone.now()

    with django_capture_on_commit_callbacks(execute=True):
        assert attempt_delivery(str(delivery.id), start) == DeliveryStatus.RETRYING
    delivery.refresh_from_db()
    assert delivery.next_attempt_at == start + timedelta(seconds=settings.WEBHOOK_RETRY_DELAYS[0])
    # The retry is a task deferred to its time, queued once the attempt's transaction commits.
    assert _queued_runs(delivery) == [delivery.next_attempt_at]

    # Too early: a second task for the same delivery sends nothing.
    assert attempt_delivery(str(delivery.id), start) == DeliveryStatus.RETRYING
    assert len(receiver.received) == 1

    second = delivery.next_attempt_at
    assert attempt_delivery(str(delivery.id), second) == DeliveryStatus.RETRYING
    delivery.refresh_from_db()
    assert delivery.next_attempt_at == second + timedelta(seconds=settings.WEBHOOK_RETRY_DELAYS[1])
    assert attempt_delivery(str(delivery.id), delivery.next_attempt_at) == DeliveryStatus.SUCCEEDED

    assert [a.status_code for a in delivery.attempt_log.all()] == [500, 503, 200]
    assert [a.response_excerpt for a in delivery.attempt_log.all()] == [
        "down",
        "still down",
        "ok",
    ]
    assert {r.headers["webhook-id"] for r in receiver.received} == {str(delivery.id)}
    assert {r.body for r in receiver.received} == {delivery.body.encode()}
    for request in receiver.received:
        verify_standard_webhook(issued.secret, request.headers, request.body)


def test_the_backoff_spreads_seven_attempts_over_most_of_a_day(settings):
    delays = settings.WEBHOOK_RETRY_DELAYS
    assert list(delays) == sorted(delays)
    assert len(delays) + 1 == 7
    assert timedelta(hours=12) < timedelta(seconds=sum(delays)) < timedelta(hours=30)


def _fail_for_good(delivery, receiver, settings) -> None:
    receiver.answers += [(500, "no", {})] * (len(settings.WEBHOOK_RETRY_DELAYS) + 1)
    when = timezone.now()
    for _ in range(len(settings.WEBHOOK_RETRY_DELAYS) + 1):
        attempt_delivery(str(delivery.id), when)
        delivery.refresh_from_db()
        when = delivery.next_attempt_at or when


def test_repeated_failure_switches_the_endpoint_off_and_tells_the_owners(
    receiver, make_endpoint, settings, owner, admin, member, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_DISABLE_AFTER_FAILED_DELIVERIES = 2
    endpoint = make_endpoint(url=receiver.url, description="Gainsight").endpoint
    first, second = (deliver_to([endpoint], "finding.raised", {})[0] for _ in range(2))

    _fail_for_good(first, receiver, settings)
    assert first.status == DeliveryStatus.FAILED
    assert first.attempt_log.count() == len(settings.WEBHOOK_RETRY_DELAYS) + 1
    endpoint.refresh_from_db()
    assert endpoint.enabled
    assert not mail.outbox

    with django_capture_on_commit_callbacks(execute=True):
        _fail_for_good(second, receiver, settings)
    endpoint.refresh_from_db()
    assert not endpoint.enabled
    assert "2 deliveries in a row" in endpoint.disabled_reason
    [message] = mail.outbox
    assert message.to == [owner.email]
    assert "Gainsight" in message.subject
    assert f"/w/acme/settings/webhooks/{endpoint.id}/" in message.body

    # Switched off: nothing more is sent, and open deliveries give up unsent.
    third = WebhookDelivery.objects.create(
        endpoint=endpoint, event_type="plan.generated", body="{}"
    )
    sent = len(receiver.received)
    assert attempt_delivery(str(third.id)) == DeliveryStatus.FAILED
    assert len(receiver.received) == sent
    assert "switched off" in third.attempt_log.get().response_excerpt


def test_a_success_resets_the_count_of_failed_deliveries(receiver, make_endpoint, settings):
    settings.WEBHOOK_DISABLE_AFTER_FAILED_DELIVERIES = 2
    endpoint = make_endpoint(url=receiver.url).endpoint
    _fail_for_good(deliver_to([endpoint], "finding.raised", {})[0], receiver, settings)
    receiver.answers = []
    attempt_delivery(str(deliver_to([endpoint], "finding.raised", {})[0].id))
    _fail_for_good(deliver_to([endpoint], "finding.raised", {})[0], receiver, settings)
    endpoint.refresh_from_db()
    assert endpoint.enabled
    assert endpoint.failed_deliveries_in_a_row == 1


def test_a_failed_delivery_can_be_replayed_with_the_same_id(
    receiver, make_endpoint, settings, queue_in_database, django_capture_on_commit_callbacks
):
    issued = make_endpoint(url=receiver.url)
    delivery = deliver_to([issued.endpoint], "handoff.sent", {"sent_to": "cs@acme.example"})[0]
    _fail_for_good(delivery, receiver, settings)
    receiver.received.clear()

    with django_capture_on_commit_callbacks(execute=True):
        replay_delivery(delivery)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.PENDING
    assert _queued_runs(delivery)[-1] is None  # queued to run now
    assert attempt_delivery(str(delivery.id)) == DeliveryStatus.SUCCEEDED
    [request] = receiver.received
    assert request.headers["webhook-id"] == str(delivery.id)
    verify_standard_webhook(issued.secret, request.headers, request.body)
    assert delivery.attempt_log.last().number == len(settings.WEBHOOK_RETRY_DELAYS) + 2


def test_only_a_failed_delivery_can_be_replayed(receiver, make_endpoint):
    delivery = deliver_to([make_endpoint(url=receiver.url).endpoint], "handoff.sent", {})[0]
    attempt_delivery(str(delivery.id))
    with pytest.raises(Exception, match="Only a delivery that failed"):
        replay_delivery(delivery)


def test_an_attempt_gives_up_waiting_after_the_timeout(receiver, make_endpoint, settings):
    settings.WEBHOOK_TIMEOUT_SECONDS = 1
    receiver.hold = threading.Event()
    delivery = deliver_to([make_endpoint(url=receiver.url).endpoint], "handoff.sent", {})[0]
    assert attempt_delivery(str(delivery.id)) == DeliveryStatus.RETRYING
    attempt = delivery.attempt_log.get()
    assert attempt.status_code is None
    assert attempt.response_excerpt == "No answer within 1 seconds."


def test_a_refused_connection_is_a_failed_attempt(make_endpoint):
    delivery = deliver_to(
        [make_endpoint(url="http://127.0.0.1:9/closed").endpoint], "handoff.sent", {}
    )[0]
    assert attempt_delivery(str(delivery.id)) == DeliveryStatus.RETRYING
    assert delivery.attempt_log.get().response_excerpt.startswith("Connection failed")


def test_without_a_queue_deliveries_wait_for_send_webhooks(receiver, make_endpoint, settings):
    # The immediate backend (the default) would run attempts inside the request.
    endpoint = make_endpoint(url=receiver.url).endpoint
    delivery = send_test_event(endpoint)
    assert receiver.received == []
    assert send_due_deliveries() == 1
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SUCCEEDED
    event = json.loads(receiver.received[0].body)
    assert event["type"] == "webhook.test"
    assert send_due_deliveries() == 0


def test_send_due_deliveries_skips_retries_that_are_not_due(receiver, make_endpoint):
    receiver.answers = [(500, "no", {})]
    delivery = send_test_event(make_endpoint(url=receiver.url).endpoint)
    now = timezone.now()
    assert send_due_deliveries(now) == 1
    assert send_due_deliveries(now) == 0
    assert send_due_deliveries(now + timedelta(seconds=5)) == 1
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SUCCEEDED


@pytest.mark.parametrize("backend", ["immediate", "database"])
def test_a_slow_receiver_never_holds_up_a_request(
    client_as, receiver, make_endpoint, settings, backend, django_capture_on_commit_callbacks
):
    if backend == "database":
        settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    receiver.hold = threading.Event()  # it would never answer while the request runs
    endpoint = make_endpoint(url=receiver.url).endpoint
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as("owner").post(
            reverse("webhook_test", args=[endpoint.workspace.slug, endpoint.id])
        )
    assert response.status_code == 302
    assert receiver.received == []
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.PENDING
    queued = DBTaskResult.objects.filter(args_kwargs__args=[str(delivery.id)]).exists()
    assert queued == (backend == "database")


def test_the_send_webhooks_command(receiver, make_endpoint):
    send_test_event(make_endpoint(url=receiver.url).endpoint)
    out = io.StringIO()
    call_command("send_webhooks", stdout=out)
    assert out.getvalue() == "1 delivery attempted.\n"
    assert len(receiver.received) == 1
