"""Writes of the integrations: webhook endpoints and calendar feeds.

The HTML views and the API both call these. Only owners and admins manage
endpoints (the callers check it through tenancy); any member keeps their own
calendar feeds.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from changeready.common.concurrency import save_versioned
from changeready.integrations.addresses import RefusedURL, check_url
from changeready.integrations.delivery import queue_delivery
from changeready.integrations.events import deliver_to
from changeready.integrations.models import (
    TEST_EVENT,
    CalendarFeed,
    DeliveryStatus,
    EndpointKind,
    EventType,
    WebhookDelivery,
    WebhookEndpoint,
)
from changeready.integrations.signing import endpoint_secret, new_seed

ENDPOINT_FIELDS = ("kind", "url", "description", "events", "enabled")


@dataclass(frozen=True)
class IssuedEndpoint:
    """An endpoint with its secret, for the one answer that shows it."""

    endpoint: WebhookEndpoint
    secret: str


def _validate(endpoint: WebhookEndpoint) -> None:
    errors = {}
    try:
        check_url(endpoint.url)
    except RefusedURL as refused:
        errors["url"] = str(refused)
    events = endpoint.events
    if not isinstance(events, list) or not events:
        errors["events"] = "Choose at least one event to send."
    elif unknown := sorted({str(e) for e in events} - set(EventType.values)):
        errors["events"] = f"Unknown event type: {', '.join(unknown)}."
    if endpoint.kind not in EndpointKind.values:
        errors["kind"] = "Choose webhook, slack or teams."
    if errors:
        raise ValidationError(errors)
    endpoint.events = [value for value in EventType.values if value in events]


def create_endpoint(workspace, *, created_by, **fields) -> IssuedEndpoint:
    endpoint = WebhookEndpoint(
        workspace=workspace, created_by=created_by, secret_seed=new_seed(), **fields
    )
    endpoint.url = endpoint.url.strip()
    _validate(endpoint)
    save_versioned(endpoint, None)
    return IssuedEndpoint(endpoint, endpoint_secret(endpoint.secret_seed))


def update_endpoint(
    endpoint: WebhookEndpoint, *, expected_version: int | None, **changes
) -> WebhookEndpoint:
    """Change any of ENDPOINT_FIELDS; switching it back on clears why it was off."""
    unknown = set(changes) - set(ENDPOINT_FIELDS)
    if unknown:
        raise ValueError(f"Not endpoint fields: {sorted(unknown)}")
    for name, value in changes.items():
        setattr(endpoint, name, value.strip() if name == "url" else value)
    if changes.get("enabled"):
        endpoint.disabled_reason = ""
        endpoint.failed_deliveries_in_a_row = 0
    _validate(endpoint)
    return save_versioned(endpoint, expected_version)


def set_endpoint_enabled(endpoint: WebhookEndpoint, enabled: bool) -> WebhookEndpoint:
    return update_endpoint(endpoint, expected_version=None, enabled=enabled)


def rotate_secret(endpoint: WebhookEndpoint) -> IssuedEndpoint:
    """A new secret from now on; the old one stops signing at once."""
    endpoint.secret_seed = new_seed()
    save_versioned(endpoint, None)
    return IssuedEndpoint(endpoint, endpoint_secret(endpoint.secret_seed))


def delete_endpoint(endpoint: WebhookEndpoint) -> None:
    endpoint.delete()


@transaction.atomic
def send_test_event(endpoint: WebhookEndpoint) -> WebhookDelivery:
    """Queue a `webhook.test` event to this endpoint (switched on: a test of a switched-off
    one would be refused like any of its deliveries)."""
    if not endpoint.enabled:
        raise ValidationError("Switch the endpoint on before sending it a test event.")
    workspace = endpoint.workspace
    data = {
        "workspace": {
            "name": workspace.name,
            "url": settings.SITE_URL + reverse("workspace", args=[workspace.slug]),
        },
        "endpoint_id": str(endpoint.id),
    }
    return deliver_to([endpoint], TEST_EVENT, data)[0]


@transaction.atomic
def replay_delivery(delivery: WebhookDelivery) -> WebhookDelivery:
    """Send a failed delivery again, with a fresh series of attempts."""
    locked = WebhookDelivery.objects.select_for_update().get(id=delivery.id)
    if locked.status != DeliveryStatus.FAILED:
        raise ValidationError("Only a delivery that failed can be replayed.")
    if not locked.endpoint.enabled:
        raise ValidationError("Switch the endpoint on before replaying its deliveries.")
    locked.status = DeliveryStatus.PENDING
    locked.attempts = 0
    locked.next_attempt_at = None
    locked.save(update_fields=["status", "attempts", "next_attempt_at"])
    queue_delivery(locked)
    return locked


# --- calendar feeds ------------------------------------------------------------


@dataclass(frozen=True)
class IssuedFeed:
    feed: CalendarFeed
    url: str


def hash_feed_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_calendar_feed(membership, engagement=None) -> IssuedFeed:
    """A new secret subscription URL for the member: their plan items, or `engagement`'s plan."""
    token = secrets.token_urlsafe(32)
    feed = CalendarFeed.objects.create(
        workspace=membership.workspace,
        membership=membership,
        engagement=engagement,
        token_hash=hash_feed_token(token),
    )
    return IssuedFeed(feed, settings.SITE_URL + reverse("calendar_feed", args=[token]))


def active_calendar_feed(token: str) -> CalendarFeed | None:
    """The feed a secret subscription URL names, unless revoked."""
    return (
        CalendarFeed.objects.active()
        .select_related("membership__user", "membership__workspace", "engagement__workspace")
        .filter(token_hash=hash_feed_token(token))
        .first()
    )


def revoke_calendar_feed(feed: CalendarFeed) -> None:
    CalendarFeed.objects.filter(id=feed.id, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
