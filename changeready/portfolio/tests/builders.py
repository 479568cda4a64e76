"""Engagements in the database with a known readiness band, for the portfolio tests.

`ready_engagement` mirrors the core's finding-free `healthy()` engagement as of
AS_OF (six weeks before go-live); the others break it in one known way.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from changeready.engagements.tests.factories import EngagementFactory
from changeready.landscape.tests.factories import ResistancePointFactory, StakeholderFactory
from changeready.planning.tests.factories import AdoptionTargetFactory, PlanItemFactory

GO_LIVE = date(2027, 4, 5)  # a Monday
AS_OF = GO_LIVE - timedelta(days=42)
FULL_ADKAR = {f"adkar_{e}": 4 for e in ("awareness", "desire", "knowledge", "ability")}
FULL_ADKAR["adkar_reinforcement"] = 4


def ready_engagement(workspace, name, *, go_live_date=GO_LIVE, arr=None, **fields):
    fields.setdefault("opposition_reviewed", True)
    fields.setdefault("cs_owner_name", "Cara Diaz")
    # CS accepted the playbook, so go-live week raises no handoff finding.
    fields.setdefault("handoff_accepted_at", datetime(2027, 1, 4, 9, tzinfo=UTC))
    engagement = EngagementFactory(
        workspace=workspace,
        name=name,
        go_live_date=go_live_date,
        arr=Decimal(arr) if arr is not None else None,
        **fields,
    )
    users = StakeholderFactory(
        engagement=engagement,
        name="Pickers",
        kind="group",
        role="daily_user",
        influence=2,
        impact=3,
        engagement_level="supportive",
        involvement=["uat"],
        success_definition="Orders picked without paper.",
        resistance_triggers="Slow scanners.",
        job_gets_harder=True,
        **FULL_ADKAR,
    )
    StakeholderFactory(
        engagement=engagement,
        name="Shift lead",
        kind="person",
        role="people_manager",
        involvement=["design"],
        engagement_level="supportive",
        **FULL_ADKAR,
    )
    StakeholderFactory(
        engagement=engagement,
        name="Buyer",
        kind="person",
        role="economic_buyer",
        influence=5,
        impact=2,
        engagement_level="supportive",
        involvement=["discovery"],
        success_definition="Cost per order down 10%.",
        resistance_triggers="Budget overrun.",
        **FULL_ADKAR,
    )
    point = ResistancePointFactory(
        stakeholder=users, severity=3, strategy="support", owner="Ana Lima", status="planned"
    )
    item = PlanItemFactory(engagement=engagement, week=1, owner="Ana Lima", resistance_point=point)
    item.audience.add(users)
    AdoptionTargetFactory(stakeholder=users, week=1, target_pct=20)
    return engagement


def at_risk_engagement(workspace, name, **fields):
    """Ready but for one warning: nobody asked who did not want the purchase."""
    return ready_engagement(workspace, name, opposition_reviewed=False, **fields)


def not_ready_engagement(workspace, name, *, go_live_date=GO_LIVE, arr=None, **fields):
    """No landscape at all: readiness 0 and critical findings."""
    return EngagementFactory(
        workspace=workspace,
        name=name,
        go_live_date=go_live_date,
        arr=Decimal(arr) if arr is not None else None,
        **fields,
    )
