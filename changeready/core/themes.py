"""What a stakeholder's own words are about (docs/domain.md, "Themes").

The team writes down, in the customer's words, what success looks like for a
stakeholder, what would make them resist, and why each resistance point
exists. Those texts are matched against a small lexicon of themes, so the plan
can answer what people actually said ("they fear the pick rates are used
against them") instead of a generic change-management step.

Matching rules:

- Case-insensitive, whole words only: a phrase never matches inside a longer
  word ("close" does not match "closely").
- By word stems: each word of a phrase matches its regular inflections, the
  plural and the verb forms (-s, -es, -ed, -ing, a final -e dropped before
  -ing/-ed, -y becoming -ies/-ied, a doubled final consonant), so "monitor"
  matches "monitored" and "monitoring". Derivations such as -ly, -er or -al
  are different words ("closely", "closer", "seasonal") and never match.
- A phrase of several words matches those words in a row, separated by
  spaces, hyphens or slashes: "month-end" matches "month end" and
  "Month-End"; "24/7" matches "24/7".
- Where phrases of one theme overlap, the longest from the first word is
  quoted ("month-end close", not also "month-end"). "Close" and "audit" count
  only in phrases that name the accounting close or an audit period, and
  "close" never as "closed" or "closing" ("the ward is closed", "the audit
  trail" are not the business calendar; "closing the books" is).
- Resistance points that are resolved or accepted no longer count: the
  concern was answered or knowingly left.

A theme lists, deduplicated and in the order they first appear, the phrases
as they are written in the text, so the reader sees the customer's words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from changeready.core.model import ResistancePoint, Stakeholder

# The lexicon: theme code and the phrases that reveal it. Codes are the public
# contract (docs/domain.md); the phrases are the first version's, extended with
# the words delivery teams most often meet in the same sense. A phrase that is
# an ordinary word in other senses ("track", "watch", "job") only appears in a
# combination that carries the theme ("track us", "watched", "lose my job").
THEME_LEXICON: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "data_use",
        (
            "monitor",
            "surveil",
            "surveillance",
            "track us",
            "track me",
            "track our",
            "track them",
            "used against",
            "use it against",
            "pick rates",
            "productivity data",
            "performance data",
            "watched",
            "big brother",
            "keystrokes",
            "spy",
        ),
    ),
    (
        "job_security",
        (
            "jobs",
            "job loss",
            "job cuts",
            "lose my job",
            "lose their job",
            "lose our job",
            # Not "headcount" alone: "no extra headcount" is about workload.
            "cut headcount",
            "reduce headcount",
            "headcount cut",
            "headcount reduction",
            "redundant",
            "redundancy",
            "replace us",
            "replace them",
            "replaced by",
            "layoff",
            "lay off",
            "laid off",
        ),
    ),
    (
        "hardware",
        (
            "device",
            "workstation",
            "scanner",
            "laptop",
            "tablet",
            "printer",
            "handheld",
            "hardware",
            "wi-fi",
            "wifi",
            "network",
            "connectivity",
            "bandwidth",
        ),
    ),
    (
        "staff_turnover",
        (
            "rotation",
            "new starter",
            "new joiner",
            "new hire",
            "turnover",
            "seasonal",
            "temporary staff",
            "temporary workers",
            "temps",
            "agency staff",
            "agency workers",
            "agency nurses",
            "locum",
        ),
    ),
    (
        "out_of_hours",
        (
            "night",
            "overnight",
            "weekend",
            # "Shift" alone is mostly a unit of work ("miles per shift") or a
            # title ("shift leads"); shifts in the plural, or a named shift, are
            # about when people work.
            "shifts",
            "late shift",
            "early shift",
            "every shift",
            "shift work",
            "shift pattern",
            "24/7",
            "on call",
            "out of hours",
            "after hours",
        ),
    ),
    (
        "workload",
        (
            "workload",
            "overtime",
            "extra clicks",
            "more clicks",
            "slow",
            "slower",
            "double entry",
            "duplicate",
            "duplication",
            "extra work",
            "more work",
            "takes longer",
            "time-consuming",
        ),
    ),
    (
        "alerts",
        (
            "alert",
            "notification",
            "pop-up",
            "popup",
            "interruption",
            "interrupt",
            "alarm fatigue",
        ),
    ),
    (
        "business_calendar",
        (
            "month-end",
            "quarter-end",
            "year-end",
            # "Close" alone is mostly something else ("close to go-live", "work
            # closely"): only the accounting close, named as such.
            "month-end close",
            "quarter-end close",
            "year-end close",
            "financial close",
            "period close",
            "the close",
            "close in",
            "close the books",
            "closing the books",
            "books close",
            "close week",
            "close period",
            "close process",
            "close calendar",
            "close cycle",
            "peak",
            "season",
            "holiday",
            # "Audit" alone is mostly the system's own ("audit trail", "audit log").
            "audit season",
            "audit period",
            "audit week",
            "audit deadline",
            "external audit",
            "statutory audit",
            "busy period",
            "black friday",
        ),
    ),
    (
        "reporting",
        (
            "report",
            "dashboard",
            "visibility",
            "lose sight",
            "lost sight",
        ),
    ),
)
THEME_CODES: tuple[str, ...] = tuple(code for code, _ in THEME_LEXICON)
# Words whose inflections are nearly always meant otherwise keep only these
# forms: "the ward is closed", "closing the old system down" are not the close.
_WORD_FORMS: dict[str, frozenset[str]] = {"close": frozenset({"close", "closes"})}

# Statuses whose resistance points no longer speak for the stakeholder.
_SETTLED_STATUSES = frozenset({"resolved", "accepted"})

# A word: letters and digits (any script). Everything else separates words.
_WORD = re.compile(r"[^\W_]+")
# What may stand between the words of one phrase.
_PHRASE_GAP = re.compile(r"[\s\-/]+")
_VOWELS = frozenset("aeiou")


@dataclass(frozen=True)
class ThemeMatch:
    """One theme found in a stakeholder's words, with the phrases as written."""

    code: str
    matched: tuple[str, ...]

    def to_dict(self) -> dict[str, object]:
        return {"code": self.code, "matched": list(self.matched)}


def _inflections(stem: str) -> frozenset[str]:
    """The regular inflections of one word: plural and verb forms, no derivations."""
    forms = {stem, stem + "s", stem + "es", stem + "ed", stem + "ing"}
    if stem.endswith("e"):
        forms |= {stem + "d", stem[:-1] + "ing"}
    if stem.endswith("y") and len(stem) > 1 and stem[-2] not in _VOWELS:
        forms |= {stem[:-1] + "ies", stem[:-1] + "ied"}
    last = stem[-1]
    if last.isalpha() and last not in _VOWELS and last not in "wxy":
        forms |= {stem + last + "ed", stem + last + "ing"}
    return frozenset(forms)


@dataclass(frozen=True)
class _Phrase:
    code: str
    words: tuple[frozenset[str], ...]


def _compile(lexicon: Iterable[tuple[str, Iterable[str]]]) -> dict[str, tuple[_Phrase, ...]]:
    """The phrases indexed by every form of their first word, so a text is read once."""
    by_first_form: dict[str, list[_Phrase]] = {}
    for code, phrases in lexicon:
        for phrase in phrases:
            compiled = _Phrase(
                code,
                tuple(
                    _WORD_FORMS.get(word.casefold()) or _inflections(word.casefold())
                    for word in _WORD.findall(phrase)
                ),
            )
            for form in compiled.words[0]:
                by_first_form.setdefault(form, []).append(compiled)
    return {form: tuple(phrases) for form, phrases in by_first_form.items()}


_PHRASES_BY_FIRST_FORM = _compile(THEME_LEXICON)


def _matches(text: str) -> Iterator[tuple[str, str]]:
    """(theme code, phrase as written) for every phrase in `text`, in reading order.

    Where phrases of one theme overlap, the longest from the first word is the
    one quoted: "month-end close", not also "month-end"; "audit season", not
    also "season".
    """
    words = list(_WORD.finditer(text))
    folded = [word.group().casefold() for word in words]
    # Theme -> the word after its last match: a phrase inside it is not quoted again.
    covered: dict[str, int] = {}
    for start, first in enumerate(folded):
        longest: dict[str, int] = {}
        for phrase in _PHRASES_BY_FIRST_FORM.get(first, ()):
            end = start + len(phrase.words)
            if end > len(words) or end <= longest.get(phrase.code, start):
                continue
            if all(
                folded[start + offset] in forms for offset, forms in enumerate(phrase.words)
            ) and all(
                _PHRASE_GAP.fullmatch(text[words[i].end() : words[i + 1].start()])
                for i in range(start, end - 1)
            ):
                longest[phrase.code] = end
        for code, end in longest.items():
            if start >= covered.get(code, 0):
                covered[code] = end
                yield code, text[words[start].start() : words[end - 1].end()]


def _own_words(stakeholder: Stakeholder, resistance_points: Iterable[ResistancePoint]) -> list[str]:
    """The texts that speak for the stakeholder, in a fixed order."""
    return [
        stakeholder.success_definition,
        stakeholder.resistance_triggers,
        *(
            point.description
            for point in resistance_points
            if point.stakeholder_id == stakeholder.id and point.status not in _SETTLED_STATUSES
        ),
    ]


def themes_of(
    stakeholder: Stakeholder, resistance_points: Iterable[ResistancePoint]
) -> tuple[ThemeMatch, ...]:
    """The themes of a stakeholder's own words, in lexicon order.

    `resistance_points` may hold other stakeholders' points; only this
    stakeholder's unsettled ones are read.
    """
    found: dict[str, dict[str, str]] = {code: {} for code in THEME_CODES}
    for text in _own_words(stakeholder, resistance_points):
        for code, written in _matches(text):
            # "Month-end" and "month end" are one phrase written twice.
            found[code].setdefault(" ".join(_WORD.findall(written.casefold())), written)
    return tuple(
        ThemeMatch(code, tuple(phrases.values())) for code, phrases in found.items() if phrases
    )
