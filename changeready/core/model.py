"""The plain-data input of the core: one engagement as the judgement sees it.

Field names follow DOMAIN.md (and the engagement file). Ids are opaque strings
(the Django side passes UUIDs as text); the core never interprets them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from changeready.core.kpis import Kpi

ROLES = (
    "daily_user",
    "people_manager",
    "product_admin",
    "economic_buyer",
    "executive_sponsor",
    "it_security",
    "downstream",
)
KINDS = ("group", "person")
# The PMBOK engagement matrix, in its order (not an interval scale).
ENGAGEMENT_LEVELS = ("unaware", "resistant", "neutral", "supportive", "leading")
INVOLVEMENTS = ("discovery", "design", "configuration", "uat", "training", "go_live_planning")
ADKAR_ELEMENTS = ("awareness", "desire", "knowledge", "ability", "reinforcement")
# Where a stakeholder's ADKAR scores came from: the team's estimate (by hand) or
# a pulse survey's measurement.
ADKAR_SOURCES = ("estimated", "survey")
# Survey responses needed before anything measured from them is shown to the
# team: below it, values would stand for one or two people's answers.
ANONYMITY_THRESHOLD = 3
RESISTANCE_SOURCES = (
    "lack_of_awareness",
    "no_personal_benefit",
    "loss_of_authority",
    "job_security",
    "workload_increase",
    "skills_gap",
    "habit",
    "not_involved",
    "opposed_purchase",
    "past_failed_change",
    "lack_of_sponsorship",
    "competing_priorities",
    "other",
)
MITIGATION_STRATEGIES = (
    "educate",
    "involve",
    "support",
    "negotiate",
    "sponsor_intervention",
    "coach",
    "redesign_role",
    "quick_win",
    "escalate",
)
MITIGATION_STATUSES = ("open", "planned", "in_progress", "resolved", "accepted")
PHASES = ("discovery", "build", "test", "go_live", "activation", "handed_off", "closed")
PLAN_ITEM_KINDS = (
    "communication",
    "training",
    "coaching",
    "resistance",
    "checkpoint",
    "measurement",
    "reinforcement",
    "handoff",
)
OWNER_ROLES = (
    "delivery",
    "customer_success",
    "sponsor",
    "customer_manager",
    "customer_admin",
    "champion",
)
PLAN_ITEM_STATUSES = ("planned", "done", "skipped")
# Who runs a plan item's kind of work, and how it happens (section 6, v2).
WORKSTREAMS = (
    "sponsorship",
    "communication",
    "enablement",
    "support",
    "resistance",
    "measurement",
    "handoff",
)
FORMATS = ("one_to_one", "group_session", "workshop", "broadcast", "task", "review")
# The phases of the plan window, in order (section 6).
PLAN_PHASES = ("mobilise", "prepare", "go_live", "hypercare", "reinforce", "sustain")
# `voluntary`: adoption is weekly active use; `mandatory`: adoption is compliance.
ADOPTION_MODES = ("voluntary", "mandatory")
QUADRANTS = ("manage_closely", "keep_satisfied", "keep_informed", "monitor")
SEVERITIES = ("critical", "warning", "info")
RISK_BANDS = ("high", "medium", "low")
READINESS_BANDS = ("ready", "at_risk", "not_ready")


@dataclass(frozen=True)
class Adkar:
    """ADKAR scores 1-5; None where not estimated or measured."""

    awareness: float | None = None
    desire: float | None = None
    knowledge: float | None = None
    ability: float | None = None
    reinforcement: float | None = None

    def as_dict(self) -> dict[str, float | None]:
        return {element: getattr(self, element) for element in ADKAR_ELEMENTS}


@dataclass(frozen=True)
class Stakeholder:
    id: str
    name: str
    kind: str = "group"
    role: str = "daily_user"
    group_id: str | None = None
    opposed_purchase: bool = False
    influence: int = 3
    interest: int = 3
    impact: int = 3
    engagement: str = "neutral"
    desired_engagement: str = "supportive"
    involvement: frozenset[str] = frozenset()
    success_definition: str = ""
    resistance_triggers: str = ""
    job_gets_harder: bool = False
    authority_decreases: bool = False
    adkar: Adkar = field(default_factory=Adkar)
    # When the ADKAR scores were estimated or measured (a survey: its last
    # answer's date); None when nobody recorded it.
    adkar_assessed_on: date | None = None
    adkar_source: str = "estimated"
    headcount: int | None = None
    is_champion: bool = False


@dataclass(frozen=True)
class ResistancePoint:
    """One reason a stakeholder may resist, with its mitigation flattened in."""

    id: str
    stakeholder_id: str
    source: str
    severity: int
    description: str = ""
    strategy: str | None = None
    owner: str = ""
    due_week: int | None = None
    status: str = "open"


@dataclass(frozen=True)
class PlanItem:
    id: str
    week: int
    title: str
    kind: str
    owner_role: str
    owner: str = ""
    workstream: str = ""
    format: str = ""
    audience_ids: tuple[str, ...] = ()
    adkar_target: str | None = None
    resistance_point_id: str | None = None
    status: str = "planned"
    origin: str = "manual"


@dataclass(frozen=True)
class AdoptionTarget:
    stakeholder_id: str
    week: int
    target_pct: float
    actual_pct: float | None = None


@dataclass(frozen=True)
class BlackoutPeriod:
    """Days the customer cannot absorb change (month-end close, peak season, holidays)."""

    start: date
    end: date
    label: str = ""


@dataclass(frozen=True)
class Engagement:
    id: str
    name: str
    go_live_date: date
    phase: str = "discovery"
    opposition_reviewed: bool = False
    kickoff_date: date | None = None
    renewal_date: date | None = None
    delivery_lead_name: str = ""
    cs_owner_name: str = ""
    adoption_mode: str = "voluntary"
    blackout_periods: tuple[BlackoutPeriod, ...] = ()
    handoff_accepted: bool = False
    # Dates of the stored assessment snapshots (used by `assessment_stale`).
    snapshot_dates: tuple[date, ...] = ()


@dataclass(frozen=True)
class EngagementData:
    """Everything the judgement needs about one engagement."""

    engagement: Engagement
    stakeholders: tuple[Stakeholder, ...] = ()
    resistance_points: tuple[ResistancePoint, ...] = ()
    plan_items: tuple[PlanItem, ...] = ()
    adoption_targets: tuple[AdoptionTarget, ...] = ()
    kpis: tuple[Kpi, ...] = ()
