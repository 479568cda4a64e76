"""Turn an assessment into what the pages show: findings by killer, terms explained.

Shared by the assessment page, the engagement overview and the playbook, so
every place explains a score the same way.
"""

from __future__ import annotations

from dataclasses import dataclass

from changeready.core.assessment import Assessment, StakeholderAssessment
from changeready.core.findings import FINDING_CATALOGUE, KILLER_GROUPS, Finding
from changeready.core.scoring import (
    LIKELIHOOD_BARRIER_WEIGHT,
    LIKELIHOOD_ENGAGEMENT_WEIGHT,
    LIKELIHOOD_NOT_INVOLVED_WEIGHT,
    LIKELIHOOD_RESISTANCE_WEIGHT,
    LIKELIHOOD_SIGNALS_WEIGHT,
)

# Each likelihood term: its key in RiskTerms, its weight, and what it measures.
LIKELIHOOD_TERMS = (
    ("engagement", LIKELIHOOD_ENGAGEMENT_WEIGHT, "Engagement gap (current against desired)"),
    ("resistance", LIKELIHOOD_RESISTANCE_WEIGHT, "Open resistance (severity × mitigation)"),
    ("signals", LIKELIHOOD_SIGNALS_WEIGHT, "Resistor signals (authority, workload, opposed)"),
    ("barrier", LIKELIHOOD_BARRIER_WEIGHT, "ADKAR barrier"),
    ("not_involved", LIKELIHOOD_NOT_INVOLVED_WEIGHT, "Not in the room during implementation"),
)


@dataclass(frozen=True)
class TermRow:
    label: str
    value: float
    weight: float
    contribution: float


@dataclass(frozen=True)
class FindingView:
    finding: Finding
    title: str
    why: str
    subjects: list[tuple[str, str]]  # (id, name) of the stakeholders concerned


@dataclass(frozen=True)
class KillerView:
    key: str
    title: str
    findings: list[FindingView]


def explain_terms(stakeholder: StakeholderAssessment) -> list[TermRow]:
    terms = stakeholder.terms.to_dict()
    return [
        TermRow(label, terms[key], float(weight), round(terms[key] * float(weight), 3))
        for key, weight, label in LIKELIHOOD_TERMS
    ]


def findings_by_killer(assessment: Assessment) -> list[KillerView]:
    names = {s.id: s.name for s in assessment.stakeholders}
    grouped: dict[str, list[FindingView]] = {key: [] for key, _ in KILLER_GROUPS}
    for finding in assessment.findings:
        info = FINDING_CATALOGUE[finding.code]
        subjects = [(sid, names[sid]) for sid in finding.subject_ids if sid in names]
        grouped[info.group].append(FindingView(finding, info.title, info.why, subjects))
    return [KillerView(key, title, grouped[key]) for key, title in KILLER_GROUPS]
