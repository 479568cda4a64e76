"""API v1: the stakeholder landscape and the resistor register (DOMAIN.md section 9)."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from ninja import Field, Query, Router, Schema, Status

from changeready.api.auth import api_engagement, api_get, api_membership
from changeready.api.errors import invalid, model_validation, responses
from changeready.api.schemas import (
    AdkarScore,
    Bool,
    Email,
    IfMatch,
    InputSchema,
    JsonDate,
    JsonInt,
    Level,
    Name200,
    PageParams,
    Text200,
    choice,
    omitted,
    parse_if_match,
)
from changeready.core.model import (
    ADKAR_SOURCES,
    ENGAGEMENT_LEVELS,
    INVOLVEMENTS,
    KINDS,
    MITIGATION_STATUSES,
    MITIGATION_STRATEGIES,
    RESISTANCE_SOURCES,
    ROLES,
)
from changeready.landscape import services
from changeready.landscape.mapping import (
    RESISTANCE_PATHS,
    STAKEHOLDER_PATHS,
    resistance_changes,
    resistance_data,
    stakeholder_changes,
    stakeholder_data,
)
from changeready.landscape.models import (
    COMMITMENT_STATUSES,
    LOG_KINDS,
    Commitment,
    ResistancePoint,
    Stakeholder,
    StakeholderLogEntry,
)

router = Router(tags=["landscape"])

Kind = choice(KINDS)
Role = choice(ROLES)
EngagementLevel = choice(ENGAGEMENT_LEVELS)
Involvement = choice(INVOLVEMENTS)
Source = choice(RESISTANCE_SOURCES)
Strategy = choice(MITIGATION_STRATEGIES)
MitigationStatus = choice(MITIGATION_STATUSES)
AdkarSource = choice(ADKAR_SOURCES)
ADKAR_ASSESSED_ON = (
    "When the ADKAR scores were estimated or measured. Changing a score without giving "
    "`adkar_source` records an estimate made today."
)
ADKAR_SOURCE = (
    "`survey` when a pulse survey measured the scores, `estimated` (the default) when the team did."
)
LongText = Field("", max_length=5000)
DueWeek = Field(None, ge=-52, le=52, description="Week relative to go-live.")


class Adkar(InputSchema):
    """ADKAR scores 1-5 (a pulse survey's mean may be fractional); null when unknown."""

    awareness: AdkarScore | None = None
    desire: AdkarScore | None = None
    knowledge: AdkarScore | None = None
    ability: AdkarScore | None = None
    reinforcement: AdkarScore | None = None


class StakeholderOut(Schema):
    id: UUID
    engagement_id: UUID
    version: int
    kind: Kind
    name: str
    title: str
    email: str
    group: UUID | None = Field(description="id of the group a person belongs to")
    role: Role
    opposed_purchase: bool
    influence: int
    interest: int
    impact: int
    engagement: EngagementLevel = Field(description="current engagement level")
    desired_engagement: EngagementLevel
    involvement: list[Involvement]
    success_definition: str
    resistance_triggers: str
    job_gets_harder: bool
    authority_decreases: bool
    adkar: Adkar = Field(
        description="null for every element while `adkar_withheld`: a pulse survey's "
        "scores from fewer than 3 responses are not shown anywhere"
    )
    adkar_withheld: bool = Field(
        description="measured by a pulse survey from too few responses to show the scores"
    )
    adkar_assessed_on: date | None = Field(description=ADKAR_ASSESSED_ON)
    adkar_source: AdkarSource = Field(description=ADKAR_SOURCE)
    headcount: int | None
    is_champion: bool
    notes: str


class StakeholderPage(Schema):
    items: list[StakeholderOut]
    count: int
    limit: int
    offset: int


class StakeholderIn(InputSchema):
    multiline_fields = frozenset({"success_definition", "resistance_triggers", "notes"})

    kind: Kind = "group"
    name: Name200
    title: Text200 = ""
    email: Email | None = None
    group: UUID | None = None
    role: Role = "daily_user"
    opposed_purchase: Bool = False
    influence: Level = 3
    interest: Level = 3
    impact: Level = 3
    engagement: EngagementLevel = "neutral"
    desired_engagement: EngagementLevel = "supportive"
    involvement: list[Involvement] = Field(
        default_factory=list, max_length=6, json_schema_extra={"uniqueItems": True}
    )
    success_definition: str = LongText
    resistance_triggers: str = LongText
    job_gets_harder: Bool = False
    authority_decreases: Bool = False
    adkar: Adkar | None = None
    adkar_assessed_on: date | None = Field(None, description=ADKAR_ASSESSED_ON)
    adkar_source: AdkarSource = omitted(description=ADKAR_SOURCE)
    headcount: JsonInt | None = Field(None, ge=0, le=10**9)
    is_champion: Bool = False
    notes: str = Field("", max_length=10000)


class StakeholderPatch(InputSchema):
    """Any subset of the writable fields. In `adkar`, only the elements given change."""

    multiline_fields = frozenset({"success_definition", "resistance_triggers", "notes"})

    kind: Kind = omitted()
    name: Name200 = omitted()
    title: Text200 | None = None
    email: Email | None = None
    group: UUID | None = None
    role: Role = omitted()
    opposed_purchase: Bool = omitted()
    influence: Level = omitted()
    interest: Level = omitted()
    impact: Level = omitted()
    engagement: EngagementLevel = omitted()
    desired_engagement: EngagementLevel = omitted()
    involvement: list[Involvement] | None = Field(
        None, max_length=6, json_schema_extra={"uniqueItems": True}
    )
    success_definition: str | None = Field(None, max_length=5000)
    resistance_triggers: str | None = Field(None, max_length=5000)
    job_gets_harder: Bool = omitted()
    authority_decreases: Bool = omitted()
    adkar: Adkar | None = None
    adkar_assessed_on: date | None = Field(None, description=ADKAR_ASSESSED_ON)
    adkar_source: AdkarSource = omitted(description=ADKAR_SOURCE)
    headcount: JsonInt | None = Field(None, ge=0, le=10**9)
    is_champion: Bool = omitted()
    notes: str | None = Field(None, max_length=10000)


class Mitigation(InputSchema):
    multiline_fields = frozenset({"notes"})

    strategy: Strategy | None = None
    owner: Text200 | None = None
    due_week: JsonInt | None = DueWeek
    status: MitigationStatus | None = None
    notes: str | None = Field(None, max_length=5000)


class MitigationOut(Schema):
    strategy: Strategy | None
    owner: str
    due_week: int | None
    status: MitigationStatus
    notes: str


class ResistanceOut(Schema):
    id: UUID
    engagement_id: UUID
    version: int
    stakeholder: UUID
    source: Source
    description: str
    severity: int
    mitigation: MitigationOut


class ResistancePage(Schema):
    items: list[ResistanceOut]
    count: int
    limit: int
    offset: int


class ResistanceIn(InputSchema):
    multiline_fields = frozenset({"description"})

    stakeholder: UUID
    source: Source
    description: str = LongText
    severity: Level = 3
    mitigation: Mitigation | None = None


class ResistancePatch(InputSchema):
    """Any subset of the writable fields. In `mitigation`, only the fields given change."""

    multiline_fields = frozenset({"description"})

    stakeholder: UUID = omitted()
    source: Source = omitted()
    description: str | None = Field(None, max_length=5000)
    severity: Level = omitted()
    mitigation: Mitigation | None = None


def stakeholder_out(stakeholder: Stakeholder) -> dict:
    return {
        "id": stakeholder.id,
        "engagement_id": stakeholder.engagement_id,
        "version": stakeholder.version,
        **stakeholder_data(stakeholder),
        "group": stakeholder.group_id,
        "adkar_withheld": stakeholder.adkar_withheld,
    }


def resistance_out(point: ResistancePoint) -> dict:
    return {
        "id": point.id,
        "engagement_id": point.engagement_id,
        "version": point.version,
        "stakeholder": point.stakeholder_id,
        **resistance_data(point),
    }


def _in_engagement(engagement_id, field: str):
    """Resolve a stakeholder id given in a body, only within the same engagement.

    An id of another engagement or workspace is reported exactly like an
    unknown one, and never attached.
    """

    def resolve(stakeholder_id) -> Stakeholder:
        found = Stakeholder.objects.filter(engagement_id=engagement_id, id=stakeholder_id).first()
        if found is None:
            raise invalid([field], "No such stakeholder in this engagement.")
        return found

    return resolve


def _page(queryset, page: PageParams, out) -> dict:
    return {
        "items": [out(obj) for obj in queryset[page.offset : page.offset + page.limit]],
        "count": queryset.count(),
        "limit": page.limit,
        "offset": page.offset,
    }


# --- stakeholders ------------------------------------------------------------


@router.get(
    "/engagements/{engagement_id}/stakeholders",
    response=responses({200: StakeholderPage}, 404),
    summary="List an engagement's stakeholders",
    description="In the order they were added. Paginated like the engagement list.",
)
def list_stakeholders(request, engagement_id: UUID, page: Query[PageParams]):
    engagement = api_engagement(request, engagement_id)
    stakeholders = Stakeholder.objects.filter(engagement=engagement).order_by(
        "created_at", "name", "id"
    )
    return _page(stakeholders, page, stakeholder_out)


@router.post(
    "/engagements/{engagement_id}/stakeholders",
    response=responses({201: StakeholderOut}, 403, 404, 413),
    summary="Add a stakeholder (a group or a person)",
)
def create_stakeholder(request, engagement_id: UUID, payload: StakeholderIn):
    engagement = api_engagement(request, engagement_id, write=True)
    changes = stakeholder_changes(payload.model_dump(), _in_engagement(engagement.id, "group"))
    with model_validation(STAKEHOLDER_PATHS):
        stakeholder = services.create_stakeholder(
            engagement, actor=api_membership(request).user, **changes
        )
    return Status(201, stakeholder_out(stakeholder))


@router.get(
    "/stakeholders/{stakeholder_id}",
    response=responses({200: StakeholderOut}, 404),
    summary="Read a stakeholder",
)
def get_stakeholder(request, stakeholder_id: UUID):
    return stakeholder_out(api_get(request, Stakeholder, stakeholder_id))


@router.patch(
    "/stakeholders/{stakeholder_id}",
    response=responses({200: StakeholderOut}, 403, 404, 409, 413),
    summary="Change any subset of a stakeholder's fields",
    description="Send `If-Match: <version>` to refuse the change (409) if someone else "
    "saved the stakeholder since you read it.",
)
def update_stakeholder(
    request,
    stakeholder_id: UUID,
    payload: StakeholderPatch,
    if_match: str = IfMatch,
):
    expected_version = parse_if_match(if_match)
    stakeholder = api_get(
        request, Stakeholder.objects.select_related("engagement"), stakeholder_id, write=True
    )
    changes = stakeholder_changes(
        payload.model_dump(exclude_unset=True), _in_engagement(stakeholder.engagement_id, "group")
    )
    with model_validation(STAKEHOLDER_PATHS):
        services.update_stakeholder(
            stakeholder,
            expected_version=expected_version,
            actor=api_membership(request).user,
            **changes,
        )
    return stakeholder_out(stakeholder)


@router.delete(
    "/stakeholders/{stakeholder_id}",
    response=responses({204: None}, 403, 404),
    summary="Delete a stakeholder and its resistance points",
)
def delete_stakeholder(request, stakeholder_id: UUID):
    stakeholder = api_get(
        request, Stakeholder.objects.select_related("engagement"), stakeholder_id, write=True
    )
    services.delete_stakeholder(stakeholder, actor=api_membership(request).user)
    return Status(204, None)


# --- resistance points -------------------------------------------------------


@router.get(
    "/engagements/{engagement_id}/resistance",
    response=responses({200: ResistancePage}, 404),
    summary="List an engagement's resistor register",
    description="Most severe first, then in the order they were added. Paginated like the "
    "engagement list.",
)
def list_resistance(request, engagement_id: UUID, page: Query[PageParams]):
    engagement = api_engagement(request, engagement_id)
    points = ResistancePoint.objects.filter(engagement=engagement).order_by(
        "-severity", "created_at", "id"
    )
    return _page(points, page, resistance_out)


@router.post(
    "/engagements/{engagement_id}/resistance",
    response=responses({201: ResistanceOut}, 403, 404, 413),
    summary="Add a resistance point with its mitigation",
)
def create_resistance(request, engagement_id: UUID, payload: ResistanceIn):
    engagement = api_engagement(request, engagement_id, write=True)
    changes = resistance_changes(
        payload.model_dump(exclude_unset=True), _in_engagement(engagement.id, "stakeholder")
    )
    with model_validation(RESISTANCE_PATHS):
        point = services.create_resistance_point(
            engagement, actor=api_membership(request).user, **changes
        )
    return Status(201, resistance_out(point))


@router.get(
    "/resistance/{resistance_id}",
    response=responses({200: ResistanceOut}, 404),
    summary="Read a resistance point",
)
def get_resistance(request, resistance_id: UUID):
    return resistance_out(api_get(request, ResistancePoint, resistance_id))


@router.patch(
    "/resistance/{resistance_id}",
    response=responses({200: ResistanceOut}, 403, 404, 409, 413),
    summary="Change any subset of a resistance point's fields",
    description="Send `If-Match: <version>` to refuse the change (409) if someone else "
    "saved the resistance point since you read it.",
)
def update_resistance(
    request,
    resistance_id: UUID,
    payload: ResistancePatch,
    if_match: str = IfMatch,
):
    expected_version = parse_if_match(if_match)
    point = api_get(
        request, ResistancePoint.objects.select_related("engagement"), resistance_id, write=True
    )
    changes = resistance_changes(
        payload.model_dump(exclude_unset=True), _in_engagement(point.engagement_id, "stakeholder")
    )
    with model_validation(RESISTANCE_PATHS):
        services.update_resistance_point(
            point,
            expected_version=expected_version,
            actor=api_membership(request).user,
            **changes,
        )
    return resistance_out(point)


@router.delete(
    "/resistance/{resistance_id}",
    response=responses({204: None}, 403, 404),
    summary="Delete a resistance point",
)
def delete_resistance(request, resistance_id: UUID):
    point = api_get(
        request, ResistancePoint.objects.select_related("engagement"), resistance_id, write=True
    )
    services.delete_resistance_point(point, actor=api_membership(request).user)
    return Status(204, None)


# --- the stakeholder log and commitments ---------------------------------------

LogKind = choice(LOG_KINDS)
CommitmentStatus = choice(COMMITMENT_STATUSES)
Summary = Field(min_length=1, max_length=5000)
CommitmentText = Field(min_length=1, max_length=500)
LOG_INTERNAL = (
    "Internal entries (the default) never reach the customer-facing playbook, the share "
    "page or any export."
)
COMMITMENT_INTERNAL = (
    "Internal commitments appear only in the internal playbook, never in the customer-facing "
    "one nor on its share page."
)


class LogEntryOut(Schema):
    id: UUID
    engagement_id: UUID
    stakeholder: UUID
    version: int
    kind: LogKind
    date: date
    participants: str
    summary: str
    internal: bool = Field(description=LOG_INTERNAL)
    recorded_by: str | None = Field(description="the email of who recorded it, if still known")


class LogEntryPage(Schema):
    items: list[LogEntryOut]
    count: int
    limit: int
    offset: int


class LogEntryIn(InputSchema):
    multiline_fields = frozenset({"summary"})

    kind: LogKind = "meeting"
    date: JsonDate
    participants: str = Field("", max_length=500)
    summary: str = Summary
    internal: Bool = Field(True, description=LOG_INTERNAL)


class LogEntryPatch(InputSchema):
    multiline_fields = frozenset({"summary"})

    kind: LogKind = omitted()
    date: JsonDate = omitted()
    participants: str = omitted(max_length=500)
    summary: str = omitted(min_length=1, max_length=5000)
    internal: Bool = omitted(description=LOG_INTERNAL)


class CommitmentOut(Schema):
    id: UUID
    engagement_id: UUID
    stakeholder: UUID
    version: int
    text: str
    owner: str
    due_date: date | None
    status: CommitmentStatus
    internal: bool = Field(description=COMMITMENT_INTERNAL)
    log_entry: UUID | None = Field(description="id of the log entry it was agreed in")


class CommitmentPage(Schema):
    items: list[CommitmentOut]
    count: int
    limit: int
    offset: int


class CommitmentIn(InputSchema):
    text: str = CommitmentText
    owner: Name200
    due_date: JsonDate | None = None
    status: CommitmentStatus = "open"
    internal: Bool = Field(False, description=COMMITMENT_INTERNAL)
    log_entry: UUID | None = Field(None, description="a log entry of the same stakeholder")


class CommitmentPatch(InputSchema):
    text: str = omitted(min_length=1, max_length=500)
    owner: Name200 = omitted()
    due_date: JsonDate | None = None
    status: CommitmentStatus = omitted()
    internal: Bool = omitted(description=COMMITMENT_INTERNAL)
    log_entry: UUID | None = Field(None, description="a log entry of the same stakeholder")


def log_entry_out(entry: StakeholderLogEntry) -> dict:
    return {
        "id": entry.id,
        "engagement_id": entry.engagement_id,
        "stakeholder": entry.stakeholder_id,
        "version": entry.version,
        "kind": entry.kind,
        "date": entry.date,
        "participants": entry.participants,
        "summary": entry.summary,
        "internal": entry.internal,
        "recorded_by": entry.recorded_by.email if entry.recorded_by else None,
    }


def commitment_out(commitment: Commitment) -> dict:
    return {
        "id": commitment.id,
        "engagement_id": commitment.engagement_id,
        "stakeholder": commitment.stakeholder_id,
        "version": commitment.version,
        "text": commitment.text,
        "owner": commitment.owner,
        "due_date": commitment.due_date,
        "status": commitment.status,
        "internal": commitment.internal,
        "log_entry": commitment.log_entry_id,
    }


def _with_log_entry(stakeholder: Stakeholder, changes: dict) -> dict:
    """Resolve a `log_entry` id only among the stakeholder's own entries (else 422)."""
    if changes.get("log_entry") is not None:
        found = stakeholder.log_entries.filter(id=changes["log_entry"]).first()
        if found is None:
            raise invalid(["log_entry"], "No such log entry of this stakeholder.")
        changes["log_entry"] = found
    return changes


@router.get(
    "/stakeholders/{stakeholder_id}/log",
    response=responses({200: LogEntryPage}, 404),
    summary="List a stakeholder's log: meetings, calls, emails and notes",
    description="Newest first. Paginated like the engagement list.",
)
def list_log_entries(request, stakeholder_id: UUID, page: Query[PageParams]):
    stakeholder = api_get(request, Stakeholder, stakeholder_id)
    entries = stakeholder.log_entries.select_related("recorded_by").order_by(
        "-date", "-created_at", "id"
    )
    return _page(entries, page, log_entry_out)


@router.post(
    "/stakeholders/{stakeholder_id}/log",
    response=responses({201: LogEntryOut}, 403, 404, 413),
    summary="Add a meeting, call, email or note to a stakeholder's log",
)
def create_log_entry(request, stakeholder_id: UUID, payload: LogEntryIn):
    stakeholder = api_get(
        request, Stakeholder.objects.select_related("engagement"), stakeholder_id, write=True
    )
    with model_validation():
        entry = services.create_log_entry(
            stakeholder, actor=api_membership(request).user, **payload.model_dump()
        )
    return Status(201, log_entry_out(entry))


@router.get(
    "/log-entries/{entry_id}",
    response=responses({200: LogEntryOut}, 404),
    summary="Read a log entry",
)
def get_log_entry(request, entry_id: UUID):
    return log_entry_out(
        api_get(request, StakeholderLogEntry.objects.select_related("recorded_by"), entry_id)
    )


@router.patch(
    "/log-entries/{entry_id}",
    response=responses({200: LogEntryOut}, 403, 404, 409, 413),
    summary="Change any subset of a log entry's fields",
    description="Send `If-Match: <version>` to refuse the change (409) if someone else "
    "saved the entry since you read it.",
)
def update_log_entry(request, entry_id: UUID, payload: LogEntryPatch, if_match: str = IfMatch):
    expected_version = parse_if_match(if_match)
    entry = api_get(
        request,
        StakeholderLogEntry.objects.select_related("engagement", "stakeholder", "recorded_by"),
        entry_id,
        write=True,
    )
    with model_validation():
        services.update_log_entry(
            entry,
            expected_version=expected_version,
            actor=api_membership(request).user,
            **payload.model_dump(exclude_unset=True),
        )
    return log_entry_out(entry)


@router.delete(
    "/log-entries/{entry_id}",
    response=responses({204: None}, 403, 404),
    summary="Delete a log entry (its commitments stay, unlinked)",
)
def delete_log_entry(request, entry_id: UUID):
    entry = api_get(
        request,
        StakeholderLogEntry.objects.select_related("engagement", "stakeholder"),
        entry_id,
        write=True,
    )
    services.delete_log_entry(entry, actor=api_membership(request).user)
    return Status(204, None)


@router.get(
    "/stakeholders/{stakeholder_id}/commitments",
    response=responses({200: CommitmentPage}, 404),
    summary="List what was promised to or by a stakeholder",
    description="Open ones first, then by due date. Paginated like the engagement list.",
)
def list_commitments(request, stakeholder_id: UUID, page: Query[PageParams]):
    stakeholder = api_get(request, Stakeholder, stakeholder_id)
    commitments = stakeholder.commitments.order_by("status", "due_date", "created_at", "id")
    return _page(commitments, page, commitment_out)


@router.post(
    "/stakeholders/{stakeholder_id}/commitments",
    response=responses({201: CommitmentOut}, 403, 404, 413),
    summary="Add a commitment: what, who owns it, by when",
)
def create_commitment(request, stakeholder_id: UUID, payload: CommitmentIn):
    stakeholder = api_get(
        request, Stakeholder.objects.select_related("engagement"), stakeholder_id, write=True
    )
    changes = _with_log_entry(stakeholder, payload.model_dump())
    with model_validation():
        commitment = services.create_commitment(
            stakeholder, actor=api_membership(request).user, **changes
        )
    return Status(201, commitment_out(commitment))


@router.get(
    "/commitments/{commitment_id}",
    response=responses({200: CommitmentOut}, 404),
    summary="Read a commitment",
)
def get_commitment(request, commitment_id: UUID):
    return commitment_out(api_get(request, Commitment, commitment_id))


@router.patch(
    "/commitments/{commitment_id}",
    response=responses({200: CommitmentOut}, 403, 404, 409, 413),
    summary="Change any subset of a commitment's fields; `status: done` marks it done",
    description="Send `If-Match: <version>` to refuse the change (409) if someone else "
    "saved the commitment since you read it.",
)
def update_commitment(
    request, commitment_id: UUID, payload: CommitmentPatch, if_match: str = IfMatch
):
    expected_version = parse_if_match(if_match)
    commitment = api_get(
        request,
        Commitment.objects.select_related("engagement", "stakeholder"),
        commitment_id,
        write=True,
    )
    changes = _with_log_entry(commitment.stakeholder, payload.model_dump(exclude_unset=True))
    with model_validation():
        services.update_commitment(
            commitment,
            expected_version=expected_version,
            actor=api_membership(request).user,
            **changes,
        )
    return commitment_out(commitment)


@router.delete(
    "/commitments/{commitment_id}",
    response=responses({204: None}, 403, 404),
    summary="Delete a commitment",
)
def delete_commitment(request, commitment_id: UUID):
    commitment = api_get(
        request,
        Commitment.objects.select_related("engagement", "stakeholder"),
        commitment_id,
        write=True,
    )
    services.delete_commitment(commitment, actor=api_membership(request).user)
    return Status(204, None)
