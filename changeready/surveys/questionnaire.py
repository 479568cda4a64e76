"""The ADKAR pulse questionnaire and its arithmetic (DOMAIN.md section 7).

Plain Python, no Django: two statements per ADKAR element, each answered on a
five-point agreement scale or "not applicable" (stored as None). An element's
score is the mean of its answered statements; a survey's result for an element
is the mean, over respondents, of their element scores.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from statistics import fmean

from changeready.core.model import ADKAR_ELEMENTS

# The product's own wording; each pair keeps the intent given in DOMAIN.md.
# "The new system" rather than the product's name: the same questionnaire
# serves every engagement and reads naturally to the customer's people.
STATEMENTS: dict[str, tuple[str, str]] = {
    "awareness": (
        "I understand why we are introducing the new system.",
        "I know what would go wrong if we kept working the old way.",
    ),
    "desire": (
        "I want the new system to succeed here.",
        "Working with the new system will make my own work better.",
    ),
    "knowledge": (
        "I know what I need to do differently in the new system.",
        "I know where to get help when I am stuck.",
    ),
    "ability": (
        "I can do my core tasks in the new system without asking for help.",
        "I have the time I need to become confident with it.",
    ),
    "reinforcement": (
        "My manager notices when I work in the new system.",
        "The old workarounds have been retired, so the new way is the normal way.",
    ),
}

ELEMENT_LABELS = {
    "awareness": "Awareness",
    "desire": "Desire",
    "knowledge": "Knowledge",
    "ability": "Ability",
    "reinforcement": "Reinforcement",
}

SCALE: tuple[tuple[int, str], ...] = (
    (1, "Strongly disagree"),
    (2, "Disagree"),
    (3, "Neither agree nor disagree"),
    (4, "Agree"),
    (5, "Strongly agree"),
)
NOT_APPLICABLE = "na"
NOT_APPLICABLE_LABEL = "Not applicable to me"
ITEMS_PER_ELEMENT = 2

# Answers: {"awareness": [4, None], ...}; None is "not applicable".
Answers = Mapping[str, list[int | None]]


def item_key(element: str, index: int) -> str:
    """The form field name of one statement, e.g. `awareness_1`."""
    return f"{element}_{index + 1}"


def validate_answers(answers: object) -> dict[str, list[int | None]]:
    """The answers in canonical form, or ValueError naming what is wrong."""
    if not isinstance(answers, Mapping) or set(answers) != set(ADKAR_ELEMENTS):
        raise ValueError("Answers need exactly the five ADKAR elements.")
    clean = {}
    for element in ADKAR_ELEMENTS:
        items = answers[element]
        if not isinstance(items, list | tuple) or len(items) != ITEMS_PER_ELEMENT:
            raise ValueError(f"{element}: two answers are needed.")
        for value in items:
            if value is not None and (
                isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5
            ):
                raise ValueError(f"{element}: each answer is 1–5 or not applicable.")
        clean[element] = list(items)
    return clean


def element_scores(answers: Answers) -> dict[str, float | None]:
    """One respondent's score per element: the mean of the answered statements."""
    scores = {}
    for element in ADKAR_ELEMENTS:
        answered = [value for value in answers.get(element, ()) if value is not None]
        scores[element] = fmean(answered) if answered else None
    return scores


@dataclass(frozen=True)
class ElementResult:
    mean: float | None
    # How many respondents answered at least one statement of the element.
    answered_by: int


def aggregate(all_answers: Iterable[Answers]) -> dict[str, ElementResult]:
    """Per element, the mean over respondents of their element scores.

    A respondent who marked both statements of an element "not applicable"
    does not count towards that element; an element nobody answered has no
    mean (None), which leaves the stakeholder's existing score unchanged.
    """
    per_element: dict[str, list[float]] = {element: [] for element in ADKAR_ELEMENTS}
    for answers in all_answers:
        for element, score in element_scores(answers).items():
            if score is not None:
                per_element[element].append(score)
    return {
        element: ElementResult(mean=fmean(scores) if scores else None, answered_by=len(scores))
        for element, scores in per_element.items()
    }
