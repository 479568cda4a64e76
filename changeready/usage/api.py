"""API v1: usage events, measured adoption, the identity mapping and outcome KPIs
(docs/domain.md, "Measured adoption and outcome KPIs")."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated
from uuid import UUID

from django.conf import settings
from django.http import Http404
from ninja import Field, Router, Schema, Status

from changeready.api.auth import (
    ApiAuth,
    TokenAuth,
    api_engagement,
    api_get,
    api_membership,
)
from changeready.api.errors import (
    InvalidInput,
    PayloadTooLarge,
    invalid,
    model_validation,
    responses,
)
from changeready.api.schemas import (
    IfMatch,
    InputSchema,
    JsonFloat,
    JsonInt,
    Name200,
    choice,
    omitted,
    parse_if_match,
)
from changeready.core.kpis import DIRECTIONS
from changeready.core.rules import MAX_WEEK, MIN_WEEK
from changeready.engagements.models import Engagement
from changeready.landscape.models import Stakeholder
from changeready.usage import kpis as kpi_services
from changeready.usage import mapping
from changeready.usage.ingestion import MAX_EVENTS_PER_BATCH, ingest_events
from changeready.usage.models import KPI_MEASURES, MAPPING_KINDS, IngestionToken, Kpi, KpiValue
from changeready.usage.summary import usage_summary
from changeready.usage.tokens import TOKEN_PATTERN, resolve_ingestion_token

router = Router(tags=["usage and KPIs"])


class IngestionAuth:
    """An ingestion token: it may send events to its own engagement, nothing else."""

    def __init__(self, token: IngestionToken):
        self.token = token


class EventSenderAuth(TokenAuth):
    """A workspace API token of a writer, or an ingestion token of the engagement.

    One class for both, so they share the failure count per address and the
    rate limit per token."""

    def resolve(self, secret: str) -> ApiAuth | IngestionAuth | None:
        if TOKEN_PATTERN.match(secret):
            token = resolve_ingestion_token(secret)
            return IngestionAuth(token) if token is not None else None
        return super().resolve(secret)


def _sender_engagement(request, engagement_id: UUID) -> Engagement:
    auth = request.auth
    if isinstance(auth, IngestionAuth):
        if auth.token.engagement_id != engagement_id:
            raise Http404("Not found.")
        return auth.token.engagement
    return api_engagement(request, engagement_id, write=True)


class RejectedOut(Schema):
    index: int = Field(description="position of the event in `events`, from 0")
    reason: str


class IngestOut(Schema):
    accepted: int = Field(description="new events stored")
    duplicates: int = Field(description="events whose `id` was seen before (stored once)")
    rejected: list[RejectedOut]


EVENT_SCHEMA = {
    "type": "object",
    "required": ["events"],
    "additionalProperties": False,
    "properties": {
        "events": {
            "type": "array",
            "maxItems": MAX_EVENTS_PER_BATCH,
            "items": {
                "type": "object",
                "required": ["id", "user", "event", "timestamp"],
                "additionalProperties": False,
                "properties": {
                    "id": {"type": "string", "maxLength": 200, "description": "the sender's id"},
                    "user": {"type": "string", "maxLength": 200, "description": "a stable user id"},
                    "email": {"type": "string", "format": "email"},
                    "event": {"type": "string", "maxLength": 200},
                    "timestamp": {"type": "string", "format": "date-time"},
                    "properties": {"type": "object", "maxProperties": 50},
                },
            },
        }
    },
}


def _events_body(request) -> list:
    max_bytes = settings.USAGE_EVENTS_MAX_BYTES
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > max_bytes:
        raise PayloadTooLarge(max_bytes)
    # Read from the stream: `request.body` would apply the general (smaller) limit.
    body = request.read(max_bytes + 1)
    if len(body) > max_bytes:
        raise PayloadTooLarge(max_bytes)
    try:
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise invalid([], "The body is not JSON.") from None
    if not isinstance(payload, dict) or set(payload) != {"events"}:
        raise invalid([], 'The body must be an object with one field, "events".')
    events = payload["events"]
    if not isinstance(events, list):
        raise invalid(["events"], "`events` must be a list.")
    if len(events) > MAX_EVENTS_PER_BATCH:
        raise invalid(
            ["events"],
            f"At most {MAX_EVENTS_PER_BATCH:,} events a call; send the rest in more calls.",
        )
    return events


@router.post(
    "/engagements/{engagement_id}/usage/events",
    auth=EventSenderAuth(),
    response=responses({202: IngestOut}, 403, 404, 413),
    summary="Send usage events",
    description=(
        f"At most {MAX_EVENTS_PER_BATCH:,} events a call. Authenticate with a workspace API "
        "token of a writer or with the engagement's ingestion token (write-only). Each event "
        "is checked on its own: bad ones are listed in `rejected` with their index and reason, "
        "the good ones are kept. An `id` the engagement has seen before counts as a duplicate, "
        "so sending a batch twice stores it once. `properties.channel = legacy` marks work done "
        "the old way (compliance of mandatory engagements)."
    ),
    openapi_extra={
        "requestBody": {"required": True, "content": {"application/json": {"schema": EVENT_SCHEMA}}}
    },
)
def post_events(request, engagement_id: UUID):
    engagement = _sender_engagement(request, engagement_id)
    result = ingest_events(engagement, _events_body(request))
    return Status(
        202,
        {
            "accepted": result.accepted,
            "duplicates": result.duplicates,
            "rejected": [{"index": r.index, "reason": r.reason} for r in result.rejected],
        },
    )


class WeekOut(Schema):
    week: int
    complete: bool = Field(description="false for the running week: its figure may still rise")
    active_users: int
    work_events: int
    legacy_events: int
    measured_pct: float | None = Field(
        description="weekly active users / headcount (voluntary) or share of work events not "
        "done the old way (mandatory), capped at 100; null without a headcount"
    )
    target_pct: float | None
    actual_pct: float | None = Field(description="the figure the assessment uses")
    actual_source: choice(("measured", "manual")) | None = Field(
        description="`manual`: typed or imported, it wins over the measured figure"
    )


class GroupOut(Schema):
    id: UUID
    name: str
    headcount: int | None
    users: int = Field(description="users the mapping rules put in this group")
    counts_as_use: list[str]
    weeks: list[WeekOut]


class UnmappedOut(Schema):
    user: str
    email: str


class UnmappedListOut(Schema):
    count: int
    users: list[UnmappedOut] = Field(description="the first 200, by user id")


class UsageOut(Schema):
    adoption_mode: choice(("voluntary", "mandatory"))
    events: int
    last_event_at: datetime | None
    last_received_at: datetime | None
    mapped_users: int
    groups: list[GroupOut]
    unmapped: UnmappedListOut


def usage_out(engagement) -> dict:
    summary = usage_summary(engagement)
    return {
        "adoption_mode": summary.adoption_mode,
        "events": summary.events,
        "last_event_at": summary.last_event_at,
        "last_received_at": summary.last_received_at,
        "mapped_users": summary.mapped_users,
        "groups": [
            {
                "id": group.stakeholder.id,
                "name": group.stakeholder.name,
                "headcount": group.headcount,
                "users": group.users,
                "counts_as_use": group.counts_as_use,
                "weeks": [
                    {**week.__dict__, "actual_source": week.actual_source or None}
                    for week in group.weeks
                ],
            }
            for group in summary.groups
        ],
        "unmapped": {
            "count": summary.unmapped_users,
            "users": [{"user": u.external_id, "email": u.email} for u in summary.unmapped],
        },
    }


@router.get(
    "/engagements/{engagement_id}/usage",
    response=responses({200: UsageOut}, 404),
    summary="Measured adoption per group and week, unmapped users, last event",
)
def get_usage(request, engagement_id: UUID):
    return usage_out(api_engagement(request, engagement_id))


# --- identity mapping -------------------------------------------------------------

MappingKind = choice(MAPPING_KINDS)


class MappingRuleIn(InputSchema):
    group: UUID = Field(description="a daily-user group of the engagement")
    kind: MappingKind
    property_name: str = Field("", max_length=100, description="for `property` rules")
    values: list[Annotated[str, Field(max_length=254)]] = Field(
        min_length=1,
        max_length=mapping.MAX_RULE_VALUES,
        description="email domains, property values, or user ids and emails",
    )


class MappingRuleOut(Schema):
    id: UUID
    group: UUID
    kind: MappingKind
    property_name: str
    values: list[str]


class CountsAsUseIn(InputSchema):
    group: UUID
    events: list[Annotated[str, Field(max_length=200)]] = Field(
        max_length=mapping.MAX_COUNTS_AS_USE
    )


class MappingIn(InputSchema):
    rules: list[MappingRuleIn] = Field(max_length=500, description="in order: the first match wins")
    counts_as_use: list[CountsAsUseIn] = Field(
        default_factory=list,
        description="per group, the events that count as use (empty: every event)",
    )


class MappingOut(Schema):
    rules: list[MappingRuleOut]
    counts_as_use: list[CountsAsUseIn]
    mapped_users: int
    unmapped_users: int


def mapping_out(engagement) -> dict:
    summary = usage_summary(engagement)
    rules = engagement.usage_mapping_rules.order_by("position", "id")
    return {
        "rules": [
            {
                "id": rule.id,
                "group": rule.stakeholder_id,
                "kind": rule.kind,
                "property_name": rule.property_name,
                "values": rule.values,
            }
            for rule in rules
        ],
        "counts_as_use": [
            {"group": group.stakeholder.id, "events": group.counts_as_use}
            for group in summary.groups
            if group.counts_as_use
        ],
        "mapped_users": summary.mapped_users,
        "unmapped_users": summary.unmapped_users,
    }


@router.get(
    "/engagements/{engagement_id}/usage/mapping",
    response=responses({200: MappingOut}, 404),
    summary="The identity mapping rules and the live count of mapped and unmapped users",
)
def get_mapping(request, engagement_id: UUID):
    return mapping_out(api_engagement(request, engagement_id))


@router.put(
    "/engagements/{engagement_id}/usage/mapping",
    response=responses({200: MappingOut}, 403, 404),
    summary="Replace the identity mapping rules (in order) and the events that count as use",
    description="All or nothing: a bad rule refuses the whole change (422, with its path). "
    "Users are re-mapped and the measured adoption recomputed at once.",
)
def put_mapping(request, engagement_id: UUID, payload: MappingIn):
    engagement = api_engagement(request, engagement_id, write=True)
    groups = {g.id: g for g in Stakeholder.objects.filter(engagement=engagement, kind="group")}
    errors = []
    for position, rule in enumerate(payload.rules):
        if rule.group not in groups:
            errors.append(
                {
                    "path": ["rules", position, "group"],
                    "message": "No such group in this engagement.",
                }
            )
    for position, entry in enumerate(payload.counts_as_use):
        if entry.group not in groups:
            errors.append(
                {
                    "path": ["counts_as_use", position, "group"],
                    "message": "No such group in this engagement.",
                }
            )
    if errors:
        raise InvalidInput(errors)
    rules = [
        {
            "stakeholder": groups[rule.group],
            "kind": rule.kind,
            "property_name": rule.property_name,
            "values": rule.values,
        }
        for rule in payload.rules
    ]
    counts_as_use = {groups[entry.group]: entry.events for entry in payload.counts_as_use}
    try:
        with model_validation({"counts_as_use": ["counts_as_use"]}):
            mapping.replace_mapping(
                engagement, rules, counts_as_use, actor=api_membership(request).user
            )
    except mapping.MappingInvalid as error:
        raise InvalidInput(
            [
                {
                    "path": ["rules", position, {"stakeholder": "group"}.get(name, name)],
                    "message": message,
                }
                for position, refused in error.errors.items()
                for name, messages in refused.message_dict.items()
                for message in messages
            ]
        ) from None
    return mapping_out(engagement)


# --- KPIs -------------------------------------------------------------------------

Direction = choice(DIRECTIONS)
Measure = choice(KPI_MEASURES)
Week = Annotated[JsonInt, Field(ge=MIN_WEEK, le=MAX_WEEK)]


class KpiValueIO(InputSchema):
    week: Week
    value: Annotated[JsonFloat, Field(allow_inf_nan=False)]


class KpiIn(InputSchema):
    name: Name200
    stakeholder: UUID | None = None
    unit: str = Field("", max_length=40)
    direction: Direction | None = Field(
        None,
        description="defaults to the sign of target - baseline; a contradicting one is refused",
    )
    baseline: Annotated[JsonFloat, Field(allow_inf_nan=False)] | None = None
    target: Annotated[JsonFloat, Field(allow_inf_nan=False)]
    due_week: Week | None = None
    measure: Measure = Field(
        "typed",
        description="`typed` (values sent here), or computed weekly from usage events: "
        "`event_count` (how many `event`s) or `property_sum` (the sum of `property` over them)",
    )
    event: str = Field("", max_length=200)
    property: str = Field("", max_length=100)
    values: list[KpiValueIO] = Field(default_factory=list, max_length=kpi_services.MAX_VALUES)


class KpiPatch(InputSchema):
    name: Name200 = omitted()
    stakeholder: UUID | None = None
    unit: str = omitted(max_length=40)
    direction: Direction = omitted()
    baseline: Annotated[JsonFloat, Field(allow_inf_nan=False)] | None = None
    target: Annotated[JsonFloat, Field(allow_inf_nan=False)] = omitted()
    due_week: Week | None = None
    measure: Measure = omitted()
    event: str = omitted(max_length=200)
    property: str = omitted(max_length=100)
    values: list[KpiValueIO] = omitted(max_length=kpi_services.MAX_VALUES)


class KpiOut(Schema):
    id: UUID
    version: int
    name: str
    stakeholder: UUID | None
    unit: str
    direction: Direction
    baseline: float | None
    target: float
    due_week: int | None
    measure: Measure
    event: str
    property: str
    values: list[KpiValueIO]


KPI_PATHS = {
    "name": ["name"],
    "stakeholder": ["stakeholder"],
    "unit": ["unit"],
    "direction": ["direction"],
    "baseline": ["baseline"],
    "target": ["target"],
    "due_week": ["due_week"],
    "measure": ["measure"],
    "event": ["event"],
    "property_name": ["property"],
    "values": ["values"],
}


def kpi_out(kpi: Kpi, values=None) -> dict:
    if values is None:
        values = list(kpi.values.values_list("week", "value"))
    return {
        "id": kpi.id,
        "version": kpi.version,
        "name": kpi.name,
        "stakeholder": kpi.stakeholder_id,
        "unit": kpi.unit,
        "direction": kpi.direction,
        "baseline": kpi.baseline,
        "target": kpi.target,
        "due_week": kpi.due_week,
        "measure": kpi.measure,
        "event": kpi.event,
        "property": kpi.property_name,
        "values": [{"week": week, "value": value} for week, value in values],
    }


def _kpi_fields(engagement, data: dict) -> dict:
    if "property" in data:
        data["property_name"] = data.pop("property")
    if "values" in data:
        data["values"] = [dict(value) for value in data["values"]]
    if data.get("stakeholder") is not None:
        stakeholder = engagement.stakeholders.filter(id=data["stakeholder"]).first()
        if stakeholder is None:
            raise invalid(["stakeholder"], "No such stakeholder in this engagement.")
        data["stakeholder"] = stakeholder
    return data


@router.get(
    "/engagements/{engagement_id}/kpis",
    response=responses({200: list[KpiOut]}, 404),
    summary="The engagement's outcome KPIs with their weekly values",
)
def list_kpis(request, engagement_id: UUID):
    engagement = api_engagement(request, engagement_id)
    kpis = list(engagement.kpis.order_by("created_at", "name"))
    values: dict = {}
    for kpi_id, week, value in KpiValue.objects.filter(kpi__engagement=engagement).values_list(
        "kpi_id", "week", "value"
    ):
        values.setdefault(kpi_id, []).append((week, value))
    return [kpi_out(kpi, sorted(values.get(kpi.id, []))) for kpi in kpis]


@router.post(
    "/engagements/{engagement_id}/kpis",
    response=responses({201: KpiOut}, 403, 404),
    summary="Add an outcome KPI",
)
def create_kpi(request, engagement_id: UUID, payload: KpiIn):
    engagement = api_engagement(request, engagement_id, write=True)
    data = _kpi_fields(engagement, payload.model_dump())
    with model_validation(KPI_PATHS):
        kpi = kpi_services.create_kpi(engagement, actor=api_membership(request).user, **data)
    return Status(201, kpi_out(kpi))


@router.get("/kpis/{kpi_id}", response=responses({200: KpiOut}, 404), summary="One KPI")
def get_kpi(request, kpi_id: UUID):
    return kpi_out(api_get(request, Kpi, kpi_id))


@router.patch(
    "/kpis/{kpi_id}",
    response=responses({200: KpiOut}, 403, 404, 409),
    summary="Change any subset of a KPI's fields",
    description="`values` replaces a typed KPI's values. Send `If-Match: <version>` to refuse "
    "the change (409) if someone else saved the KPI since you read it.",
)
def update_kpi(request, kpi_id: UUID, payload: KpiPatch, if_match: str = IfMatch):
    expected_version = parse_if_match(if_match)
    kpi = api_get(request, Kpi.objects.select_related("engagement"), kpi_id, write=True)
    data = _kpi_fields(kpi.engagement, payload.model_dump(exclude_unset=True))
    with model_validation(KPI_PATHS):
        kpi_services.update_kpi(
            kpi, expected_version=expected_version, actor=api_membership(request).user, **data
        )
    return kpi_out(kpi)


@router.delete(
    "/kpis/{kpi_id}", response=responses({204: None}, 403, 404, 409), summary="Delete a KPI"
)
def delete_kpi(request, kpi_id: UUID, if_match: str = IfMatch):
    expected_version = parse_if_match(if_match)
    kpi = api_get(request, Kpi.objects.select_related("engagement"), kpi_id, write=True)
    kpi_services.delete_kpi(
        kpi, expected_version=expected_version, actor=api_membership(request).user
    )
    return Status(204, None)
