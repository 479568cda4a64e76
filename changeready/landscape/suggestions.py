"""Typical success definitions and resistance triggers, by role and industry.

Offered on the stakeholder form as phrases to start from: one click appends a
phrase to the answer, which the user then makes specific. Workspaces add their
own (`WorkspacePhrase`). Pure data plus one function that merges both.
"""

from __future__ import annotations

from dataclasses import dataclass

INDUSTRY_LABELS = {
    "": "Any industry",
    "healthcare": "Healthcare",
    "warehousing": "Warehousing and logistics",
    "finance": "Finance",
}
PHRASE_FIELD_LABELS = {
    "success_definition": "What success looks like",
    "resistance_triggers": "What would make them resist",
}


@dataclass(frozen=True)
class Phrase:
    role: str
    industry: str  # "" for any industry
    field: str  # success_definition or resistance_triggers
    text: str

    @property
    def industry_label(self) -> str:
        return INDUSTRY_LABELS[self.industry] if self.industry else ""


def _phrases(role, industry, success=(), resistance=()):
    return [Phrase(role, industry, "success_definition", text) for text in success] + [
        Phrase(role, industry, "resistance_triggers", text) for text in resistance
    ]


BUILT_IN_PHRASES = (
    *_phrases(
        "daily_user",
        "",
        success=(
            "No double entry: each figure is typed once.",
            "The common task takes fewer clicks than today.",
        ),
        resistance=(
            "Slower than the old way in the first weeks.",
            "Worried the new data will be used to monitor them.",
        ),
    ),
    *_phrases(
        "daily_user",
        "healthcare",
        success=("Charting done before the end of the shift, not after it.",),
        resistance=("Alerts and pop-ups that interrupt care at the bedside.",),
    ),
    *_phrases(
        "daily_user",
        "warehousing",
        success=("No paper pick lists; pick accuracy above 99.5%.",),
        resistance=("Scanners or wi-fi that drop out on the warehouse floor.",),
    ),
    *_phrases(
        "daily_user",
        "finance",
        success=("Reconciliations finished without spreadsheets on the side.",),
        resistance=("Go-live lands in the month-end close.",),
    ),
    *_phrases(
        "people_manager",
        "",
        success=(
            "Sees the team's work in one place without chasing for reports.",
            "The team is back to normal productivity within four weeks.",
        ),
        resistance=(
            "Loses approvals or visibility they have today.",
            "Their team's targets stay the same during the learning dip.",
        ),
    ),
    *_phrases(
        "people_manager",
        "healthcare",
        resistance=("New starters and agency staff rotate through before they are trained.",),
    ),
    *_phrases(
        "people_manager",
        "warehousing",
        resistance=("Go-live falls in the peak season.",),
    ),
    *_phrases(
        "product_admin",
        "",
        success=("Can change a form or a rule without calling the vendor.",),
        resistance=("Supporting the old and the new system at the same time.",),
    ),
    *_phrases(
        "economic_buyer",
        "",
        success=("The business case is met: the agreed savings show within the year.",),
        resistance=("Costs or timelines grow beyond what was approved.",),
    ),
    *_phrases(
        "executive_sponsor",
        "",
        success=("Adoption targets met by the first review after go-live.",),
        resistance=("Competing priorities take the team's time away from the rollout.",),
    ),
    *_phrases(
        "it_security",
        "",
        success=("Single sign-on and access reviews work from day one.",),
        resistance=("Integrations or data flows they were not asked to review.",),
    ),
    *_phrases(
        "downstream",
        "",
        success=("The reports they rely on arrive on time and in the same shape.",),
        resistance=("Reports change without warning and they lose sight of the numbers.",),
    ),
)


def phrase_offers(workspace_phrases, role: str) -> dict[str, list[tuple[Phrase, bool]]]:
    """Every phrase to offer, by field: the workspace's own first, then the built-in ones.

    Each comes with whether it fits `role` (a phrase for any role always does);
    the form shows those and keeps the rest hidden until the role changes to theirs.
    """
    offered: dict[str, list[tuple[Phrase, bool]]] = {field: [] for field in PHRASE_FIELD_LABELS}
    seen = set()
    for phrase in [*workspace_phrases, *BUILT_IN_PHRASES]:
        key = (phrase.field, phrase.role, phrase.text)
        if key in seen:
            continue
        seen.add(key)
        offered[phrase.field].append((phrase, phrase.role in ("", role)))
    return offered


def phrases_by_role(workspace_phrases, roles) -> dict[str, dict[str, list[str]]]:
    """The phrases that fit each of `roles` (and "" for no role yet), by field.

    What the grid offers as a list of options per role, computed once per page.
    """
    workspace_phrases = list(workspace_phrases)
    return {
        role: {
            field: [phrase.text for phrase, fits in offers if fits]
            for field, offers in phrase_offers(workspace_phrases, role).items()
        }
        for role in ("", *roles)
    }
