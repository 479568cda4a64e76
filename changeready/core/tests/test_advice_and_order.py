"""What a mutation check of the core found untested: which next step the
high-risk finding advises, and the order and tie-breaks of the findings."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

import pytest

from changeready.core.assessment import assess
from changeready.core.findings import FINDING_CODES, SEVERITY_ORDER, _risk_action
from changeready.core.model import Adkar
from changeready.core.scoring import (
    LIKELIHOOD_ENGAGEMENT_WEIGHT,
    LIKELIHOOD_RESISTANCE_WEIGHT,
    Risk,
    RiskTerms,
)
from changeready.core.tests.builders import FULL_ADKAR, as_of, healthy, stakeholder

SMALL = Fraction(1, 100)
TOM = stakeholder("tom", name="Tom", engagement="resistant", adkar=FULL_ADKAR)

# The next step for each likelihood term, as the advice starts.
ADVICE = {
    "engagement": "Have the sponsor meet Tom to hear their concerns",
    "resistance": "Start the mitigation of Tom's most severe resistance point",
    "signals": "Ask Tom what they lose at go-live",
    "barrier": "Run a pulse survey for Tom",
    "not_involved": "Bring Tom into UAT or training design",
}


def risk(**terms) -> Risk:
    """A high risk whose terms are all small but the ones given."""
    values = {
        "consequence": Fraction(1),
        "engagement": SMALL,
        "resistance": SMALL,
        "signals": SMALL,
        "barrier": SMALL,
        "not_involved": 0,
        **terms,
    }
    return Risk(score=80, band="high", ramped=False, terms=RiskTerms(**values))


@pytest.mark.parametrize("term", ADVICE)
def test_the_next_step_works_on_the_term_that_contributes_most(term):
    advice = _risk_action(TOM, risk(**{term: 1}))
    assert advice.startswith(ADVICE[term])
    others = [text for other, text in ADVICE.items() if other != term]
    assert not any(advice.startswith(text) for text in others)


def test_a_known_barrier_is_named_in_the_next_step():
    blocked = replace(TOM, adkar=Adkar(awareness=4, desire=2, knowledge=1, ability=1))
    assert _risk_action(blocked, risk(barrier=1)) == (
        "Work on Tom's desire first; later ADKAR steps cannot build without it."
    )


def test_the_engagement_step_names_where_tom_is_and_should_be():
    assert _risk_action(TOM, risk(engagement=1)).endswith(
        "move them from resistant towards supportive."
    )


def test_a_tie_between_terms_goes_to_the_earlier_term():
    # Equal weighted contributions: engagement comes first in the formula.
    resistance = Fraction(1)
    engagement = resistance * LIKELIHOOD_RESISTANCE_WEIGHT / LIKELIHOOD_ENGAGEMENT_WEIGHT
    advice = _risk_action(TOM, risk(engagement=engagement, resistance=resistance))
    assert advice.startswith(ADVICE["engagement"])


def many_findings():
    """An engagement that breaks several checks at once, of every severity."""
    data = healthy()
    resisting = {"kind": "person", "engagement": "resistant", "authority_decreases": True}
    people = (
        # Ids in another order than the names, and one name in two cases.
        stakeholder("b2", name="Bea", **resisting),
        stakeholder("b1", name="bea", **resisting),
        # Influential enough to make its unplanned resistance critical.
        stakeholder("zed", name="al", influence=5, **resisting),
    )
    return replace(data, stakeholders=data.stakeholders + people)


def test_findings_come_by_severity_then_in_the_catalogue_order_of_checks():
    findings = assess(many_findings(), as_of(42)).findings
    severities = [f.severity for f in findings]
    assert len(set(severities)) > 1
    assert severities == sorted(severities, key=SEVERITY_ORDER.index)
    for severity in set(severities):
        codes = [f.code for f in findings if f.severity == severity]
        positions = [FINDING_CODES.index(code) for code in codes]
        assert positions == sorted(positions), severity


def test_findings_of_one_check_name_people_alphabetically_then_by_id():
    findings = assess(many_findings(), as_of(42)).findings
    by_code: dict[str, list[tuple[str, ...]]] = {}
    for finding in findings:
        by_code.setdefault(finding.code, []).append(finding.subject_ids)
    repeated = {code: ids for code, ids in by_code.items() if len(ids) > 1}
    assert repeated, "the example must repeat a check over several people"
    for ids in repeated.values():
        subjects = [subject[0] for subject in ids if subject]
        # al first; Bea (b2) and bea (b1) are one name in two cases: by id.
        expected = [s for s in ("zed", "b1", "b2") if s in subjects]
        assert [s for s in subjects if s in ("zed", "b1", "b2")] == expected
