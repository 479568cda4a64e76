"""API v1: engagements (DOMAIN.md section 9)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

from ninja import Field, Query, Router, Schema, Status
from pydantic import AfterValidator

from changeready.api.auth import api_engagement, api_membership, api_workspace, require_write
from changeready.api.errors import model_validation, responses
from changeready.api.schemas import (
    Bool,
    Contact,
    ContactOut,
    IfMatch,
    InputSchema,
    JsonDate,
    JsonFloat,
    Name200,
    PageParams,
    Text200,
    choice,
    omitted,
    parse_if_match,
)
from changeready.core.model import ADOPTION_MODES, PHASES
from changeready.engagements import services
from changeready.engagements.mapping import (
    ENGAGEMENT_PATHS,
    engagement_changes,
    engagement_data,
)
from changeready.engagements.models import Engagement

router = Router(tags=["engagements"])

Phase = choice(PHASES)
AdoptionMode = choice(ADOPTION_MODES)


class BlackoutPeriodIn(InputSchema):
    start: JsonDate
    end: JsonDate
    label: Text200 = ""


class BlackoutPeriodOut(Schema):
    start: date
    end: date
    label: str


ARR_MAX = 999_999_999_999.99


def _to_cents(value: float | None) -> float | None:
    # Money: the model keeps 14 digits, two of them after the point; a JSON
    # number may carry more decimals than that (452354871226.49005).
    return None if value is None else min(round(value, 2), ARR_MAX)


Money = Annotated[JsonFloat, AfterValidator(_to_cents)]
Arr = Field(None, ge=0, le=ARR_MAX, allow_inf_nan=False, description="Annual contract value.")


class EngagementOut(Schema):
    id: UUID
    version: int
    name: str
    customer: str
    product: str
    kickoff_date: date | None
    go_live_date: date
    phase: Phase
    change_summary: str
    delivery_lead: ContactOut | None
    cs_owner: ContactOut | None
    arr: float | None
    renewal_date: date | None
    opposition_reviewed: bool
    adoption_mode: AdoptionMode
    blackout_periods: list[BlackoutPeriodOut]
    handoff_accepted_at: datetime | None


class EngagementPage(Schema):
    items: list[EngagementOut]
    count: int = Field(description="Engagements in the workspace, over all pages.")
    limit: int
    offset: int


class EngagementIn(InputSchema):
    multiline_fields = frozenset({"change_summary"})

    name: Name200
    customer: Name200
    product: Text200 = ""
    kickoff_date: JsonDate | None = None
    go_live_date: JsonDate
    phase: Phase = "discovery"
    change_summary: str = Field("", max_length=10000)
    delivery_lead: Contact | None = None
    cs_owner: Contact | None = None
    arr: Money | None = Arr
    renewal_date: JsonDate | None = None
    opposition_reviewed: Bool = False
    adoption_mode: AdoptionMode = "voluntary"
    blackout_periods: list[BlackoutPeriodIn] = Field(default_factory=list, max_length=20)


class EngagementPatch(InputSchema):
    """Any subset of the writable fields; null clears an optional one."""

    multiline_fields = frozenset({"change_summary"})

    name: Name200 = omitted()
    customer: Name200 = omitted()
    product: Text200 = omitted()
    kickoff_date: JsonDate | None = None
    go_live_date: JsonDate = omitted()
    phase: Phase = omitted()
    change_summary: str = omitted(max_length=10000)
    delivery_lead: Contact | None = None
    cs_owner: Contact | None = None
    arr: Money | None = Arr
    renewal_date: JsonDate | None = None
    opposition_reviewed: Bool = omitted()
    adoption_mode: AdoptionMode = omitted()
    blackout_periods: list[BlackoutPeriodIn] = omitted(max_length=20)


def engagement_out(engagement: Engagement) -> dict:
    return {"id": engagement.id, "version": engagement.version, **engagement_data(engagement)}


@router.get(
    "/engagements",
    response=responses({200: EngagementPage}),
    summary="List the workspace's engagements",
    description="Ordered by go-live date, then name, then id. Paginated with `limit` and "
    "`offset`; the body holds `items`, the total `count`, and the `limit` and `offset` used.",
)
def list_engagements(request, page: Query[PageParams]):
    engagements = Engagement.objects.for_workspace(api_workspace(request)).order_by(
        "go_live_date", "name", "id"
    )
    items = engagements[page.offset : page.offset + page.limit]
    return {
        "items": [engagement_out(e) for e in items],
        "count": engagements.count(),
        "limit": page.limit,
        "offset": page.offset,
    }


@router.post(
    "/engagements",
    response=responses({201: EngagementOut}, 403, 413),
    summary="Create an engagement",
)
def create_engagement(request, payload: EngagementIn):
    require_write(request)
    with model_validation(ENGAGEMENT_PATHS):
        engagement = services.create_engagement(
            workspace=api_workspace(request),
            actor=api_membership(request).user,
            **engagement_changes(payload.model_dump()),
        )
    return Status(201, engagement_out(engagement))


@router.get(
    "/engagements/{engagement_id}",
    response=responses({200: EngagementOut}, 404),
    summary="Read an engagement",
)
def get_engagement(request, engagement_id: UUID):
    return engagement_out(api_engagement(request, engagement_id))


@router.patch(
    "/engagements/{engagement_id}",
    response=responses({200: EngagementOut}, 403, 404, 409, 413),
    summary="Change any subset of an engagement's fields",
    description="Send `If-Match: <version>` to refuse the change (409) if someone else "
    "saved the engagement since you read it.",
)
def update_engagement(
    request,
    engagement_id: UUID,
    payload: EngagementPatch,
    if_match: str = IfMatch,
):
    expected_version = parse_if_match(if_match)
    engagement = api_engagement(request, engagement_id, write=True)
    changes = engagement_changes(payload.model_dump(exclude_unset=True))
    with model_validation(ENGAGEMENT_PATHS):
        services.update_engagement(
            engagement,
            expected_version=expected_version,
            actor=api_membership(request).user,
            **changes,
        )
    return engagement_out(engagement)


@router.delete(
    "/engagements/{engagement_id}",
    response=responses({204: None}, 403, 404),
    summary="Delete an engagement with everything in it",
)
def delete_engagement(request, engagement_id: UUID):
    engagement = api_engagement(request, engagement_id, write=True)
    services.delete_engagement(engagement, actor=api_membership(request).user)
    return Status(204, None)
