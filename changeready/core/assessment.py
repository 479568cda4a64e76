"""The assessment of one engagement: stakeholder risks, findings and readiness.

`assess` is the single entry point the Django side calls; its result's
`to_dict()` is the body of `GET /api/v1/engagements/{id}/assessment` without
`engagement_id`, which the caller adds.

Order of computation: stakeholder risks first (findings such as
`high_risk_stakeholder` need them), then findings, then readiness (its band
lowered by the findings).

Shape decisions: a stakeholder's `barrier` is the ADKAR element name or null
when there is no barrier; `adkar_known` is false when no ADKAR element is
scored, which is why the barrier term can be 0.4 while `barrier` is null.
`ramped` says whether the calendar ramp raised the risk. `terms` carries the
six terms of the domain reference plus the resulting `likelihood` (see
`RiskTerms.to_dict`). `people` and `themes` follow docs/domain.md;
`adopter` and `blocker` say which readiness question a stakeholder weighs in,
and `adoption` carries an adopter's adoption likelihood and whether it was
measured (null for everyone else). `readiness` adds the answers to the two
questions, `adoption_risk` and `blocking_risk`, beside `capped_by`.
Stakeholders come in input order; resistance points whose stakeholder is not
in the landscape are ignored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from changeready.core.findings import Finding, find_findings, index_by_stakeholder
from changeready.core.model import EngagementData
from changeready.core.scoring import (
    ADOPTER_ROLES,
    BLOCKER_MIN_INFLUENCE,
    Readiness,
    Risk,
    RiskTerms,
    adkar_barrier,
    adoption_likelihood,
    adoption_risk,
    blocking_risk,
    engagement_readiness,
    has_adkar_scores,
    is_resistor,
    latest_measured_adoption,
    people_of,
    quadrant,
    shown,
    stakeholder_risk,
)
from changeready.core.themes import ThemeMatch, themes_of
from changeready.core.weeks import days_to_go_live, plan_week

__all__ = ["Adoption", "Assessment", "Finding", "Readiness", "StakeholderAssessment", "assess"]


@dataclass(frozen=True)
class Adoption:
    """An adopter's part in "will the people adopt it?".

    `weight` is people x impact; `measured_week` is the week whose actual
    figure replaced the estimate, None when the likelihood is estimated.
    """

    weight: int
    likelihood: Fraction
    measured_week: int | None

    def to_dict(self) -> dict[str, object]:
        return {
            "weight": self.weight,
            "likelihood": shown(self.likelihood),
            "measured_week": self.measured_week,
        }


@dataclass(frozen=True)
class StakeholderAssessment:
    """One stakeholder's risk with everything needed to explain it."""

    id: str
    name: str
    kind: str
    role: str
    influence: int
    impact: int
    people: int
    risk: int
    band: str
    quadrant: str
    barrier: str | None
    adkar_known: bool
    resistor: bool
    ramped: bool
    terms: RiskTerms
    themes: tuple[ThemeMatch, ...]
    blocker: bool
    adoption: Adoption | None

    @property
    def adopter(self) -> bool:
        return self.adoption is not None

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
            "ramped": self.ramped,
            "people": self.people,
            "themes": [theme.to_dict() for theme in self.themes],
            "blocker": self.blocker,
            "adoption": None if self.adoption is None else self.adoption.to_dict(),
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
    go_live = data.engagement.go_live_date
    days = days_to_go_live(go_live, as_of)
    current_week = plan_week(go_live, as_of)
    points = index_by_stakeholder(data.resistance_points)
    targets = index_by_stakeholder(data.adoption_targets)
    landscape = {s.id: s for s in data.stakeholders}
    risks: dict[str, Risk] = {}
    stakeholders = []
    for stakeholder in data.stakeholders:
        own_points = points.get(stakeholder.id, ())
        risk = stakeholder_risk(stakeholder, own_points, days)
        risks[stakeholder.id] = risk
        people = people_of(stakeholder, landscape)
        adoption = None
        if stakeholder.role in ADOPTER_ROLES:
            measured = (
                latest_measured_adoption(targets.get(stakeholder.id, ()), current_week)
                if stakeholder.kind == "group"
                else None
            )
            adoption = Adoption(
                weight=people * stakeholder.impact,
                likelihood=adoption_likelihood(stakeholder, risk, days, measured),
                measured_week=None if measured is None else measured.week,
            )
        stakeholders.append(
            StakeholderAssessment(
                id=stakeholder.id,
                name=stakeholder.name,
                kind=stakeholder.kind,
                role=stakeholder.role,
                influence=stakeholder.influence,
                impact=stakeholder.impact,
                people=people,
                risk=risk.score,
                band=risk.band,
                quadrant=quadrant(stakeholder),
                barrier=adkar_barrier(stakeholder.adkar),
                adkar_known=has_adkar_scores(stakeholder.adkar),
                resistor=is_resistor(stakeholder, own_points),
                ramped=risk.ramped,
                terms=risk.terms,
                themes=themes_of(stakeholder, own_points),
                blocker=stakeholder.influence >= BLOCKER_MIN_INFLUENCE,
                adoption=adoption,
            )
        )
    findings = find_findings(data, as_of, risks)
    readiness = engagement_readiness(
        adoption_risk(
            (s.adoption.weight, s.adoption.likelihood)
            for s in stakeholders
            if s.adoption is not None
        ),
        blocking_risk(s.risk for s in stakeholders if s.blocker),
        [(finding.code, finding.severity) for finding in findings],
        has_stakeholders=bool(stakeholders),
    )
    return Assessment(
        as_of=as_of,
        readiness=readiness,
        stakeholders=tuple(stakeholders),
        findings=findings,
    )
