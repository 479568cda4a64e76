"""API v1: webhook endpoints and their deliveries (docs/domain.md, section 7).

Owners and admins only: another role's token gets 403, another workspace's
endpoint is a 404. The secret is in the answer of the POST that creates an
endpoint and of the rotation, and nowhere else.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from ninja import Field, Query, Router, Schema, Status
from pydantic import StringConstraints

from changeready.api.auth import api_get, api_membership, api_workspace, require_manage
from changeready.api.errors import model_validation, responses
from changeready.api.schemas import (
    Bool,
    IfMatch,
    InputSchema,
    PageParams,
    omitted,
    parse_if_match,
)
from changeready.integrations import services
from changeready.integrations.models import (
    DeliveryStatus,
    EndpointKind,
    EventType,
    WebhookDelivery,
    WebhookEndpoint,
)

router = Router(tags=["webhooks"])

Kind = Literal[tuple(EndpointKind.values)]
Event = Literal[tuple(EventType.values)]
Url = Annotated[str, StringConstraints(min_length=1, max_length=2000)]
# The pattern is for the schema's readers; the model says why a URL is refused.
URL_SCHEMA: dict[str, Any] = {"pattern": r"^https://[^\u0000-\u0020\u007f]+$"}
Description = Annotated[str, StringConstraints(max_length=200)]
Events = Annotated[list[Event], Field(min_length=1)]
URL_DESCRIPTION = (
    "https only; the host must resolve to public internet addresses (checked on save and "
    "at every delivery). Redirects are not followed."
)


class WebhookOut(Schema):
    id: UUID
    version: int
    kind: Kind = Field(description="`webhook`: signed JSON; `slack`, `teams`: a message.")
    url: str
    description: str
    events: list[Event]
    enabled: bool
    disabled_reason: str = Field(description="Why it was switched off automatically, if so.")
    created_at: datetime


class WebhookCreatedOut(WebhookOut):
    secret: str = Field(
        description="`whsec_` + base64: verify signatures with it. Shown only in this answer."
    )


class WebhookIn(InputSchema):
    kind: Kind = "webhook"
    url: Url = Field(description=URL_DESCRIPTION, json_schema_extra=URL_SCHEMA)
    description: Description = ""
    events: Events
    enabled: Bool = True


class WebhookPatch(InputSchema):
    """Any subset of the writable fields. `enabled: true` also clears `disabled_reason`."""

    kind: Kind = omitted()
    url: Url = omitted(URL_SCHEMA, description=URL_DESCRIPTION)
    description: Description = omitted()
    events: Events = omitted()
    enabled: Bool = omitted()


class AttemptOut(Schema):
    number: int
    attempted_at: datetime
    status_code: int | None = Field(description="None when no answer came.")
    duration_ms: int
    response: str = Field(description="The answer's first bytes, or why there was none.")
    succeeded: bool


class DeliveryOut(Schema):
    id: UUID = Field(description="The `webhook-id` header: the same over retries and replays.")
    event_type: str
    status: Literal[tuple(DeliveryStatus.values)]
    attempts: list[AttemptOut]
    next_attempt_at: datetime | None
    created_at: datetime


class DeliveryPage(Schema):
    items: list[DeliveryOut]
    count: int
    limit: int
    offset: int


def webhook_out(endpoint: WebhookEndpoint) -> dict:
    return {
        "id": endpoint.id,
        "version": endpoint.version,
        "kind": endpoint.kind,
        "url": endpoint.url,
        "description": endpoint.description,
        "events": endpoint.events,
        "enabled": endpoint.enabled,
        "disabled_reason": endpoint.disabled_reason,
        "created_at": endpoint.created_at,
    }


def delivery_out(delivery: WebhookDelivery) -> dict:
    return {
        "id": delivery.id,
        "event_type": delivery.event_type,
        "status": delivery.status,
        "attempts": [
            {
                "number": attempt.number,
                "attempted_at": attempt.attempted_at,
                "status_code": attempt.status_code,
                "duration_ms": attempt.duration_ms,
                "response": attempt.response_excerpt,
                "succeeded": attempt.succeeded,
            }
            for attempt in delivery.attempt_log.all()
        ],
        "next_attempt_at": delivery.next_attempt_at,
        "created_at": delivery.created_at,
    }


def _endpoint(request, webhook_id) -> WebhookEndpoint:
    require_manage(request)
    endpoint = api_get(request, WebhookEndpoint, webhook_id)
    endpoint.workspace = api_workspace(request)
    return endpoint


@router.get(
    "/webhooks",
    response=responses({200: list[WebhookOut]}, 403),
    summary="List the workspace's webhook endpoints",
)
def list_webhooks(request):
    require_manage(request)
    return [webhook_out(e) for e in WebhookEndpoint.objects.for_workspace(api_workspace(request))]


@router.post(
    "/webhooks",
    response=responses({201: WebhookCreatedOut}, 403, 413),
    summary="Subscribe an endpoint to events; the answer holds its secret, shown once",
)
def create_webhook(request, payload: WebhookIn):
    require_manage(request)
    with model_validation():
        issued = services.create_endpoint(
            api_workspace(request), created_by=api_membership(request).user, **payload.model_dump()
        )
    return Status(201, {**webhook_out(issued.endpoint), "secret": issued.secret})


@router.get(
    "/webhooks/{webhook_id}",
    response=responses({200: WebhookOut}, 403, 404),
    summary="Read a webhook endpoint",
)
def get_webhook(request, webhook_id: UUID):
    return webhook_out(_endpoint(request, webhook_id))


@router.patch(
    "/webhooks/{webhook_id}",
    response=responses({200: WebhookOut}, 403, 404, 409, 413),
    summary="Change a webhook endpoint: URL, kind, events, description, on or off",
)
def update_webhook(request, webhook_id: UUID, payload: WebhookPatch, if_match: str = IfMatch):
    expected_version = parse_if_match(if_match)
    endpoint = _endpoint(request, webhook_id)
    with model_validation():
        services.update_endpoint(
            endpoint, expected_version=expected_version, **payload.model_dump(exclude_unset=True)
        )
    return webhook_out(endpoint)


@router.delete(
    "/webhooks/{webhook_id}",
    response=responses({204: None}, 403, 404),
    summary="Delete a webhook endpoint and its delivery log",
)
def delete_webhook(request, webhook_id: UUID):
    services.delete_endpoint(_endpoint(request, webhook_id))
    return Status(204, None)


@router.post(
    "/webhooks/{webhook_id}/rotate-secret",
    response=responses({200: WebhookCreatedOut}, 403, 404),
    summary="Replace the endpoint's secret; the answer holds the new one, shown once",
    description="The old secret stops signing at once: update the receiver straight away.",
)
def rotate_webhook_secret(request, webhook_id: UUID):
    issued = services.rotate_secret(_endpoint(request, webhook_id))
    return {**webhook_out(issued.endpoint), "secret": issued.secret}


@router.post(
    "/webhooks/{webhook_id}/test",
    response=responses({202: DeliveryOut}, 403, 404),
    summary="Queue a `webhook.test` event to the endpoint",
)
def test_webhook(request, webhook_id: UUID):
    with model_validation():
        delivery = services.send_test_event(_endpoint(request, webhook_id))
    return Status(202, delivery_out(delivery))


@router.get(
    "/webhooks/{webhook_id}/deliveries",
    response=responses({200: DeliveryPage}, 403, 404),
    summary="The endpoint's delivery log, newest first",
    description="Each delivery with every attempt: status code, duration and the answer's "
    "first bytes. Paginated with `limit` and `offset`.",
)
def list_deliveries(request, webhook_id: UUID, page: Query[PageParams]):
    endpoint = _endpoint(request, webhook_id)
    deliveries = endpoint.deliveries.order_by("-created_at", "id")
    items = deliveries.prefetch_related("attempt_log")[page.offset : page.offset + page.limit]
    return {
        "items": [delivery_out(d) for d in items],
        "count": deliveries.count(),
        "limit": page.limit,
        "offset": page.offset,
    }


@router.post(
    "/webhooks/{webhook_id}/deliveries/{delivery_id}/replay",
    response=responses({202: DeliveryOut}, 403, 404),
    summary="Send a failed delivery again",
    description="Only a `failed` delivery of a switched-on endpoint can be replayed (else "
    "422). It keeps its id and gets a fresh series of attempts.",
)
def replay_delivery(request, webhook_id: UUID, delivery_id: UUID):
    endpoint = _endpoint(request, webhook_id)
    delivery = api_get(request, endpoint.deliveries.select_related("endpoint"), delivery_id)
    with model_validation():
        delivery = services.replay_delivery(delivery)
    return Status(202, delivery_out(delivery))
