"""API v1: the activation plan, its hand edits, adoption targets and actuals (DOMAIN.md 9).

Objects use the engagement file's plan field names, with `id` in place of
`key` and ids wherever one object refers to another.
"""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from ninja import Field, Router, Schema, Status
from pydantic import StringConstraints

from changeready.api.auth import api_engagement, api_get, api_membership
from changeready.api.errors import InvalidInput, invalid, model_validation, responses
from changeready.api.schemas import IfMatch, InputSchema, choice, omitted, parse_if_match
from changeready.core.model import (
    ADKAR_ELEMENTS,
    FORMATS,
    OWNER_ROLES,
    PLAN_ITEM_KINDS,
    PLAN_ITEM_STATUSES,
    WORKSTREAMS,
)
from changeready.core.rules import MAX_WEEK, MIN_WEEK
from changeready.planning import adoption, item_edits, presentation, regeneration
from changeready.planning.models import AdoptionTarget, PlanItem

router = Router(tags=["plan"])

Kind = choice(PLAN_ITEM_KINDS)
OwnerRole = choice(OWNER_ROLES)
AdkarElement = choice(ADKAR_ELEMENTS)
Status_ = choice(PLAN_ITEM_STATUSES)
Workstream = choice(WORKSTREAMS)
ItemFormat = choice(FORMATS)
Week = Annotated[int, Field(ge=MIN_WEEK, le=MAX_WEEK)]
Title = Annotated[str, StringConstraints(min_length=1, max_length=300)]
Percent = Annotated[float, Field(ge=0, le=100, allow_inf_nan=False)]
MAX_ACTUALS = 5000


class PlanItemOut(Schema):
    id: UUID
    version: int
    week: int
    title: str
    description: str
    kind: Kind
    owner_role: OwnerRole
    owner: str
    audience: list[UUID] = Field(description="ids of the stakeholders the item is for")
    adkar_target: AdkarElement | None
    resistance_point: UUID | None
    status: Status_
    origin: str = Field(description="`manual`, or `generated:<rule key>`")
    reason: str = Field(description="why the generator made the item (empty for manual items)")
    workstream: Workstream | None = Field(
        description="sponsorship, communication, enablement, resistance, support, "
        "measurement or handoff; null for items made before workstreams existed"
    )
    format: ItemFormat | None = Field(
        description="how the item is run, sized for its audience; null as for workstream"
    )


class AdoptionTargetOut(Schema):
    id: UUID
    version: int
    stakeholder: UUID
    week: int
    target_pct: float
    actual_pct: float | None


class PlanOut(Schema):
    first_week: int
    last_week: int
    items: list[PlanItemOut]
    adoption_targets: list[AdoptionTargetOut]


class PlanItemIn(InputSchema):
    multiline_fields = frozenset({"description"})

    week: Week
    title: Title
    description: str = Field("", max_length=10000)
    kind: Kind
    owner_role: OwnerRole
    owner: str = Field("", max_length=200)
    audience: list[UUID] = Field(default_factory=list, max_length=5000)
    adkar_target: AdkarElement | None = None
    resistance_point: UUID | None = None
    status: Status_ = "planned"


class PlanItemPatch(InputSchema):
    """Any subset of the writable fields; a generated item changed here is kept by regeneration."""

    multiline_fields = frozenset({"description"})

    week: Week = omitted()
    title: Title = omitted()
    description: str = omitted(max_length=10000)
    kind: Kind = omitted()
    owner_role: OwnerRole = omitted()
    owner: str = omitted(max_length=200)
    audience: list[UUID] = omitted(max_length=5000)
    adkar_target: AdkarElement | None = None
    resistance_point: UUID | None = None
    status: Status_ = omitted()


class AdoptionTargetPatch(InputSchema):
    target_pct: Percent = omitted()
    actual_pct: Percent | None = None


class ActualIn(InputSchema):
    stakeholder: UUID
    week: int = Field(ge=0, le=MAX_WEEK)
    actual_pct: Percent


class ActualsIn(InputSchema):
    actuals: list[ActualIn] = Field(min_length=1, max_length=MAX_ACTUALS)


class ActualsOut(Schema):
    updated: int


MAX_OWNER_ITEMS = 5000


class ItemFilter(InputSchema):
    """Which items, as the plan page's filters pick them; every given field must match."""

    workstream: Workstream | None = None
    owner_role: OwnerRole | None = None
    owner: str | None = Field(
        None,
        max_length=200,
        description='the current named owner; `"-"` for items without one',
    )
    audience: UUID | None = Field(
        None, description="a stakeholder: items addressed to them or to their group"
    )
    first_week: Week | None = None
    last_week: Week | None = None


class OwnersIn(InputSchema):
    owner: str = Field(min_length=1, max_length=200, description="the person to name")
    items: list[UUID] | None = Field(
        None,
        min_length=1,
        max_length=MAX_OWNER_ITEMS,
        description="ids of the items; or give `filter` instead",
    )
    filter: ItemFilter | None = Field(None, description="pick the items by filter instead")


class OwnersOut(Schema):
    matched: int = Field(description="items the ids or the filter picked")
    changed: int = Field(description="items whose owner changed (the others had it already)")


ITEM_PATHS = {
    name: [name]
    for name in (
        "week",
        "title",
        "description",
        "kind",
        "owner_role",
        "owner",
        "audience",
        "adkar_target",
        "resistance_point",
        "status",
    )
}


def item_out(item: PlanItem, audience: list | None = None) -> dict:
    if audience is None:
        audience = [s.pk for s in item.audience.all()]
    return {
        "id": item.id,
        "version": item.version,
        "week": item.week,
        "title": item.title,
        "description": item.description,
        "kind": item.kind,
        "owner_role": item.owner_role,
        "owner": item.owner,
        "audience": audience,
        "adkar_target": item.adkar_target or None,
        "resistance_point": item.resistance_point_id,
        "status": item.status,
        "origin": item.origin,
        "reason": item.reason,
        "workstream": item.workstream or None,
        "format": item.format or None,
    }


def target_out(target: AdoptionTarget) -> dict:
    return {
        "id": target.id,
        "version": target.version,
        "stakeholder": target.stakeholder_id,
        "week": target.week,
        "target_pct": target.target_pct,
        "actual_pct": target.actual_pct,
    }


def plan_out(engagement) -> dict:
    """The whole plan in a fixed number of queries (items, audiences, targets)."""
    audiences: dict = {}
    through = PlanItem.audience.through.objects.filter(planitem__engagement=engagement)
    for item_id, stakeholder_id in through.values_list("planitem_id", "stakeholder_id"):
        audiences.setdefault(item_id, []).append(stakeholder_id)
    items = engagement.plan_items.order_by("week", "created_at", "id")
    targets = engagement.adoption_targets.order_by("stakeholder_id", "week")
    return {
        "first_week": engagement.plan_first_week,
        "last_week": engagement.plan_last_week,
        "items": [item_out(item, sorted(audiences.get(item.id, []))) for item in items],
        "adoption_targets": [target_out(target) for target in targets],
    }


def _item_changes(data: dict) -> dict:
    changes = dict(data)
    if "adkar_target" in changes:
        changes["adkar_target"] = changes["adkar_target"] or ""
    return changes


@router.get(
    "/engagements/{engagement_id}/plan",
    response=responses({200: PlanOut}, 404),
    summary="The activation plan: items and adoption targets",
)
def get_plan(request, engagement_id: UUID):
    return plan_out(api_engagement(request, engagement_id))


@router.post(
    "/engagements/{engagement_id}/plan/generate",
    response=responses({200: PlanOut}, 403, 404),
    summary="Generate or regenerate the plan; returns it",
    description=(
        "Uses the workspace's playbook. Items added or edited by hand, items marked done or "
        "skipped, and generated items that were deleted stay as they are; untouched generated "
        "items whose rule no longer applies are removed. Regenerating twice changes nothing."
    ),
)
def generate(request, engagement_id: UUID):
    engagement = api_engagement(request, engagement_id, write=True)
    regeneration.regenerate_plan(engagement, actor=api_membership(request).user)
    return plan_out(engagement)


@router.post(
    "/engagements/{engagement_id}/plan/items",
    response=responses({201: PlanItemOut}, 403, 404, 413),
    summary="Add a plan item by hand",
)
def create_item(request, engagement_id: UUID, payload: PlanItemIn):
    engagement = api_engagement(request, engagement_id, write=True)
    changes = _item_changes(payload.model_dump())
    audience = changes.pop("audience")
    with model_validation(ITEM_PATHS):
        item = item_edits.create_item(
            engagement, audience=audience, actor=api_membership(request).user, **changes
        )
    return Status(201, item_out(item))


@router.post(
    "/engagements/{engagement_id}/plan/items/owners",
    response=responses({200: OwnersOut}, 403, 404, 413),
    summary="Name one owner for many plan items, by ids or by filter",
    description=(
        "Send `items` (ids of this plan's items) or `filter` (the plan page's filters: "
        "workstream, owner role, current owner, audience, weeks), not both. Generated items "
        "whose owner changes become hand work, so regeneration keeps them. In `filter`, "
        '`"owner": "-"` picks the items without a named owner, and `{}` every item. A filter '
        "that matches nothing changes nothing."
    ),
)
def assign_owners(request, engagement_id: UUID, payload: OwnersIn):
    engagement = api_engagement(request, engagement_id, write=True)
    if (payload.items is None) == (payload.filter is None):
        raise invalid(["items"], "Send either `items` or `filter`.")
    if payload.items is not None:
        ids = payload.items
    else:
        ids = list(_filtered(engagement, payload.filter).values_list("id", flat=True))
        if not ids:
            return {"matched": 0, "changed": 0}
    with model_validation({"owner": ["owner"], "items": ["items"]}):
        changed = item_edits.assign_owner(
            engagement, ids, payload.owner, actor=api_membership(request).user
        )
    return {"matched": len(set(ids)), "changed": changed}


def _filtered(engagement, chosen: ItemFilter):
    audience = None
    if chosen.audience is not None:
        audience = engagement.stakeholders.filter(id=chosen.audience).first()
        if audience is None:
            raise invalid(
                ["filter", "audience"], "The audience must be a stakeholder of this engagement."
            )
    return presentation.filter_items(
        engagement,
        audience=audience,
        owner=chosen.owner or "",
        owner_role=chosen.owner_role or "",
        workstream=chosen.workstream or "",
        first_week=chosen.first_week,
        last_week=chosen.last_week,
    )


@router.patch(
    "/plan-items/{item_id}",
    response=responses({200: PlanItemOut}, 403, 404, 409, 413),
    summary="Change any subset of a plan item's fields",
    description="Send `If-Match: <version>` to refuse the change (409) if someone else "
    "saved the item since you read it.",
)
def update_item(
    request,
    item_id: UUID,
    payload: PlanItemPatch,
    if_match: str = IfMatch,
):
    expected_version = parse_if_match(if_match)
    item = api_get(request, PlanItem.objects.select_related("engagement"), item_id, write=True)
    changes = _item_changes(payload.model_dump(exclude_unset=True))
    audience = changes.pop("audience", None)
    with model_validation(ITEM_PATHS):
        item_edits.update_item(
            item,
            expected_version=expected_version,
            audience=audience,
            actor=api_membership(request).user,
            **changes,
        )
    return item_out(item)


@router.delete(
    "/plan-items/{item_id}",
    response=responses({204: None}, 403, 404, 409),
    summary="Delete a plan item (a deleted generated item is not generated again)",
)
def delete_item(request, item_id: UUID, if_match: str = IfMatch):
    expected_version = parse_if_match(if_match)
    item = api_get(request, PlanItem.objects.select_related("engagement"), item_id, write=True)
    item_edits.delete_item(
        item, expected_version=expected_version, actor=api_membership(request).user
    )
    return Status(204, None)


@router.patch(
    "/adoption-targets/{target_id}",
    response=responses({200: AdoptionTargetOut}, 403, 404, 409, 413),
    summary="Set a week's adoption target or actual figure",
    description="A target set here is kept when the plan is regenerated. `actual_pct: null` "
    "clears the actual figure. Send `If-Match: <version>` to refuse a concurrent change (409).",
)
def update_target(
    request,
    target_id: UUID,
    payload: AdoptionTargetPatch,
    if_match: str = IfMatch,
):
    expected_version = parse_if_match(if_match)
    target = api_get(
        request, AdoptionTarget.objects.select_related("engagement"), target_id, write=True
    )
    changes = payload.model_dump(exclude_unset=True)
    actor = api_membership(request).user
    with model_validation({"target_pct": ["target_pct"], "actual_pct": ["actual_pct"]}):
        if "target_pct" in changes:
            adoption.set_target(
                target, changes["target_pct"], expected_version=expected_version, actor=actor
            )
            expected_version = None if expected_version is None else target.version
        if "actual_pct" in changes:
            adoption.set_actual(
                target, changes["actual_pct"], expected_version=expected_version, actor=actor
            )
    return target_out(target)


@router.post(
    "/engagements/{engagement_id}/plan/actuals",
    response=responses({200: ActualsOut}, 403, 404, 413),
    summary="Record actual adoption figures in bulk, all or nothing",
    description="Each entry sets the actual weekly-active share of a daily-user group in a "
    "week that has an adoption target. If any entry is refused, none is stored, and the 422 "
    "names every bad entry by its position.",
)
def record_actuals(request, engagement_id: UUID, payload: ActualsIn):
    engagement = api_engagement(request, engagement_id, write=True)
    # The service reports by line; the API's "line" is the entry's position.
    rows = [
        (position, adoption.Actual(actual.stakeholder, actual.week, actual.actual_pct))
        for position, actual in enumerate(payload.actuals)
    ]
    try:
        updated = adoption.record_actuals(engagement, rows, actor=api_membership(request).user)
    except adoption.ActualsImportError as error:
        raise InvalidInput(
            [
                {"path": ["actuals", row.line, *filter(None, [row.field])], "message": row.message}
                for row in error.errors
            ]
        ) from None
    return {"updated": updated}
