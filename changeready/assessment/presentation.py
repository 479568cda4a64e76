"""Turn an assessment into what the pages show: the two readiness questions,
why the band is what it is, findings by check, terms explained.

Shared by the assessment page, the engagement overview and the playbook, so
every place explains a score the same way. Codes stay in the API: everything
here is worded for people.
"""

from __future__ import annotations

from dataclasses import dataclass

from changeready.core.assessment import Assessment, StakeholderAssessment
from changeready.core.findings import FINDING_CATALOGUE, KILLER_GROUPS, Finding
from changeready.core.scoring import (
    BLOCKING_RISK_WEIGHT,
    LIKELIHOOD_BARRIER_WEIGHT,
    LIKELIHOOD_ENGAGEMENT_WEIGHT,
    LIKELIHOOD_NOT_INVOLVED_WEIGHT,
    LIKELIHOOD_RESISTANCE_WEIGHT,
    LIKELIHOOD_SIGNALS_WEIGHT,
    Readiness,
    shown,
)
from changeready.core.themes import ThemeMatch

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


# A page lists at most this many findings of one code in full (the API lists
# all): a landscape of 500 groups must not give a page of 500 findings.
FULL_FINDINGS_PER_CODE = 3
# Names listed where a finding or a group of findings concerns many people.
NAMES_LISTED = 10
# A message longer than this is cut on the page, at a word.
MESSAGE_CHARS = 600


def _short(text: str) -> str:
    if len(text) <= MESSAGE_CHARS:
        return text
    return text[:MESSAGE_CHARS].rsplit(" ", 1)[0] + " …"


@dataclass(frozen=True)
class Names:
    """A few names, and how many more there are."""

    listed: list[str]
    more: int

    @classmethod
    def of(cls, names: list[str]) -> Names:
        return cls(names[:NAMES_LISTED], max(0, len(names) - NAMES_LISTED))


@dataclass(frozen=True)
class FindingView:
    finding: Finding
    title: str
    why: str
    subjects: Names  # the stakeholders concerned

    @property
    def message(self) -> str:
        return _short(self.finding.message)

    @property
    def action(self) -> str:
        return _short(self.finding.action)


@dataclass(frozen=True)
class MoreFindings:
    """The findings of one code beyond the first few: counted and named, not repeated."""

    title: str
    severity: str
    count: int
    subjects: Names


@dataclass(frozen=True)
class KillerView:
    """One group of checks: "Checks on who is involved", and what is open in it."""

    key: str
    title: str
    findings: list[FindingView]
    more: list[MoreFindings]

    @property
    def open_count(self) -> int:
        return len(self.findings) + sum(more.count for more in self.more)

    @property
    def heading(self) -> str:
        opened = f"{self.open_count} open" if self.open_count else "nothing open"
        return f"Checks on {self.title}: {opened}"


def explain_terms(stakeholder: StakeholderAssessment) -> list[TermRow]:
    terms = stakeholder.terms.to_dict()
    return [
        TermRow(label, terms[key], float(weight), round(terms[key] * float(weight), 3))
        for key, weight, label in LIKELIHOOD_TERMS
    ]


def findings_by_killer(assessment: Assessment) -> list[KillerView]:
    names = {s.id: s.name for s in assessment.stakeholders}
    shown_findings: dict[str, list[FindingView]] = {key: [] for key, _ in KILLER_GROUPS}
    beyond: dict[tuple[str, str], list[list[str]]] = {}
    per_code: dict[tuple[str, str], int] = {}
    for finding in assessment.findings:
        info = FINDING_CATALOGUE[finding.code]
        subjects = [names[sid] for sid in finding.subject_ids if sid in names]
        key = (finding.code, finding.severity)
        per_code[key] = per_code.get(key, 0) + 1
        if per_code[key] > FULL_FINDINGS_PER_CODE:
            beyond.setdefault(key, []).append(subjects)
            continue
        view = FindingView(finding, info.title, info.why, Names.of(subjects))
        shown_findings[info.group].append(view)
    more: dict[str, list[MoreFindings]] = {key: [] for key, _ in KILLER_GROUPS}
    for (code, severity), subject_lists in beyond.items():
        info = FINDING_CATALOGUE[code]
        subjects = [name for names_of_one in subject_lists for name in names_of_one]
        more[info.group].append(
            MoreFindings(info.title, severity, len(subject_lists), Names.of(subjects))
        )
    return [KillerView(key, title, shown_findings[key], more[key]) for key, title in KILLER_GROUPS]


BAND_WORDS = {"ready": "ready", "at_risk": "at risk", "not_ready": "not ready"}
# Themes in the words of the page (the codes are the API's).
THEME_LABELS = {
    "data_use": "how their data is used",
    "job_security": "job security",
    "hardware": "devices and network",
    "staff_turnover": "staff turnover",
    "out_of_hours": "out-of-hours work",
    "workload": "workload",
    "alerts": "alerts and interruptions",
    "business_calendar": "the business calendar",
    "reporting": "reporting and visibility",
}
# The adopters and blockers the page lists; the rest are in the breakdown.
LISTED_PER_QUESTION = 10


@dataclass(frozen=True)
class ReadinessView:
    """The readiness verdict, and why the band is lower than the score, in words."""

    readiness: Readiness
    lowered_by: list[str]  # titles of the findings in `capped_by`

    @property
    def band_words(self) -> str:
        return BAND_WORDS[self.readiness.band]

    @property
    def score_band_words(self) -> str:
        return BAND_WORDS[self.readiness.score_band]

    @property
    def adoption_risk(self) -> float:
        return round(float(self.readiness.adoption_risk), 1)

    @property
    def blocking_risk(self) -> float:
        return round(float(self.readiness.blocking_risk), 1)

    @property
    def deciding_question(self) -> str:
        """Which answer set the score: "adoption", "blocking", or "" when neither weighs."""
        adoption, blocking = self.readiness.adoption_risk, self.readiness.blocking_risk
        if adoption == blocking == 0:
            return ""
        return "blocking" if blocking > adoption else "adoption"


def readiness_view(assessment: Assessment) -> ReadinessView:
    titles = [FINDING_CATALOGUE[code].title for code in assessment.readiness.capped_by]
    return ReadinessView(assessment.readiness, titles)


@dataclass(frozen=True)
class AdopterRow:
    stakeholder: StakeholderAssessment

    @property
    def weight(self) -> int:
        return self.stakeholder.adoption.weight

    @property
    def likelihood_pct(self) -> int:
        return round(shown(self.stakeholder.adoption.likelihood) * 100)

    @property
    def measured_week(self) -> int | None:
        return self.stakeholder.adoption.measured_week


@dataclass(frozen=True)
class BlockerRow:
    stakeholder: StakeholderAssessment

    @property
    def blocking_risk(self) -> float:
        return round(float(BLOCKING_RISK_WEIGHT * self.stakeholder.risk), 1)


@dataclass(frozen=True)
class QuestionView:
    rows: list
    more: int  # how many the page leaves to the breakdown


def adopters_by_people(assessment: Assessment) -> QuestionView:
    """The adopters, heaviest (people x impact) first, then the least likely to adopt."""
    adopters = sorted(
        (s for s in assessment.stakeholders if s.adoption is not None),
        key=lambda s: (-s.adoption.weight, -s.adoption.likelihood, s.name.casefold()),
    )
    rows = [AdopterRow(s) for s in adopters[:LISTED_PER_QUESTION]]
    return QuestionView(rows, len(adopters) - len(rows))


def blockers_by_risk(assessment: Assessment) -> QuestionView:
    """The stakeholders who can block it (influence 4 or more), the riskiest first."""
    blockers = sorted(
        (s for s in assessment.stakeholders if s.blocker),
        key=lambda s: (-s.risk, s.name.casefold()),
    )
    rows = [BlockerRow(s) for s in blockers[:LISTED_PER_QUESTION]]
    return QuestionView(rows, len(blockers) - len(rows))


def theme_words(themes: tuple[ThemeMatch, ...]) -> list[tuple[str, tuple[str, ...]]]:
    """(what it is about, the phrases they used) for each theme."""
    return [(THEME_LABELS[theme.code], theme.matched) for theme in themes]
