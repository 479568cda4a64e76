"""The assessment of one engagement: stakeholder risks, findings and readiness.

`assess` is the single entry point the Django side calls; its result's
`to_dict()` is the body of `GET /api/v1/engagements/{id}/assessment` without
`engagement_id`, which the caller adds.

Order of computation: stakeholder risks first (findings such as
`high_risk_stakeholder` need them), then findings, then readiness (capped by
the findings).

Shape decisions: a stakeholder's `barrier` is the ADKAR element name or null
when there is no barrier; `adkar_known` is false when no ADKAR element is
scored, which is why the barrier term can be 0.4 while `barrier` is null.
`floored` says whether the floor lifted the risk. `terms` carries the six
terms of the domain reference plus the resulting `likelihood` (see
`RiskTerms.to_dict`).
`readiness` adds `uncapped_score` so the user can see what the findings' cap
took away. Stakeholders come in input order; resistance points whose
stakeholder is not in the landscape are ignored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from changeready.core.findings import Finding, find_findings, index_by_stakeholder
from changeready.core.model import EngagementData
from changeready.core.scoring import (
    Readiness,
    Risk,
    RiskTerms,
    adkar_barrier,
    engagement_readiness,
    has_adkar_scores,
    is_resistor,
    quadrant,
    stakeholder_risk,
)
from changeready.core.weeks import days_to_go_live

__all__ = ["Assessment", "Finding", "Readiness", "StakeholderAssessment", "assess"]


@dataclass(frozen=True)
class StakeholderAssessment:
    """One stakeholder's risk with everything needed to explain it."""

    id: str
    name: str
    risk: int
    band: str
    quadrant: str
    barrier: str | None
    adkar_known: bool
    resistor: bool
    floored: bool
    terms: RiskTerms

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "name": self.name,
            "risk": self.risk,
            "band": self.band,
            "quadrant": self.quadrant,
            "barrier": self.barrier,
            "adkar_known": self.adkar_known,
            "resistor": self.resistor,
            "floored": self.floored,
            "terms": self.terms.to_dict(),
        }


@dataclass(frozen=True)
class Assessment:
    as_of: date
    readiness: Readiness
    stakeholders: tuple[StakeholderAssessment, ...]
    findings: tuple[Finding, ...]

    def to_dict(self) -> dict[str, object]:
        return {
            "as_of": self.as_of.isoformat(),
            "readiness": self.readiness.to_dict(),
            "stakeholders": [s.to_dict() for s in self.stakeholders],
            "findings": [f.to_dict() for f in self.findings],
        }


def assess(data: EngagementData, as_of: date) -> Assessment:
    """Score every stakeholder, run every check and derive readiness, as of a day."""
    days = days_to_go_live(data.engagement.go_live_date, as_of)
    points = index_by_stakeholder(data.resistance_points)
    risks: dict[str, Risk] = {}
    stakeholders = []
    for stakeholder in data.stakeholders:
        own_points = points.get(stakeholder.id, ())
        risk = stakeholder_risk(stakeholder, own_points, days)
        risks[stakeholder.id] = risk
        stakeholders.append(
            StakeholderAssessment(
                id=stakeholder.id,
                name=stakeholder.name,
                risk=risk.score,
                band=risk.band,
                quadrant=quadrant(stakeholder),
                barrier=adkar_barrier(stakeholder.adkar),
                adkar_known=has_adkar_scores(stakeholder.adkar),
                resistor=is_resistor(stakeholder, own_points),
                floored=risk.floored,
                terms=risk.terms,
            )
        )
    findings = find_findings(data, as_of, risks)
    readiness = engagement_readiness(
        [(s.terms.consequence, s.risk) for s in stakeholders],
        (finding.severity for finding in findings),
    )
    return Assessment(
        as_of=as_of,
        readiness=readiness,
        stakeholders=tuple(stakeholders),
        findings=findings,
    )
