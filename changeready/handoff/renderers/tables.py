"""The playbook's two tables, as the CSV and XLSX exports lay them out.

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
        )
        for s in playbook.stakeholders
    ]


TABLES = {
    "plan": ("Plan", PLAN_COLUMNS, plan_rows),
    "stakeholders": ("Stakeholders", STAKEHOLDER_COLUMNS, stakeholder_rows),
}
