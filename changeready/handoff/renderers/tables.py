"""The playbook's tables, as the CSV and XLSX exports lay them out.

Columns are the domain's names (`week`, `owner_role`, `quadrant`…) so a
spreadsheet can be matched with the API; values are codes, not labels, for
the same reason. Numbers stay numbers (a week before go-live is -2, not "-2").
"""

from __future__ import annotations

from changeready.handoff.playbook import Playbook

PLAN_COLUMNS = (
    "week",
    "week_starts",
    "title",
    "kind",
    "owner_role",
    "owner",
    "audience",
    "adkar_target",
    "status",
    "description",
)
STAKEHOLDER_COLUMNS = (
    "name",
    "kind",
    "title",
    "group",
    "role",
    "headcount",
    "people",
    "influence",
    "interest",
    "impact",
    "quadrant",
    "engagement",
    "desired_engagement",
    "risk",
    "band",
    "adkar_barrier",
    "resistor",
    "champion",
    "success_definition",
    "resistance_triggers",
    "themes",
)


def plan_rows(playbook: Playbook) -> list[tuple]:
    return [
        (
            item.week,
            item.week_starts,
            item.title,
            item.kind,
            item.owner_role,
            item.owner,
            "; ".join(item.audience),
            item.adkar_target,
            item.status,
            item.description,
        )
        for item in playbook.plan_items
    ]


def stakeholder_rows(playbook: Playbook) -> list[tuple]:
    return [
        (
            s.name,
            s.kind,
            s.title,
            s.group,
            s.role,
            s.headcount,
            s.people,
            s.influence,
            s.interest,
            s.impact,
            s.quadrant,
            s.engagement,
            s.desired_engagement,
            s.risk,
            s.band,
            s.barrier or "",
            "yes" if s.resistor else "no",
            "yes" if s.is_champion else "no",
            s.success_definition,
            s.resistance_triggers,
            "; ".join(f"{code}: {', '.join(matched)}" for code, matched in s.themes),
        )
        for s in playbook.stakeholders
    ]


KPI_COLUMNS = (
    "name",
    "stakeholder",
    "unit",
    "direction",
    "baseline",
    "target",
    "due_week",
    "measure",
    "off_track",
    "week",
    "value",
)


def kpi_rows(playbook: Playbook) -> list[tuple]:
    """One row per KPI and week with a value (one row without a week for a KPI without values)."""
    rows: list[tuple] = []
    for kpi in playbook.kpis:
        fields = (
            kpi.name,
            kpi.stakeholder,
            kpi.unit,
            kpi.direction,
            kpi.baseline,
            kpi.target,
            kpi.due_week,
            kpi.measure,
            "yes" if kpi.off_track else "no",
        )
        rows.extend((*fields, week, value) for week, value in kpi.values or [(None, None)])
    return rows


COMMITMENT_COLUMNS = ("text", "stakeholder", "owner", "due_date", "week", "status")


def commitment_rows(playbook: Playbook) -> list[tuple]:
    return [
        (c.text, c.stakeholder, c.owner, c.due_date, c.week, c.status) for c in playbook.commitments
    ]


LOG_COLUMNS = ("date", "kind", "stakeholder", "participants", "summary")


def log_rows(playbook: Playbook) -> list[tuple]:
    """The shared log entries only: internal ones never reach the playbook."""
    return [
        (entry.date, entry.kind, entry.stakeholder, entry.participants, entry.summary)
        for entry in playbook.log
    ]


TABLES = {
    "plan": ("Plan", PLAN_COLUMNS, plan_rows),
    "stakeholders": ("Stakeholders", STAKEHOLDER_COLUMNS, stakeholder_rows),
    "kpis": ("KPIs", KPI_COLUMNS, kpi_rows),
    "commitments": ("Commitments", COMMITMENT_COLUMNS, commitment_rows),
    "log": ("Log", LOG_COLUMNS, log_rows),
}
