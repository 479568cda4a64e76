"""Sending deliveries: attempts, retries with backoff, the log, switching off.

A delivery is tried at once, then after each of `WEBHOOK_RETRY_DELAYS`
(seconds; about a day in all). Each attempt is logged with the answer's
status, duration and first bytes. A 2xx answer is success; anything else (a
redirect included, never followed) is a failure. A delivery that used up its
attempts is failed for good and can be replayed by hand. When
`WEBHOOK_DISABLE_AFTER_FAILED_DELIVERIES` deliveries in a row fail for good,
the endpoint is switched off and the workspace's owners get an email.

Attempts run in the background worker as tasks queued on commit, and retries
as tasks deferred to their time. A tasks backend that cannot defer (the
immediate one, which would also run the attempt inside the web request and
hold it for as long as the receiver is slow) queues nothing: deliveries wait
for `manage.py send_webhooks`, which an install without a worker runs from
cron (docs/operations.md).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from changeready.common.mail import send_email
from changeready.integrations import transport
from changeready.integrations.models import (
    DeliveryAttempt,
    DeliveryStatus,
    WebhookDelivery,
    WebhookEndpoint,
)
from changeready.integrations.signing import endpoint_secret, signed_headers
from changeready.integrations.tasks import deliver_webhook
from changeready.workspaces.models import Membership, Role

logger = logging.getLogger(__name__)
OPEN_STATUSES = (DeliveryStatus.PENDING, DeliveryStatus.RETRYING)


def worker_queues_deliveries() -> bool:
    return deliver_webhook.get_backend().supports_defer


def queue_delivery(delivery: WebhookDelivery, run_after: datetime | None = None) -> None:
    """Queue the delivery's next attempt once the current transaction commits."""
    if not worker_queues_deliveries():
        return
    task = deliver_webhook if run_after is None else deliver_webhook.using(run_after=run_after)
    delivery_id = str(delivery.id)
    transaction.on_commit(lambda: task.enqueue(delivery_id))


def _claim(delivery_id: str, now: datetime) -> WebhookDelivery | None:
    """The open delivery, its attempt counted, or None if there is nothing to send."""
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update()
            .select_related("endpoint")
            .filter(id=delivery_id, status__in=OPEN_STATUSES)
            .first()
        )
        if delivery is None:
            return None
        if delivery.next_attempt_at is not None and delivery.next_attempt_at > now:
            return None  # a replay or another run got there first and rescheduled it
        if not delivery.endpoint.enabled:
            delivery.status = DeliveryStatus.FAILED
            delivery.next_attempt_at = None
            delivery.save(update_fields=["status", "next_attempt_at"])
            DeliveryAttempt.objects.create(
                delivery=delivery,
                number=delivery.attempt_log.count() + 1,
                attempted_at=now,
                duration_ms=0,
                response_excerpt="Not sent: the endpoint is switched off.",
                succeeded=False,
            )
            return None
        delivery.attempts += 1
        delivery.next_attempt_at = None
        delivery.save(update_fields=["attempts", "next_attempt_at"])
    return delivery


def attempt_delivery(delivery_id: str, now: datetime | None = None) -> str:
    """One attempt of the delivery; what its status is afterwards."""
    now = now or timezone.now()
    delivery = _claim(delivery_id, now)
    if delivery is None:
        return (
            WebhookDelivery.objects.filter(id=delivery_id).values_list("status", flat=True).first()
            or ""
        )
    endpoint = delivery.endpoint
    body = delivery.body.encode()
    headers = signed_headers(
        endpoint_secret(endpoint.secret_seed), str(delivery.id), int(now.timestamp()), body
    )
    answer = transport.post(endpoint.url, body, headers, timeout=settings.WEBHOOK_TIMEOUT_SECONDS)
    with transaction.atomic():
        DeliveryAttempt.objects.create(
            delivery=delivery,
            number=delivery.attempt_log.count() + 1,
            attempted_at=now,
            status_code=answer.status_code,
            duration_ms=answer.duration_ms,
            response_excerpt=answer.excerpt,
            succeeded=answer.succeeded,
        )
        if answer.succeeded:
            delivery.status = DeliveryStatus.SUCCEEDED
            WebhookEndpoint.objects.filter(id=endpoint.id).update(failed_deliveries_in_a_row=0)
        elif delivery.attempts <= len(settings.WEBHOOK_RETRY_DELAYS):
            delay = settings.WEBHOOK_RETRY_DELAYS[delivery.attempts - 1]
            delivery.status = DeliveryStatus.RETRYING
            delivery.next_attempt_at = now + timedelta(seconds=delay)
            queue_delivery(delivery, run_after=delivery.next_attempt_at)
        else:
            delivery.status = DeliveryStatus.FAILED
            _count_failed_delivery(endpoint)
        delivery.save(update_fields=["status", "next_attempt_at"])
    return delivery.status


def _count_failed_delivery(endpoint: WebhookEndpoint) -> None:
    WebhookEndpoint.objects.filter(id=endpoint.id).update(
        failed_deliveries_in_a_row=F("failed_deliveries_in_a_row") + 1
    )
    limit = settings.WEBHOOK_DISABLE_AFTER_FAILED_DELIVERIES
    switched_off = WebhookEndpoint.objects.filter(
        id=endpoint.id, enabled=True, failed_deliveries_in_a_row__gte=limit
    ).update(
        enabled=False,
        disabled_reason=f"Switched off after {limit} deliveries in a row failed every attempt.",
    )
    if switched_off:
        transaction.on_commit(lambda: _tell_owners(endpoint.id))


def _tell_owners(endpoint_id) -> None:
    endpoint = WebhookEndpoint.objects.select_related("workspace").get(id=endpoint_id)
    workspace = endpoint.workspace
    owners = list(
        Membership.objects.for_workspace(workspace)
        .filter(role=Role.OWNER, user__is_active=True)
        .values_list("user__email", flat=True)
    )
    if not owners:
        return
    context = {
        "endpoint": endpoint,
        "workspace": workspace,
        "link": settings.SITE_URL + reverse("webhook", args=[workspace.slug, endpoint.id]),
        "limit": settings.WEBHOOK_DISABLE_AFTER_FAILED_DELIVERIES,
    }
    message = render_to_string("integrations/email/endpoint_disabled.txt", context)
    for owner_email in owners:
        send_email(
            subject=f"Webhook switched off in {workspace.name}: {endpoint}",
            message=message,
            to=owner_email,
        )


def send_due_deliveries(now: datetime | None = None) -> int:
    """Attempt every open delivery that is due; how many were attempted.

    For installs whose tasks backend cannot queue (see the module's docstring).
    """
    now = now or timezone.now()
    due = WebhookDelivery.objects.filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now), status__in=OPEN_STATUSES
    )
    attempted = 0
    for delivery_id in due.order_by("created_at").values_list("id", flat=True):
        attempt_delivery(str(delivery_id), now)
        attempted += 1
    return attempted
