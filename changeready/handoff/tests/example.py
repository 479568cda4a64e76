"""The shipped example engagement (Northwind's warehouse rollout) in the database,
with the plan the core generates for it: what the export tests read.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from changeready.core.planning import generate_plan
from changeready.engagements.loading import load_engagement_data
from changeready.engagements.models import Engagement
from changeready.landscape.models import ResistancePoint, Stakeholder
from changeready.planning.models import AdoptionTarget, PlanItem

EXAMPLE = (
    Path(__file__).resolve().parents[2] / "engagement_file" / "examples" / "northwind-wms.json"
)
# Two weeks before the example's go-live (Monday 5 April 2027).
AS_OF = date(2027, 3, 22)

STAKEHOLDER_FIELDS = (
    "kind",
    "name",
    "title",
    "role",
    "headcount",
    "influence",
    "interest",
    "impact",
    "desired_engagement",
    "involvement",
    "success_definition",
    "resistance_triggers",
    "job_gets_harder",
    "authority_decreases",
    "opposed_purchase",
    "is_champion",
)


def load_example(workspace, **engagement_changes) -> Engagement:
    document = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    fields = document["engagement"]
    engagement_fields = {
        "name": fields["name"],
        "customer": fields["customer"],
        "product": fields["product"],
        "kickoff_date": fields["kickoff_date"],
        "go_live_date": fields["go_live_date"],
        "phase": fields["phase"],
        "change_summary": fields["change_summary"],
        "delivery_lead_name": fields["delivery_lead"]["name"],
        "delivery_lead_email": fields["delivery_lead"]["email"],
        "opposition_reviewed": fields["opposition_reviewed"],
    }
    engagement = Engagement.objects.create(
        workspace=workspace, **{**engagement_fields, **engagement_changes}
    )
    engagement.refresh_from_db()
    by_key = {}
    for entry in document["stakeholders"]:
        row = Stakeholder(
            engagement=engagement,
            email=entry.get("email", ""),
            engagement_level=entry.get("engagement", "neutral"),
            **{k: entry[k] for k in STAKEHOLDER_FIELDS if k in entry},
        )
        for element, score in entry.get("adkar", {}).items():
            setattr(row, f"adkar_{element}", score)
        if "group" in entry:
            row.group = by_key[entry["group"]]
        row.save()
        by_key[entry["key"]] = row
    for entry in document["resistance"]:
        mitigation = entry.get("mitigation", {})
        ResistancePoint.objects.create(
            engagement=engagement,
            stakeholder=by_key[entry["stakeholder"]],
            source=entry["source"],
            severity=entry["severity"],
            description=entry.get("description", ""),
            strategy=mitigation.get("strategy", ""),
            owner=mitigation.get("owner", ""),
            due_week=mitigation.get("due_week"),
            status=mitigation.get("status", "open"),
        )
    store_generated_plan(engagement)
    return engagement


def store_generated_plan(engagement: Engagement) -> None:
    data = load_engagement_data([engagement])[str(engagement.id)]
    plan = generate_plan(data)
    for generated in plan.items:
        item = PlanItem.objects.create(
            engagement=engagement,
            week=generated.week,
            title=generated.title,
            description=generated.description,
            kind=generated.kind,
            owner_role=generated.owner_role,
            adkar_target=generated.adkar_target or "",
            resistance_point_id=generated.resistance_point_id,
            origin=generated.origin,
            generation_key=generated.generation_key,
            reason=generated.reason,
        )
        item.audience.set(generated.audience_ids)
    AdoptionTarget.objects.bulk_create(
        AdoptionTarget(
            engagement=engagement,
            stakeholder_id=target.stakeholder_id,
            week=target.week,
            target_pct=target.target_pct,
        )
        for target in plan.targets
    )
