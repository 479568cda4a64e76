"""The shipped example engagement, written to the database for plan tests."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from changeready.engagements.models import Engagement
from changeready.landscape.models import ResistancePoint, Stakeholder

EXAMPLE = Path(__file__).parents[2] / "engagement_file" / "examples" / "northwind-wms.json"
ADKAR = ("awareness", "desire", "knowledge", "ability", "reinforcement")


def create_example_engagement(workspace) -> Engagement:
    """Northwind's WMS rollout with its landscape and resistor register, no plan."""
    document = json.loads(EXAMPLE.read_text())
    fields = document["engagement"]
    engagement = Engagement.objects.create(
        workspace=workspace,
        name=fields["name"],
        customer=fields["customer"],
        product=fields.get("product", ""),
        go_live_date=date.fromisoformat(fields["go_live_date"]),
        phase=fields.get("phase", "discovery"),
        opposition_reviewed=fields.get("opposition_reviewed", False),
        delivery_lead_name=fields.get("delivery_lead", {}).get("name", ""),
        kickoff_date=date.fromisoformat(fields["kickoff_date"]),
        renewal_date=date.fromisoformat(fields["renewal_date"]),
    )
    by_key = {}
    for row in document["stakeholders"]:
        stakeholder = Stakeholder.objects.create(
            engagement=engagement,
            kind=row["kind"],
            name=row["name"],
            title=row.get("title", ""),
            group=by_key.get(row.get("group")),
            role=row["role"],
            opposed_purchase=row.get("opposed_purchase", False),
            influence=row.get("influence", 3),
            interest=row.get("interest", 3),
            impact=row.get("impact", 3),
            engagement_level=row.get("engagement", "neutral"),
            desired_engagement=row.get("desired_engagement", "supportive"),
            involvement=row.get("involvement", []),
            success_definition=row.get("success_definition", ""),
            resistance_triggers=row.get("resistance_triggers", ""),
            job_gets_harder=row.get("job_gets_harder", False),
            authority_decreases=row.get("authority_decreases", False),
            headcount=row.get("headcount"),
            is_champion=row.get("is_champion", False),
            **{f"adkar_{element}": row.get("adkar", {}).get(element) for element in ADKAR},
        )
        by_key[row["key"]] = stakeholder
    for row in document.get("resistance", ()):
        mitigation = row.get("mitigation", {})
        ResistancePoint.objects.create(
            engagement=engagement,
            stakeholder=by_key[row["stakeholder"]],
            source=row["source"],
            severity=row["severity"],
            description=row.get("description", ""),
            strategy=mitigation.get("strategy", ""),
            owner=mitigation.get("owner", ""),
            due_week=mitigation.get("due_week"),
            status=mitigation.get("status", "open"),
        )
    return engagement
