"""What the landscape, map and register pages show: the stakeholders with the core's verdict.

The judgement (quadrant, risk, resistor, findings) comes from the core's
`assess`; this module only pairs it with the database rows. A fixed number of
queries whatever the size of the landscape.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

from changeready.core.assessment import Assessment, StakeholderAssessment, assess
from changeready.core.findings import index_by_stakeholder
from changeready.core.scoring import resistor_reasons
from changeready.engagements.loading import load_engagement_data
from changeready.landscape.labels import QUESTIONS, Question
from changeready.landscape.models import ResistancePoint, Stakeholder


@dataclass
class StakeholderEntry:
    stakeholder: Stakeholder
    assessment: StakeholderAssessment
    resistor_reasons: tuple[str, ...]
    group_name: str = ""
    points: list[ResistancePoint] = field(default_factory=list)
    # The core's `resistor_without_plan` finding names this stakeholder.
    without_plan: bool = False

    @property
    def is_resistor(self) -> bool:
        return self.assessment.resistor


@dataclass
class QuestionSection:
    question: Question
    entries: list  # StakeholderEntry, or (role, opposed) pairs in a `LandscapeSummary`


@dataclass
class Landscape:
    engagement: object
    assessment: Assessment
    entries: list[StakeholderEntry]
    points: list[ResistancePoint]

    @property
    def resistors(self) -> list[StakeholderEntry]:
        return [entry for entry in self.entries if entry.is_resistor]

    @property
    def points_of_non_resistors(self) -> list[ResistancePoint]:
        resistor_ids = {entry.stakeholder.id for entry in self.resistors}
        return [point for point in self.points if point.stakeholder_id not in resistor_ids]

    @property
    def without_plan_count(self) -> int:
        return sum(entry.without_plan for entry in self.entries)

    @property
    def sections(self) -> list[QuestionSection]:
        return [
            QuestionSection(question, [e for e in self.entries if answers(question, e)])
            for question in QUESTIONS
        ]


def answers(question: Question, entry: StakeholderEntry) -> bool:
    return answers_as(question, entry.stakeholder.role, entry.stakeholder.opposed_purchase)


def answers_as(question: Question, role: str, opposed_purchase: bool) -> bool:
    if question.opposed:
        return opposed_purchase
    return role in question.roles


@dataclass
class LandscapeSummary:
    """The overview's counts: what `Landscape` says, without loading its rows.

    `entries` and each section's entries are the (role, opposed) pairs of the
    assessed stakeholders; the summary template only counts them.
    """

    entries: list[tuple[str, bool]]
    resistors: list[StakeholderAssessment]
    without_plan_count: int
    sections: list[QuestionSection]


def landscape_summary(engagement, assessment: Assessment) -> LandscapeSummary:
    """The engagement's landscape counts from its assessment (the page's): one small query."""
    assessed = {s.id for s in assessment.stakeholders}
    # Rows written after the assessment have no verdict yet; they count on the next load.
    entries = [
        (role, opposed)
        for stakeholder_id, role, opposed in Stakeholder.objects.filter(
            engagement=engagement
        ).values_list("id", "role", "opposed_purchase")
        if str(stakeholder_id) in assessed
    ]
    return LandscapeSummary(
        entries=entries,
        resistors=[s for s in assessment.stakeholders if s.resistor],
        without_plan_count=len(_without_plan(assessment)),
        sections=[
            QuestionSection(question, [e for e in entries if answers_as(question, *e)])
            for question in QUESTIONS
        ],
    )


def _without_plan(assessment: Assessment) -> set[str]:
    """The stakeholders the core's `resistor_without_plan` finding names."""
    return {
        subject
        for finding in assessment.findings
        if finding.code == "resistor_without_plan"
        for subject in finding.subject_ids
    }


def build_landscape(engagement, as_of: date | None = None) -> Landscape:
    """The engagement's stakeholders, each with its assessment and resistance points."""
    as_of = as_of or timezone.localdate()
    data = load_engagement_data([engagement])[str(engagement.id)]
    assessment = assess(data, as_of)
    verdicts = {s.id: s for s in assessment.stakeholders}
    core_stakeholders = {s.id: s for s in data.stakeholders}
    core_points = index_by_stakeholder(data.resistance_points)
    without_plan = _without_plan(assessment)
    rows = list(Stakeholder.objects.filter(engagement=engagement).order_by("created_at", "name"))
    # Rows written between the two reads have no verdict yet; they show on the next load.
    rows = [row for row in rows if str(row.id) in verdicts]
    names = {row.id: row.name for row in rows}
    points = list(
        ResistancePoint.objects.filter(engagement=engagement).order_by("-severity", "created_at")
    )
    points_by_stakeholder = defaultdict(list)
    for point in points:
        points_by_stakeholder[point.stakeholder_id].append(point)
        point.stakeholder_name = names.get(point.stakeholder_id, "")
    entries = []
    for row in rows:
        key = str(row.id)
        entries.append(
            StakeholderEntry(
                stakeholder=row,
                assessment=verdicts[key],
                resistor_reasons=resistor_reasons(core_stakeholders[key], core_points.get(key, ())),
                group_name=names.get(row.group_id, ""),
                points=points_by_stakeholder[row.id],
                without_plan=key in without_plan,
            )
        )
    return Landscape(engagement=engagement, assessment=assessment, entries=entries, points=points)
