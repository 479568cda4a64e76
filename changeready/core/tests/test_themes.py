"""Themes from a stakeholder's own words (docs/domain.md, "Themes")."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from changeready.core.model import MITIGATION_STATUSES
from changeready.core.tests.builders import point, stakeholder
from changeready.core.themes import THEME_CODES, THEME_LEXICON, ThemeMatch, themes_of


def themes(text: str) -> dict[str, tuple[str, ...]]:
    return {t.code: t.matched for t in themes_of(stakeholder("s", resistance_triggers=text), ())}


def test_the_lexicon_keeps_the_public_codes_in_order():
    assert THEME_CODES == (
        "data_use",
        "job_security",
        "hardware",
        "staff_turnover",
        "out_of_hours",
        "workload",
        "alerts",
        "business_calendar",
        "reporting",
    )


@pytest.mark.parametrize(
    ("text", "code", "matched"),
    [
        ("They will be monitored", "data_use", ("monitored",)),
        ("constant MONITORING", "data_use", ("MONITORING",)),
        ("the data gets used against them", "data_use", ("used against",)),
        ("pick rates published", "data_use", ("pick rates",)),
        ("fear of layoffs", "job_security", ("layoffs",)),
        ("redundancies next year", "job_security", ("redundancies",)),
        ("old scanners", "hardware", ("scanners",)),
        ("Wi-Fi drops in aisle 9", "hardware", ("Wi-Fi",)),
        ("wi fi drops", "hardware", ("wi fi",)),
        ("many new starters", "staff_turnover", ("new starters",)),
        ("seasonal pickers", "staff_turnover", ("seasonal",)),
        ("night shifts", "out_of_hours", ("night", "shifts")),
        ("support 24/7", "out_of_hours", ("24/7",)),
        ("who is on-call", "out_of_hours", ("on-call",)),
        ("double entry again", "workload", ("double entry",)),
        ("duplicated records", "workload", ("duplicated",)),
        ("too many pop-ups", "alerts", ("pop-ups",)),
        ("during Month-End", "business_calendar", ("Month-End",)),
        ("month end", "business_calendar", ("month end",)),
        ("closing the books", "business_calendar", ("closing the books",)),
        ("Month-end close in 5 days", "business_calendar", ("Month-end close",)),
        ("during the financial close", "business_calendar", ("financial close",)),
        ("the period closes on day 5", "business_calendar", ("period closes",)),
        ("books close on the 3rd", "business_calendar", ("books close",)),
        ("nothing moves in close week", "business_calendar", ("close week",)),
        ("the external audit in March", "business_calendar", ("external audit",)),
        ("busy in audit season", "business_calendar", ("audit season",)),
        ("Close in 5 working days instead of 9", "business_calendar", ("Close in",)),
        ("One close calendar for all plants", "business_calendar", ("close calendar",)),
        ("nobody sleeps during the close", "business_calendar", ("the close",)),
        ("lose sight of the team", "reporting", ("lose sight",)),
        ("losing sight of orders", "reporting", ("losing sight",)),
        ("weekly reports", "reporting", ("reports",)),
    ],
)
def test_a_phrase_matches_its_inflections_case_insensitively(text, code, matched):
    assert themes(text)[code] == matched


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("we work closely with IT", "business_calendar"),  # "close" is not in "closely"
        ("move closer to the users", "business_calendar"),  # nor in "closer"
        ("a seasonal peak", "staff_turnover"),  # "seasonal" is its own phrase...
        ("seasonality of demand", "business_calendar"),  # ...but no stem of "season"
        ("it reportedly works", "reporting"),  # a derivation, not an inflection
        ("they will track orders", "data_use"),  # "track" alone is not about being tracked
        ("the job gets harder", "job_security"),  # "job" alone is not about job security
        ("nightly batch", "out_of_hours"),
        ("fewer miles per shift", "out_of_hours"),  # a shift as a unit of work
        ("what shift leads allocate", "out_of_hours"),
    ],
)
def test_a_phrase_never_matches_inside_another_word_or_sense(text, code):
    found = themes(text)
    assert (code in found) == (code == "staff_turnover"), found


@pytest.mark.parametrize(
    "text",
    [
        "the ward is closed at weekends",  # "closed" is not the accounting close
        "the ticket was closed",
        "the CQC action on drug charts closed",
        "audit findings on manual journals closed in the period",
        "the closed period of the old system",
        "we are close to go-live",
        "a close call last time",
        "closing the old system down",
        "they want closer involvement",
        "keep the audit trail",
        "every change goes to the audit log",
        "audited by IT",
    ],
)
def test_close_and_audit_alone_are_not_the_business_calendar(text):
    assert "business_calendar" not in themes(text)


def test_the_longest_phrase_of_a_theme_is_the_one_quoted():
    assert themes("Month-end close, then the quarter-end")["business_calendar"] == (
        "Month-end close",
        "quarter-end",
    )


def test_empty_words_have_no_themes():
    assert themes_of(stakeholder("s"), ()) == ()


def test_words_of_one_phrase_must_stand_together():
    assert "data_use" not in themes("pick. Rates")
    assert "workload" not in themes("double, entry")


def test_matches_come_deduplicated_as_first_written_and_in_lexicon_order():
    person = stakeholder(
        "s",
        success_definition="Month-end close in 5 days, no double entry.",
        resistance_triggers="Double Entry and being monitored; month end overtime.",
    )
    assert themes_of(person, ()) == (
        ThemeMatch("data_use", ("monitored",)),
        ThemeMatch("workload", ("double entry", "overtime")),
        ThemeMatch("business_calendar", ("Month-end close", "month end")),
    )


def test_success_definition_triggers_and_unsettled_points_are_read():
    person = stakeholder("s", success_definition="Fewer alerts.")
    points = [
        point("p1", "s", description="Scanners are slow", status="open"),
        point("p2", "s", description="Dashboards go away", status="resolved"),
        point("p3", "s", description="Layoffs", status="accepted"),
        point("p4", "other", description="Night shifts"),
    ]
    assert [t.code for t in themes_of(person, points)] == ["hardware", "workload", "alerts"]


@pytest.mark.parametrize("status", MITIGATION_STATUSES)
def test_only_resolved_or_accepted_points_stop_counting(status):
    found = themes_of(stakeholder("s"), [point("p", "s", description="monitored", status=status)])
    assert bool(found) == (status not in {"resolved", "accepted"})


def test_to_dict_is_the_api_shape():
    assert ThemeMatch("alerts", ("pop-ups",)).to_dict() == {
        "code": "alerts",
        "matched": ["pop-ups"],
    }


lexicon_phrases = st.sampled_from([(code, p) for code, phrases in THEME_LEXICON for p in phrases])
fillers = st.sampled_from(["", "We fear ", "x. ", "Honestly, "])


@settings(max_examples=200, deadline=None)
@given(lexicon_phrases, fillers, fillers, st.sampled_from([str.lower, str.upper, str.title]))
def test_every_lexicon_phrase_finds_its_theme_in_any_case(entry, before, after, case):
    code, phrase = entry
    found = themes(f"{before}{case(phrase)} {after}")
    assert code in found
    assert case(phrase) in found[code]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200), st.text(max_size=200))
def test_themes_are_ordered_known_and_quote_the_text(success, triggers):
    person = stakeholder("s", success_definition=success, resistance_triggers=triggers)
    found = themes_of(person, ())
    codes = [t.code for t in found]
    assert codes == sorted(codes, key=THEME_CODES.index)
    for theme in found:
        assert theme.matched
        assert len({m.casefold() for m in theme.matched}) == len(theme.matched)
        assert all(m in success or m in triggers for m in theme.matched)
