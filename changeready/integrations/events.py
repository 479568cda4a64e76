"""Emitting events: what the rest of the app calls, one line per emission point
(when each event fires: docs/domain.md, section 7).

`publish(engagement, event_type, **details)` and
`publish_assessment_changes(engagement, on, assessment)` create one delivery
per enabled endpoint that subscribes, inside the caller's transaction (a
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
ADOPTION_FINDING = "adoption_behind_target"


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


def _enabled_endpoints(engagement) -> list[WebhookEndpoint]:
    return list(WebhookEndpoint.objects.filter(workspace_id=engagement.workspace_id, enabled=True))


def _send(endpoints, engagement, event_type: str, details: dict) -> None:
    subscribed = [endpoint for endpoint in endpoints if event_type in endpoint.events]
    if subscribed:
        data = {"engagement": engagement_reference(engagement, _PAGES[event_type]), **details}
        deliver_to(subscribed, event_type, data)


def publish(engagement, event_type: str, **details) -> None:
    """Send an event about `engagement` to the workspace's subscribed endpoints."""
    _send(_enabled_endpoints(engagement), engagement, event_type, details)


def _critical_subjects(body: dict) -> dict[str, set]:
    subjects: dict[str, set] = {}
    for finding in body.get("findings", []):
        if finding["severity"] == "critical":
            subjects.setdefault(finding["code"], set()).update(finding["subject_ids"])
    return subjects


def _is_new(finding: dict, before: dict[str, set]) -> bool:
    if finding["code"] not in before:
        return True
    return not set(finding["subject_ids"]) <= before[finding["code"]]


def publish_assessment_changes(engagement, on, assessment: dict) -> None:
    """Compare a new assessment (the API's shape) with the latest snapshot before it.

    Call it before the snapshot of `on` is stored. A changed readiness band is
    `engagement.readiness_changed`; a critical finding whose code was not
    critical before, or that names a stakeholder it did not name, is
    `finding.raised`; `adoption_behind_target` raised that way is also
    `adoption.behind_target`. An engagement's first snapshot is the baseline
    and sends nothing: there is nothing it changed from.
    """
    from changeready.assessment.models import AssessmentSnapshot

    endpoints = _enabled_endpoints(engagement)
    if not endpoints:
        return
    previous = (
        AssessmentSnapshot.objects.filter(engagement=engagement, taken_on__lte=on)
        .order_by("-taken_on")
        .first()
    )
    if previous is None:
        return

    def send(event_type: str, **details) -> None:
        _send(endpoints, engagement, event_type, details)

    readiness = assessment["readiness"]
    if readiness["band"] != previous.readiness_band:
        send(
            EventType.READINESS_CHANGED,
            readiness=readiness,
            previous={"score": previous.readiness_score, "band": previous.readiness_band},
        )
    before = _critical_subjects(previous.assessment)
    for finding in assessment["findings"]:
        if finding["severity"] == "critical" and _is_new(finding, before):
            send(EventType.FINDING_RAISED, finding=finding)
            if finding["code"] == ADOPTION_FINDING:
                send(EventType.ADOPTION_BEHIND_TARGET, finding=finding)
