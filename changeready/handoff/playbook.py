"""The activation playbook as plain data: one design, rendered to every format.

`build_playbook(engagement, as_of=...)` reads the engagement's data in a fixed
number of queries (one per table, whatever the size of the landscape),
assesses it with the core and returns a `Playbook` that the renderers (PDF,
DOCX, Markdown, CSV/XLSX, ICS and the HTML pages) turn into documents without
touching the database again.

What the playbook leaves out, because it travels outside the workspace (a
share link, a PDF forwarded to the customer): record ids, stakeholder email
addresses, internal notes (the stakeholders' notes and every log entry marked
internal, in either version), ARR and renewal date. Commitments marked
internal are in the internal version only. The one address it carries is
the CS owner's, the customer's contact once the handoff is done.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, fields, is_dataclass, replace
from datetime import date, datetime

from django.db.models import F

from changeready.assessment.charts import (
    HeatPoint,
    readiness_gauge_svg,
    readiness_history_svg,
    risk_heatmap_svg,
)
from changeready.assessment.models import AssessmentSnapshot
from changeready.common.text import printable
from changeready.core import model as core
from changeready.core.assessment import assess
from changeready.core.findings import ADOPTION_BEHIND_RATIO, FINDING_CATALOGUE, SEVERITY_ORDER
from changeready.core.kpis import off_track
from changeready.core.themes import themes_of
from changeready.core.weeks import REINFORCE_LAST_WEEK, plan_phase, plan_week, week_monday
from changeready.engagements.loading import (
    adoption_target_data,
    engagement_fields,
    kpi_data,
    plan_item_data,
    resistance_point_data,
    stakeholder_data,
    uuid_text,
)
from changeready.engagements.models import Engagement
from changeready.handoff.models import PLAYBOOK_VERSIONS
from changeready.landscape.charts import MapPoint, power_interest_svg
from changeready.landscape.models import (
    Commitment,
    ResistancePoint,
    Stakeholder,
    StakeholderLogEntry,
)
from changeready.planning.models import AdoptionTarget, PlanItem
from changeready.planning.presentation import PHASE_TITLES
from changeready.usage.charts import kpi_chart
from changeready.usage.models import Kpi, KpiValue

AUDIENCE_NAMES_SHOWN = 8
# Who the document is for: the delivery team and CS (`internal`), or the
# customer, who sees the resistor register by theme without the names of the
# people who resist (`customer`).
VERSIONS = tuple(code for code, _ in PLAYBOOK_VERSIONS)
HYPERCARE_EXIT_ORIGIN = "generated:handoff.hypercare_exit_review"
# What ends hypercare when the plan has no exit review of its own (docs/domain.md).
DEFAULT_EXIT_CRITERIA = (
    "Adoption at or above target two weeks running for every daily-user group; no open "
    "critical finding; support requests falling week on week."
)
KPI_TABLE_HEADERS = ("KPI", "For", "Baseline", "Target", "Due week", "Latest", "On track")
HISTORY_POINTS_LISTED = 12


def label(value: str | None) -> str:
    """`loss_of_authority` → `Loss of authority`: how codes read in documents."""
    return value.replace("_", " ").capitalize() if value else ""


@dataclass(frozen=True)
class Cover:
    engagement_name: str
    customer: str
    product: str
    go_live_date: date
    phase: str
    delivery_lead: str
    cs_owner_name: str
    cs_owner_email: str
    readiness_score: int
    readiness_band: str
    # Titles of the findings that lowered the band below the score's own.
    readiness_lowered_by: tuple[str, ...]
    as_of: date
    accepted_at: datetime | None
    accepted_by: str
    # The vendor's delivery organisation (the workspace), who prepared the document.
    prepared_by: str
    renewal_date: date | None = None

    @property
    def readiness_reason(self) -> str:
        """Why the band is lower than the score, in words; empty when it is not."""
        if not self.readiness_lowered_by:
            return ""
        return "lowered by: " + "; ".join(self.readiness_lowered_by)


@dataclass(frozen=True)
class StakeholderRow:
    name: str
    kind: str
    title: str
    group: str
    role: str
    headcount: int | None
    # How many people the row stands for (0 for a person counted in their group).
    people: int
    influence: int
    interest: int
    impact: int
    quadrant: str
    engagement: str
    desired_engagement: str
    risk: int
    band: str
    # The likelihood of resisting (0–1), which places the stakeholder on the map.
    likelihood: float
    barrier: str | None
    resistor: bool
    is_champion: bool
    success_definition: str
    resistance_triggers: str
    # (theme code, the phrases of their own words that matched)
    themes: tuple[tuple[str, tuple[str, ...]], ...]

    @property
    def described_as(self) -> str:
        """ "Group of 420" or the person's title: who this row stands for."""
        if self.kind == "group":
            return f"Group of {self.headcount:,}" if self.headcount else "Group"
        return self.title or "Person"


@dataclass(frozen=True)
class ResistanceRow:
    stakeholder: str
    source: str
    severity: int
    description: str
    strategy: str
    owner: str
    due_week: int | None
    status: str
    # What the stakeholder's words and the point are about (docs/domain.md, "Themes").
    themes: tuple[str, ...] = ()

    @property
    def themes_label(self) -> str:
        return ", ".join(label(theme) for theme in self.themes) or "—"


@dataclass(frozen=True)
class PlanItemRow:
    # The record's id: only the calendar uses it, to derive a stable event UID.
    key: str
    version: int
    week: int
    week_starts: date
    title: str
    description: str
    kind: str
    owner_role: str
    owner: str
    audience: tuple[str, ...]
    adkar_target: str
    status: str
    workstream: str = ""
    origin: str = ""

    @property
    def audience_summary(self) -> str:
        """The audience for a page: a sponsor's note to 500 groups names a few."""
        if len(self.audience) <= AUDIENCE_NAMES_SHOWN:
            return ", ".join(self.audience)
        shown = ", ".join(self.audience[:AUDIENCE_NAMES_SHOWN])
        return f"{shown} and {len(self.audience) - AUDIENCE_NAMES_SHOWN} more"

    @property
    def owner_label(self) -> str:
        """The named owner with their role, or the role alone."""
        role = label(self.owner_role)
        return f"{self.owner} ({role})" if self.owner else role


@dataclass(frozen=True)
class PlanWeek:
    week: int
    starts: date
    items: tuple[PlanItemRow, ...]

    @property
    def heading(self) -> str:
        if self.week == 0:
            name = "Week 0 · go-live week"
        elif self.week < 0:
            weeks = -self.week
            name = f"Week {self.week} · {weeks} week{'s' if weeks > 1 else ''} before go-live"
        else:
            name = f"Week {self.week} · live"
        return f"{name} · from {self.starts:%a %-d %b %Y}"


@dataclass(frozen=True)
class AdoptionRow:
    group: str
    headcount: int | None
    # week → (target %, actual % or None)
    by_week: dict[int, tuple[float, float | None]]


@dataclass(frozen=True)
class KpiRow:
    """An outcome KPI with its weekly values, and whether it is off its line."""

    name: str
    stakeholder: str
    unit: str
    direction: str
    baseline: float | None
    target: float
    due_week: int | None
    measure: str
    values: tuple[tuple[int, float], ...]
    off_track: bool

    @property
    def latest(self) -> tuple[int, float] | None:
        return self.values[-1] if self.values else None

    @property
    def chart_svg(self) -> str:
        return kpi_chart(self, self.values)


@dataclass(frozen=True)
class LogRow:
    """A stakeholder log entry the team marked as fit for the customer to read."""

    stakeholder: str
    date: date
    kind: str
    participants: str
    summary: str

    @property
    def heading(self) -> str:
        """ "12 Feb 2027 · Meeting with Tom Avery (Tom Avery, Lena Kovacs)" """
        who = f" ({self.participants})" if self.participants else ""
        return f"{self.date:%-d %b %Y} · {label(self.kind)} with {self.stakeholder}{who}"


LOG_NOTE = "Meetings, calls, emails and notes the team shared; internal notes are never included."
COMMITMENT_TABLE_HEADERS = ("Commitment", "Stakeholder", "Owner", "Due", "Status")


@dataclass(frozen=True)
class CommitmentRow:
    stakeholder: str
    text: str
    owner: str
    due_date: date | None
    # The plan week the due date falls in (None without a due date).
    week: int | None
    status: str
    internal: bool


@dataclass(frozen=True)
class FindingRow:
    code: str
    severity: str
    title: str
    message: str
    action: str


@dataclass(frozen=True)
class Playbook:
    cover: Cover
    change_summary: str
    stakeholders: tuple[StakeholderRow, ...]
    resistance: tuple[ResistanceRow, ...]
    weeks: tuple[PlanWeek, ...]
    adoption: tuple[AdoptionRow, ...]
    adoption_weeks: tuple[int, ...]
    findings: tuple[FindingRow, ...]
    history: tuple[tuple[date, int], ...]
    current_week: int
    # Kept for the handoff checklist, which reads the same data as the document.
    daily_user_groups_without_targets: tuple[str, ...]
    kpis: tuple[KpiRow, ...] = ()
    version: str = "internal"
    log: tuple[LogRow, ...] = ()
    commitments: tuple[CommitmentRow, ...] = ()

    @property
    def plan_items(self) -> tuple[PlanItemRow, ...]:
        return tuple(item for week in self.weeks for item in week.items)

    @property
    def for_customer(self) -> bool:
        return self.version == "customer"

    @property
    def phases(self) -> tuple[tuple[str, tuple[PlanWeek, ...]], ...]:
        """The plan by phase (docs/domain.md section 6), weeks with steps only."""
        by_phase: dict[str, list[PlanWeek]] = defaultdict(list)
        for week in self.weeks_with_items:
            by_phase[plan_phase(week.week)].append(week)
        return tuple(
            (title, tuple(by_phase[phase]))
            for phase, title in PHASE_TITLES.items()
            if phase in by_phase
        )

    @property
    def owner_lists(self) -> tuple[tuple[str, tuple[PlanItemRow, ...]], ...]:
        """Each named owner's steps in week order, then the steps nobody owns yet."""
        by_owner: dict[str, list[PlanItemRow]] = defaultdict(list)
        for item in self.plan_items:
            if item.status == "planned":
                by_owner[item.owner].append(item)
        owners = sorted((owner for owner in by_owner if owner), key=str.lower)
        lists = [(owner, tuple(by_owner[owner])) for owner in owners]
        if by_owner.get(""):
            lists.append(("No named owner yet", tuple(by_owner[""])))
        return tuple(lists)

    @property
    def hypercare_exit(self) -> tuple[int | None, str]:
        """(week, criteria) of the hypercare exit review."""
        review = next((i for i in self.plan_items if i.origin == HYPERCARE_EXIT_ORIGIN), None)
        if review is None:
            return None, DEFAULT_EXIT_CRITERIA
        return review.week, review.description or DEFAULT_EXIT_CRITERIA

    @property
    def renewal_path(self) -> tuple[PlanItemRow, ...]:
        """What runs from the end of week 12 to the renewal: reviews and the value review."""
        return tuple(item for item in self.plan_items if item.week > REINFORCE_LAST_WEEK)

    @property
    def resistors(self) -> tuple[StakeholderRow, ...]:
        return tuple(s for s in self.stakeholders if s.resistor)

    @property
    def critical_findings(self) -> tuple[FindingRow, ...]:
        return tuple(f for f in self.findings if f.severity == "critical")

    @property
    def weeks_with_items(self) -> tuple[PlanWeek, ...]:
        return tuple(week for week in self.weeks if week.items)

    @property
    def adoption_table(self) -> list[dict]:
        """Per group, one cell per target week: (target, actual, actual below 80 % of target)."""
        return [
            {
                "group": row.group,
                "cells": [_adoption_cell(row.by_week.get(week)) for week in self.adoption_weeks],
            }
            for row in self.adoption
        ]

    @property
    def kpi_table(self) -> list[list[str]]:
        """One row of text per KPI, under `KPI_TABLE_HEADERS` (Markdown and DOCX)."""
        return [
            [
                kpi.name,
                kpi.stakeholder or "—",
                _with_unit(kpi.baseline, kpi.unit),
                _with_unit(kpi.target, kpi.unit),
                "—" if kpi.due_week is None else str(kpi.due_week),
                f"{_with_unit(kpi.latest[1], kpi.unit)} (week {kpi.latest[0]})"
                if kpi.latest
                else "—",
                "no" if kpi.off_track else "yes",
            ]
            for kpi in self.kpis
        ]

    @property
    def log_note(self) -> str:
        return LOG_NOTE

    @property
    def commitment_table(self) -> list[list[str]]:
        """One row of text per commitment, under `COMMITMENT_TABLE_HEADERS` (Markdown and DOCX)."""
        return [
            [
                c.text + (" (internal)" if c.internal and not self.for_customer else ""),
                c.stakeholder,
                c.owner,
                f"{c.due_date:%-d %b %Y} (week {c.week})" if c.due_date else "—",
                label(c.status),
            ]
            for c in self.commitments
        ]

    @property
    def history_recent(self) -> tuple[tuple[date, int], ...]:
        return self.history[-HISTORY_POINTS_LISTED:]

    @property
    def gauge_svg(self) -> str:
        return readiness_gauge_svg(self.cover.readiness_score, self.cover.readiness_band)

    @property
    def stakeholder_map_svg(self) -> str:
        """The stakeholder map: Mendelow's power/interest grid, as the landscape draws it.

        Marks carry their position in the list as id and no links: the
        document travels outside the app.
        """
        return self._stakeholder_map(tooltips=True)

    @property
    def stakeholder_map_print_svg(self) -> str:
        """The same map for the PDF, without the marks' hover titles, which paper
        cannot show: the entries below the map say the same for each stakeholder."""
        return self._stakeholder_map(tooltips=False)

    def _stakeholder_map(self, *, tooltips: bool) -> str:
        points = [
            MapPoint(
                id=str(index),
                name=s.name,
                influence=s.influence,
                interest=s.interest,
                engagement=s.engagement,
                kind=s.kind,
                headcount=s.headcount,
            )
            for index, s in enumerate(self.stakeholders)
        ]
        return power_interest_svg(
            points, title="Stakeholder map", id_prefix="pb-map", tooltips=tooltips
        )

    @property
    def risk_map_svg(self) -> str:
        """Where resistance would hurt: influence against likelihood of resisting."""
        points = [
            HeatPoint(name=s.name, influence=s.influence, likelihood=s.likelihood, band=s.band)
            for s in self.stakeholders
        ]
        return risk_heatmap_svg(points)

    @property
    def history_svg(self) -> str:
        return readiness_history_svg(self.history)


def _adoption_cell(value: tuple[float, float | None] | None):
    if value is None:
        return None
    target, actual = value
    # The `adoption_behind_target` threshold, as the core applies it.
    return (target, actual, actual is not None and actual < ADOPTION_BEHIND_RATIO * target)


def _with_unit(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    return f"{round(value, 2):g}" + (f" {unit}" if unit else "")


def plan_item_row(row: PlanItem, go_live: date, audience: tuple[str, ...]) -> PlanItemRow:
    """A plan item as the documents show it; `audience` holds its stakeholders' names."""
    return PlanItemRow(
        key=str(row.id),
        version=row.version,
        week=row.week,
        week_starts=week_monday(go_live, row.week),
        title=row.title,
        description=row.description,
        kind=row.kind,
        owner_role=row.owner_role,
        owner=row.owner,
        audience=audience,
        adkar_target=row.adkar_target,
        status=row.status,
        workstream=row.workstream,
        origin=row.origin,
    )


def build_playbook(engagement: Engagement, *, as_of: date, version: str = "internal") -> Playbook:
    """The playbook of an engagement as of a day, in a fixed number of queries.

    `version` `customer` leaves out the internal judgement (findings) and
    names no individual who resists (see `_for_customer`).
    """
    if version not in VERSIONS:
        raise ValueError(f"version must be one of {', '.join(VERSIONS)}")
    stakeholder_rows = list(
        Stakeholder.objects.filter(engagement=engagement).order_by("created_at", "name")
    )
    point_rows = list(
        ResistancePoint.objects.filter(engagement=engagement).order_by("-severity", "created_at")
    )
    item_rows = list(PlanItem.objects.filter(engagement=engagement).order_by("week", "created_at"))
    audience_ids = defaultdict(list)
    for item_id, stakeholder_id in PlanItem.audience.through.objects.filter(
        planitem__engagement=engagement
    ).values_list("planitem_id", "stakeholder_id"):
        audience_ids[item_id].append(stakeholder_id)
    target_rows = list(AdoptionTarget.objects.filter(engagement=engagement).order_by("week"))
    history = tuple(
        AssessmentSnapshot.objects.filter(engagement=engagement)
        .order_by("taken_on")
        .values_list("taken_on", "readiness_score")
    )
    kpi_rows = list(Kpi.objects.filter(engagement=engagement).order_by("created_at", "name"))
    kpi_values = defaultdict(list)
    for kpi_id, week, value in (
        KpiValue.objects.filter(kpi__engagement=engagement)
        .order_by("week")
        .values_list("kpi_id", "week", "value")
    ):
        kpi_values[kpi_id].append((week, value))
    accepted_by = engagement.handoff_accepted_by if engagement.handoff_accepted_by_id else None
    # Internal log entries never enter a document, whichever version: only the
    # app's pages show them. Internal commitments are for the team and CS.
    log_rows = list(
        StakeholderLogEntry.objects.filter(engagement=engagement, internal=False).order_by(
            "date", "created_at"
        )
    )
    commitment_rows = Commitment.objects.filter(engagement=engagement)
    if version == "customer":
        commitment_rows = commitment_rows.filter(internal=False)
    commitment_rows = list(
        commitment_rows.order_by(F("due_date").asc(nulls_last=True), "created_at")
    )

    data = core.EngagementData(
        engagement=engagement_fields(engagement, [taken_on for taken_on, _ in history]),
        stakeholders=tuple(stakeholder_data(row) for row in stakeholder_rows),
        resistance_points=tuple(resistance_point_data(row) for row in point_rows),
        plan_items=tuple(
            plan_item_data(row, map(uuid_text, audience_ids[row.id])) for row in item_rows
        ),
        adoption_targets=tuple(adoption_target_data(row) for row in target_rows),
        kpis=tuple(kpi_data(row, kpi_values[row.id]) for row in kpi_rows),
    )
    assessment = assess(data, as_of)
    scored = {s.id: s for s in assessment.stakeholders}
    names = {row.id: row.name for row in stakeholder_rows}
    # Audiences read in landscape order, whatever order the link table returns.
    position = {row.id: index for index, row in enumerate(stakeholder_rows)}

    stakeholders = []
    for row in stakeholder_rows:
        score = scored[str(row.id)]
        stakeholder = StakeholderRow(
            name=row.name,
            kind=row.kind,
            title=row.title,
            group=names.get(row.group_id, ""),
            role=row.role,
            headcount=row.headcount,
            people=score.people,
            influence=row.influence,
            interest=row.interest,
            impact=row.impact,
            quadrant=score.quadrant,
            engagement=row.engagement_level,
            desired_engagement=row.desired_engagement,
            risk=score.risk,
            band=score.band,
            likelihood=float(score.terms.likelihood),
            barrier=score.barrier,
            resistor=score.resistor,
            is_champion=row.is_champion,
            success_definition=row.success_definition,
            resistance_triggers=row.resistance_triggers,
            themes=tuple((theme.code, theme.matched) for theme in score.themes),
        )
        stakeholders.append(stakeholder)

    core_stakeholders = {stakeholder.id: stakeholder for stakeholder in data.stakeholders}
    resistance = tuple(
        ResistanceRow(
            stakeholder=names.get(row.stakeholder_id, ""),
            source=row.source,
            severity=row.severity,
            description=row.description,
            strategy=row.strategy,
            owner=row.owner,
            due_week=row.due_week,
            status=row.status,
            themes=_point_themes(core_stakeholders[str(row.stakeholder_id)], point),
        )
        for row, point in zip(point_rows, data.resistance_points, strict=True)
    )

    go_live = engagement.go_live_date
    items_by_week: dict[int, list[PlanItemRow]] = defaultdict(list)
    for row in item_rows:
        audience = tuple(
            names[sid]
            for sid in sorted(audience_ids[row.id], key=lambda sid: position.get(sid, 0))
            if sid in names
        )
        items_by_week[row.week].append(plan_item_row(row, go_live, audience))
    # The documents list the weeks that hold steps: a plan running to the
    # renewal would otherwise be pages of empty weeks.
    week_numbers = sorted(items_by_week)
    weeks = tuple(
        PlanWeek(week, week_monday(go_live, week), tuple(items_by_week.get(week, ())))
        for week in week_numbers
    )

    adoption_by_group: dict = defaultdict(dict)
    for row in target_rows:
        adoption_by_group[row.stakeholder_id][row.week] = (row.target_pct, row.actual_pct)
    adoption = tuple(
        AdoptionRow(group=row.name, headcount=row.headcount, by_week=adoption_by_group[row.id])
        for row in stakeholder_rows
        if row.id in adoption_by_group
    )
    adoption_weeks = tuple(sorted({row.week for row in target_rows}))
    without_targets = tuple(
        row.name
        for row in stakeholder_rows
        if row.kind == "group" and row.role == "daily_user" and row.id not in adoption_by_group
    )

    current_week = plan_week(go_live, as_of)
    kpis = tuple(
        KpiRow(
            name=row.name,
            stakeholder=names.get(row.stakeholder_id, ""),
            unit=row.unit,
            direction=row.direction,
            baseline=row.baseline,
            target=row.target,
            due_week=row.due_week,
            measure=row.measure,
            values=tuple(kpi_values[row.id]),
            off_track=off_track(core_kpi, current_week) is not None,
        )
        for row, core_kpi in zip(kpi_rows, data.kpis, strict=True)
    )

    log = tuple(
        LogRow(
            stakeholder=names.get(row.stakeholder_id, ""),
            date=row.date,
            kind=row.kind,
            participants=row.participants,
            summary=row.summary,
        )
        for row in log_rows
    )
    commitments = tuple(
        CommitmentRow(
            stakeholder=names.get(row.stakeholder_id, ""),
            text=row.text,
            owner=row.owner,
            due_date=row.due_date,
            week=plan_week(go_live, row.due_date) if row.due_date else None,
            status=row.status,
            internal=row.internal,
        )
        for row in commitment_rows
    )

    findings = tuple(
        FindingRow(
            code=finding.code,
            severity=finding.severity,
            title=FINDING_CATALOGUE[finding.code].title,
            message=finding.message,
            action=finding.action,
        )
        for finding in sorted(assessment.findings, key=lambda f: SEVERITY_ORDER.index(f.severity))
    )

    cover = Cover(
        engagement_name=engagement.name,
        customer=engagement.customer,
        product=engagement.product,
        go_live_date=go_live,
        phase=engagement.phase,
        delivery_lead=engagement.delivery_lead_name,
        cs_owner_name=engagement.cs_owner_name,
        cs_owner_email=engagement.cs_owner_email,
        readiness_score=assessment.readiness.score,
        readiness_band=assessment.readiness.band,
        readiness_lowered_by=tuple(
            FINDING_CATALOGUE[code].title for code in assessment.readiness.capped_by
        ),
        as_of=as_of,
        accepted_at=engagement.handoff_accepted_at,
        accepted_by=accepted_by.display_name if accepted_by else "",
        prepared_by=engagement.workspace.name,
        renewal_date=engagement.renewal_date,
    )
    playbook = Playbook(
        cover=cover,
        change_summary=engagement.change_summary,
        stakeholders=tuple(stakeholders),
        resistance=resistance,
        weeks=weeks,
        adoption=adoption,
        adoption_weeks=adoption_weeks,
        findings=findings,
        history=history,
        current_week=current_week,
        daily_user_groups_without_targets=without_targets,
        kpis=kpis,
        version=version,
        log=log,
        commitments=commitments,
    )
    if version == "customer":
        playbook = _for_customer(playbook, resisting_people(stakeholder_rows, scored, names))
    return _printable(playbook)


def _point_themes(stakeholder: core.Stakeholder, point: core.ResistancePoint) -> tuple[str, ...]:
    """The themes of what the stakeholder said and of this point's description."""
    return tuple(match.code for match in themes_of(stakeholder, [point]))


def resisting_people(stakeholder_rows, scored, names) -> dict[str, str]:
    """Name of each person who resists -> how the customer's version says it."""
    return {
        row.name: f"A {label(row.role).lower()}"
        + (f" in {names[row.group_id]}" if row.group_id in names else "")
        for row in stakeholder_rows
        if row.kind == "person" and scored[str(row.id)].resistor
    }


def _for_customer(playbook: Playbook, labels: dict[str, str]) -> Playbook:
    """The customer's version: no findings, and no resisting individual named.

    A person who resists appears under a description of their role (and
    group), everywhere their name would be: the register, the plan's titles,
    audiences and owners. Groups keep their names: a group is not an individual.
    """
    stakeholders = tuple(
        replace(row, name=labels[row.name], title="") if row.name in labels else row
        for row in playbook.stakeholders
    )
    anonymous = replace(playbook, stakeholders=stakeholders, findings=())
    if not labels:
        return anonymous
    pattern = re.compile(
        r"\b("
        + "|".join(re.escape(name) for name in sorted(labels, key=len, reverse=True))
        + r")\b"
    )
    return _map_text(anonymous, lambda text, _: pattern.sub(lambda m: labels[m.group(1)], text))


def _map_text(value, change, field_name: str = ""):
    """`value` with `change(text, field_name)` applied to every text it holds
    (dataclasses, tuples and dicts walked through; a text keeps its field's name)."""
    if isinstance(value, str):
        return change(value, field_name)
    if isinstance(value, tuple):
        return tuple(_map_text(item, change, field_name) for item in value)
    if isinstance(value, dict):
        return {key: _map_text(item, change, field_name) for key, item in value.items()}
    if is_dataclass(value):
        return replace(
            value,
            **{
                field.name: _map_text(getattr(value, field.name), change, field.name)
                for field in fields(value)
            },
        )
    return value


# Text that may run over several lines in a document; every other text is one line.
MULTI_LINE_FIELDS = frozenset(
    {
        "change_summary",
        "description",
        "success_definition",
        "resistance_triggers",
        "message",
        "summary",
    }
)


def _printable(value):
    """`value` with control characters taken out of every text it holds.

    Input refuses them, but a row stored before that rule must not make the
    XLSX, DOCX or calendar writers fail (docs in `common/text.py`).
    """
    return _map_text(value, lambda text, name: printable(text, multiline=name in MULTI_LINE_FIELDS))
