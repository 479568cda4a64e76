"""Emitting events: what the rest of the app calls, one line per emission point
(when each event fires: docs/domain.md, section 7).

`publish(engagement, event_type, **details)` creates one delivery per enabled
endpoint that subscribes (the assessment's events are decided in
`assessment/events.py`, which sends them through `publish_to`), inside the caller's transaction (a
rolled-back write sends nothing), and queue them once it commits. The body is
rendered here, once, so every retry signs and sends the same bytes.

Every event has the Standard Webhooks shape `{"type", "timestamp", "data"}`;
`data.engagement` names the engagement with an absolute link back to it.
"""

from __future__ import annotations

import json
from dataclasses import asdict, is_dataclass

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse
from django.utils import timezone

from changeready.integrations.delivery import queue_delivery
from changeready.integrations.messages import render_body
from changeready.integrations.models import EventType, WebhookDelivery, WebhookEndpoint

# Which page of the engagement each event links to.
_PAGES = {
    EventType.READINESS_CHANGED: "assessment",
    EventType.FINDING_RAISED: "assessment",
    EventType.PLAN_GENERATED: "plan",
    EventType.HANDOFF_SENT: "handoff",
    EventType.HANDOFF_ACCEPTED: "handoff",
    EventType.ADOPTION_BEHIND_TARGET: "adoption",
}


class _Encoder(DjangoJSONEncoder):
    def default(self, o):
        if is_dataclass(o) and not isinstance(o, type):
            return asdict(o)
        return super().default(o)


def engagement_reference(engagement, page: str = "engagement") -> dict:
    return {
        "id": str(engagement.id),
        "name": engagement.name,
        "customer": engagement.customer,
        "go_live_date": engagement.go_live_date.isoformat(),
        "url": settings.SITE_URL + reverse(page, args=[engagement.id]),
    }


def envelope(event_type: str, data: dict) -> dict:
    timestamp = timezone.now().isoformat(timespec="seconds").replace("+00:00", "Z")
    return json.loads(
        json.dumps({"type": event_type, "timestamp": timestamp, "data": data}, cls=_Encoder)
    )


def deliver_to(endpoints, event_type: str, data: dict) -> list[WebhookDelivery]:
    """One delivery of the event per endpoint, queued once the transaction commits."""
    event = envelope(event_type, data)
    deliveries = [
        WebhookDelivery.objects.create(
            endpoint=endpoint, event_type=event_type, body=render_body(endpoint.kind, event)
        )
        for endpoint in endpoints
    ]
    for delivery in deliveries:
        queue_delivery(delivery)
    return deliveries


def enabled_endpoints(engagement) -> list[WebhookEndpoint]:
    return list(WebhookEndpoint.objects.filter(workspace_id=engagement.workspace_id, enabled=True))


def publish_to(endpoints, engagement, event_type: str, **details) -> None:
    """Send the event to those of `endpoints` that subscribe to it."""
    subscribed = [endpoint for endpoint in endpoints if event_type in endpoint.events]
    if subscribed:
        data = {"engagement": engagement_reference(engagement, _PAGES[event_type]), **details}
        deliver_to(subscribed, event_type, data)


def publish(engagement, event_type: str, **details) -> None:
    """Send an event about `engagement` to the workspace's subscribed endpoints."""
    publish_to(enabled_endpoints(engagement), engagement, event_type, **details)
