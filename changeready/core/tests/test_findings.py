"""Every check of the domain reference's section 5: fires, does not fire, and
changes severity where the reference says it does.

Each case starts from `healthy()` (no findings) and breaks one thing; the
distance to go-live is given in days (negative: after go-live). The expected
value is the list of (severity, subject_ids) of that code's findings.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from changeready.core.findings import FINDING_CATALOGUE, FINDING_CODES, KILLER_GROUPS
from changeready.core.kpis import Kpi, KpiValue
from changeready.core.model import Adkar, AdoptionTarget, Stakeholder
from changeready.core.tests.builders import (
    adding,
    assessed,
    findings_of,
    healthy,
    item,
    point,
    stakeholder,
    with_engagement,
    with_item,
    with_point,
    with_stakeholder,
)

DOMAIN_CODES = (
    "landscape_missing_role",
    "opposition_not_mapped",
    "end_users_not_involved",
    "success_undefined",
    "resistance_unexplored",
    "no_sponsor",
    "no_resistors_identified",
    "resistor_without_plan",
    "high_risk_stakeholder",
    "adkar_barrier_late",
    "no_activation_plan",
    "plan_misses_stakeholder",
    "plan_misses_resistance",
    "plan_item_without_owner",
    "no_adoption_targets",
    "no_cs_owner",
    "champion_gap",
    "adkar_unverified",
    "adoption_behind_target",
    "handoff_not_accepted",
    "kpi_off_track",
    "assessment_stale",
)


def _kpi(week: int, value: float) -> Kpi:
    """Pick accuracy from 50 % to 100 % by week 5: the line is at 80 in week 3."""
    return Kpi("k1", "Pick accuracy", 100, baseline=50, due_week=5, values=(KpiValue(week, value),))


def unchanged(data):
    return data


# A stakeholder whose risk is high on its own: C = 0.6*0.75 + 0.4*1 = 0.85,
# L = 0.3*1 (resistant) + 0.15*1 (two signals) + 0.2*0.4 (ADKAR unknown)
#   + 0.1*1 (never involved) = 0.63, risk = round(100*0.63*0.85) = round(53.55) = 54.
HIGH_RISK = {
    "kind": "person",
    "role": "people_manager",
    "influence": 4,
    "impact": 5,
    "engagement": "resistant",
    "opposed_purchase": True,
    "authority_decreases": True,
}


def high_risk(id: str, **fields) -> Stakeholder:
    return stakeholder(id, **{**HIGH_RISK, **fields})


def targets(*weeks: tuple[int, float, float | None]):
    """The users' adoption targets, replacing the healthy one: (week, target, actual)."""
    return lambda data: replace(
        data,
        adoption_targets=tuple(AdoptionTarget("users", w, t, a) for w, t, a in weeks),
    )


def resisting_users(data):
    """The users not yet won over (neutral): their job getting harder makes them a resistor."""
    return with_stakeholder(data, "users", engagement="neutral")


def users_of_impact_4(data, **fields):
    """Users whose ADKAR must be verified close to go-live."""
    return with_stakeholder(data, "users", impact=4, **fields)


def assessed_days_ago(data, days: int):
    """A date `days` before the case's as_of (the healthy snapshot is dated as_of)."""
    return data.engagement.snapshot_dates[0] - timedelta(days=days)


# users, made medium risk: C = 0.6*0.75 + 0.4*0.75 = 0.75, L = 0.3*1 (resistant)
# + 0.25*0.5*0.7 (severity 3, planned) + 0.15*0.5 = 0.4625, risk = round(34.6875) = 35.
def medium_users(data):
    return with_stakeholder(data, "users", influence=4, impact=4, engagement="resistant")


CASES = [
    # landscape_missing_role
    ("landscape_missing_role", unchanged, 42, []),
    (
        "landscape_missing_role",
        lambda d: with_stakeholder(d, "users", role="downstream"),
        42,
        [("critical", ())],
    ),
    (
        "landscape_missing_role",
        lambda d: with_stakeholder(d, "buyer", role="executive_sponsor"),
        42,
        [("critical", ())],
    ),
    (
        "landscape_missing_role",
        lambda d: with_stakeholder(d, "lead", role="product_admin"),
        42,
        [],
    ),
    (
        "landscape_missing_role",
        lambda d: replace(d, stakeholders=(), resistance_points=()),
        42,
        [("critical", ())],
    ),
    # opposition_not_mapped
    ("opposition_not_mapped", unchanged, 42, []),
    (
        "opposition_not_mapped",
        lambda d: with_engagement(d, opposition_reviewed=False),
        42,
        [("warning", ())],
    ),
    (
        "opposition_not_mapped",
        lambda d: with_stakeholder(
            with_engagement(d, opposition_reviewed=False), "lead", opposed_purchase=True
        ),
        42,
        [],
    ),
    # end_users_not_involved
    ("end_users_not_involved", unchanged, 42, []),
    (
        "end_users_not_involved",
        lambda d: with_stakeholder(d, "users", involvement=frozenset()),
        42,
        [("critical", ("users",))],
    ),
    (
        "end_users_not_involved",
        lambda d: adding(d, stakeholder("clerks", kind="group", role="daily_user")),
        42,
        [],
    ),
    (
        "end_users_not_involved",
        lambda d: adding(
            with_stakeholder(d, "users", involvement=frozenset()),
            stakeholder("clerks", kind="group", role="daily_user"),
        ),
        42,
        [("critical", ("clerks", "users"))],
    ),
    # success_undefined: groups always, persons from influence 4
    ("success_undefined", unchanged, 42, []),
    (
        "success_undefined",
        lambda d: with_stakeholder(d, "users", success_definition=""),
        42,
        [("warning", ("users",))],
    ),
    (
        "success_undefined",
        lambda d: with_stakeholder(d, "users", success_definition="  \n"),
        42,
        [("warning", ("users",))],
    ),
    ("success_undefined", lambda d: with_stakeholder(d, "lead", influence=3), 42, []),
    (
        "success_undefined",
        lambda d: with_stakeholder(
            with_stakeholder(d, "lead", influence=4), "buyer", success_definition=""
        ),
        42,
        [("warning", ("buyer", "lead"))],
    ),
    # resistance_unexplored
    ("resistance_unexplored", unchanged, 42, []),
    (
        "resistance_unexplored",
        lambda d: with_stakeholder(d, "users", resistance_triggers=""),
        42,
        [("warning", ("users",))],
    ),
    (
        "resistance_unexplored",
        lambda d: with_stakeholder(d, "lead", influence=4),
        42,
        [("warning", ("lead",))],
    ),
    # no_sponsor
    ("no_sponsor", unchanged, 42, []),
    (
        "no_sponsor",
        lambda d: with_stakeholder(d, "buyer", engagement="neutral"),
        42,
        [("critical", ("buyer",))],
    ),
    (
        "no_sponsor",
        lambda d: with_stakeholder(d, "buyer", role="it_security"),
        42,
        [("critical", ())],
    ),
    (
        "no_sponsor",
        lambda d: adding(
            with_stakeholder(d, "buyer", engagement="resistant"),
            stakeholder("ceo", kind="person", role="executive_sponsor", engagement="leading"),
        ),
        42,
        [],
    ),
    # no_resistors_identified: the users are a resistor because their job gets harder
    ("no_resistors_identified", unchanged, 42, []),
    (
        "no_resistors_identified",
        lambda d: with_stakeholder(d, "users", job_gets_harder=False),
        42,
        [],  # still a resistor: an open point of severity 3
    ),
    *(
        (
            "no_resistors_identified",
            lambda d, changes=changes: with_point(
                with_stakeholder(d, "users", job_gets_harder=False), "p1", **changes
            ),
            42,
            expected,
        )
        for changes, expected in (
            ({"severity": 2}, [("warning", ())]),
            # A point of severity 3 or more counts in any status: it was identified.
            ({"status": "resolved"}, []),
            ({"status": "accepted"}, []),
            ({"status": "in_progress"}, []),
            ({"status": "resolved", "severity": 2}, [("warning", ())]),
        )
    ),
    (
        "no_resistors_identified",
        # The buyer opposed the purchase and was won over: found and converted counts.
        lambda d: with_stakeholder(
            with_point(with_stakeholder(d, "users", job_gets_harder=False), "p1", severity=2),
            "buyer",
            opposed_purchase=True,
        ),
        42,
        [],
    ),
    (
        "no_resistors_identified",
        lambda d: with_point(
            with_stakeholder(d, "users", job_gets_harder=False, engagement="resistant"),
            "p1",
            status="resolved",
        ),
        42,
        [],
    ),
    # resistor_without_plan: a resistor (not yet supportive) none of whose points has a
    # strategy, an owner and a status past open; critical from influence 4.
    ("resistor_without_plan", unchanged, 42, []),
    ("resistor_without_plan", resisting_users, 42, []),  # p1: support, Ana Lima, planned
    *(
        (
            "resistor_without_plan",
            lambda d, changes=changes: with_point(resisting_users(d), "p1", **changes),
            42,
            expected,
        )
        for changes, expected in (
            ({"owner": ""}, [("warning", ("users",))]),
            ({"owner": "  "}, [("warning", ("users",))]),
            ({"strategy": None}, [("warning", ("users",))]),
            ({"status": "open"}, [("warning", ("users",))]),  # an intention, not a plan
            ({"status": "in_progress"}, []),
            ({"status": "accepted"}, []),
        )
    ),
    (
        "resistor_without_plan",
        lambda d: with_point(
            resisting_users(with_stakeholder(d, "users", influence=4)), "p1", owner=""
        ),
        42,
        [("critical", ("users",))],
    ),
    (
        "resistor_without_plan",
        lambda d: with_point(with_stakeholder(d, "users", influence=3), "p1", owner=""),
        42,
        [],  # the users are supportive: a concern, not a resistor
    ),
    (
        "resistor_without_plan",
        lambda d: with_stakeholder(d, "buyer", opposed_purchase=True),
        42,
        [],  # opposed, but supportive now
    ),
    (
        "resistor_without_plan",
        lambda d: with_stakeholder(d, "buyer", opposed_purchase=True, engagement="neutral"),
        42,
        [("critical", ("buyer",))],
    ),
    (
        "resistor_without_plan",
        lambda d: with_stakeholder(
            with_stakeholder(d, "buyer", opposed_purchase=True, engagement="unaware"),
            "lead",
            authority_decreases=True,
            engagement="neutral",
        ),
        42,
        [("critical", ("buyer",)), ("warning", ("lead",))],
    ),
    # high_risk_stakeholder, one finding per stakeholder, by name
    ("high_risk_stakeholder", unchanged, 42, []),
    ("high_risk_stakeholder", medium_users, 42, []),
    (
        "high_risk_stakeholder",
        lambda d: adding(d, high_risk("zed"), high_risk("amy")),
        42,
        [("warning", ("amy",)), ("warning", ("zed",))],
    ),
    # adkar_barrier_late: impact >= 4, barrier awareness or desire, 14 days or less
    *(
        (
            "adkar_barrier_late",
            lambda d, impact=impact, adkar=adkar: with_stakeholder(
                d, "users", impact=impact, adkar=replace(d.stakeholders[0].adkar, **adkar)
            ),
            days,
            expected,
        )
        for impact, adkar, days, expected in (
            (4, {"desire": 3}, 15, []),
            (4, {"desire": 3}, 14, [("critical", ("users",))]),
            (4, {"desire": 3}, 0, [("critical", ("users",))]),
            (5, {"awareness": 2}, -10, [("critical", ("users",))]),
            (3, {"awareness": 2}, 14, []),
            (5, {"knowledge": 1}, 14, []),
            (5, {"desire": 3.5}, 14, []),
        )
    ),
    # no_activation_plan: critical from 28 days before go-live on
    ("no_activation_plan", unchanged, 42, []),
    *(
        ("no_activation_plan", lambda d: with_item(d, "i1", week=0), days, expected)
        for days, expected in (
            (29, [("warning", ())]),
            (28, [("critical", ())]),
            (-5, [("critical", ())]),
        )
    ),
    (
        "no_activation_plan",
        lambda d: with_item(d, "i1", status="skipped"),
        42,
        [("warning", ())],
    ),
    ("no_activation_plan", lambda d: with_item(d, "i1", status="done"), 42, []),
    # plan_misses_stakeholder: every group, and resistors of medium or high risk
    ("plan_misses_stakeholder", medium_users, 42, []),
    (
        "plan_misses_stakeholder",
        lambda d: with_item(medium_users(d), "i1", audience_ids=()),
        42,
        [("warning", ("users",))],
    ),
    (
        "plan_misses_stakeholder",
        lambda d: with_item(d, "i1", audience_ids=()),
        42,
        [("warning", ("users",))],  # a group, even at low risk
    ),
    (
        "plan_misses_stakeholder",
        # Reached only before go-live: the activation period misses them.
        lambda d: adding(
            with_item(medium_users(d), "i1", audience_ids=()),
            item("i2", 0, audience_ids=("users",)),
        ),
        42,
        [("warning", ("users",))],
    ),
    (
        "plan_misses_stakeholder",
        lambda d: with_item(medium_users(d), "i1", status="skipped"),
        42,
        [],  # no activation item at all: no_activation_plan's job
    ),
    (
        "plan_misses_stakeholder",
        lambda d: adding(d, high_risk("tom", group_id="users")),
        42,
        [],  # reached through his group
    ),
    (
        "plan_misses_stakeholder",
        lambda d: adding(d, high_risk("tom")),
        42,
        [("warning", ("tom",))],
    ),
    (
        "plan_misses_stakeholder",
        # A person who is no resistor need not be reached, even at high risk:
        # L = 0.3*0.6 (unaware) + 0.2*1 (awareness) + 0.1 = 0.48, risk = round(40.8) = 41.
        lambda d: adding(
            d,
            high_risk(
                "amy",
                engagement="unaware",
                opposed_purchase=False,
                authority_decreases=False,
                adkar=Adkar(awareness=1),
            ),
        ),
        42,
        [],
    ),
    # plan_misses_resistance: points neither resolved nor accepted need a linked item
    ("plan_misses_resistance", unchanged, 42, []),
    *(
        ("plan_misses_resistance", mutate, 42, expected)
        for mutate, expected in (
            (lambda d: with_item(d, "i1", resistance_point_id=None), [("warning", ("p1",))]),
            (lambda d: with_item(d, "i1", status="skipped"), [("warning", ("p1",))]),
            (
                lambda d: with_point(
                    with_item(d, "i1", resistance_point_id=None), "p1", status="resolved"
                ),
                [],
            ),
            (
                lambda d: with_point(
                    with_item(d, "i1", resistance_point_id=None), "p1", status="accepted"
                ),
                [],
            ),
            (
                lambda d: adding(d, point("p2", "lead", 2), point("p3", "buyer", 5)),
                [("warning", ("p3", "p2"))],  # by stakeholder name: Buyer, Lead
            ),
        )
    ),
    # plan_item_without_owner: planned items in the current week and the 4 after it.
    # 42 days before go-live is week -6, so weeks -6 to -2 are looked at.
    ("plan_item_without_owner", unchanged, 42, []),
    *(
        ("plan_item_without_owner", lambda d, fields=fields: adding(d, item("x", **fields)), 42, e)
        for fields, e in (
            ({"week": -6, "owner": ""}, [("warning", ("x",))]),
            ({"week": -2, "owner": " "}, [("warning", ("x",))]),
            ({"week": -1, "owner": ""}, []),
            ({"week": -7, "owner": ""}, []),
            ({"week": -6, "owner": "", "status": "done"}, []),
            ({"week": -6, "owner": "", "status": "skipped"}, []),
        )
    ),
    (
        "plan_item_without_owner",
        lambda d: adding(d, item("x", -3, owner=""), item("y", -5, owner="")),
        42,
        [("warning", ("y", "x"))],  # by week
    ),
    # no_adoption_targets: daily-user groups only
    ("no_adoption_targets", unchanged, 42, []),
    (
        "no_adoption_targets",
        lambda d: replace(d, adoption_targets=()),
        42,
        [("warning", ("users",))],
    ),
    (
        "no_adoption_targets",
        lambda d: adding(
            d,
            stakeholder("ana", kind="person", role="daily_user"),
            stakeholder("admins", kind="group", role="product_admin"),
        ),
        42,
        [],
    ),
    # no_cs_owner: critical from 14 days before go-live on
    ("no_cs_owner", unchanged, 14, []),
    *(
        ("no_cs_owner", lambda d: with_engagement(d, cs_owner_name=""), days, expected)
        for days, expected in (
            (15, [("warning", ())]),
            (14, [("critical", ())]),
            (-3, [("critical", ())]),
        )
    ),
    # adoption_behind_target, as of go-live + 28 days (week 4). Behind: actual < 0.8 x target.
    ("adoption_behind_target", targets((3, 50, 30), (4, 60, None)), -28, []),
    ("adoption_behind_target", targets((3, 50, 30), (4, 60, 40)), -28, [("critical", ("users",))]),
    ("adoption_behind_target", targets((3, 50, 30), (4, 60, 48)), -28, []),  # 48 = 80%
    ("adoption_behind_target", targets((3, 50, 40), (4, 60, 40)), -28, []),
    # A week with a target of 0 has nothing to be behind: weeks 3 and 5 count.
    (
        "adoption_behind_target",
        targets((3, 50, 30), (4, 0, 0), (5, 60, 40)),
        -42,
        [("critical", ("users",))],
    ),
    ("adoption_behind_target", targets((2, 40, 10), (3, 50, 45), (4, 60, 10)), -28, []),
    (
        "adoption_behind_target",
        targets((2, 40, 10), (3, 50, None), (4, 60, 10)),
        -28,
        [("critical", ("users",))],
    ),
    (
        "adoption_behind_target",
        targets((1, 20, 20), (3, 50, 30), (4, 60, 40), (5, 70, 70)),
        -28,
        [("critical", ("users",))],  # week 5 is in the future and ignored
    ),
    (
        "adoption_behind_target",
        targets((3, 50, 30), (4, 60, 40)),
        -21,
        [],  # as of week 3 only one measured week counts
    ),
    # champion_gap: a daily-user group of 50 people or more with no champion in it
    ("champion_gap", unchanged, 42, []),  # no headcount: 10 people
    *(
        ("champion_gap", mutate, 42, expected)
        for mutate, expected in (
            (lambda d: with_stakeholder(d, "users", headcount=49), []),
            (lambda d: with_stakeholder(d, "users", headcount=50), [("warning", ("users",))]),
            (
                lambda d: with_stakeholder(d, "users", headcount=50, role="product_admin"),
                [],
            ),
            (
                lambda d: adding(
                    with_stakeholder(d, "users", headcount=2000),
                    stakeholder("ana", kind="person", group_id="users", is_champion=True),
                ),
                [],
            ),
            (
                lambda d: adding(
                    with_stakeholder(d, "users", headcount=2000),
                    stakeholder("ana", kind="person", group_id="users"),
                    stakeholder("ben", kind="person", is_champion=True),
                ),
                [("warning", ("users",))],  # Ana is no champion, Ben is in no group
            ),
        )
    ),
    # adkar_unverified: from 28 days before go-live, impact 4 or more, scores missing or
    # estimated more than 30 days ago (or never dated); survey scores count as verified.
    ("adkar_unverified", unchanged, 14, []),  # nobody of impact 4 or more
    *(
        ("adkar_unverified", lambda d: users_of_impact_4(d), days, expected)
        for days, expected in (
            (29, []),
            (28, [("warning", ("users",))]),  # estimated, never dated
            (-10, [("warning", ("users",))]),
        )
    ),
    *(
        ("adkar_unverified", mutate, 28, expected)
        for mutate, expected in (
            (
                lambda d: users_of_impact_4(d, adkar_assessed_on=assessed_days_ago(d, 30)),
                [],
            ),
            (
                lambda d: users_of_impact_4(d, adkar_assessed_on=assessed_days_ago(d, 31)),
                [("warning", ("users",))],
            ),
            (lambda d: users_of_impact_4(d, adkar_source="survey"), []),
            (
                lambda d: users_of_impact_4(
                    d, adkar_source="survey", adkar_assessed_on=assessed_days_ago(d, 90)
                ),
                [],  # measured scores do not age
            ),
            (
                lambda d: users_of_impact_4(
                    d, adkar=Adkar(), adkar_assessed_on=assessed_days_ago(d, 0)
                ),
                [("warning", ("users",))],  # no scores at all
            ),
            (
                lambda d: adding(
                    users_of_impact_4(d),
                    stakeholder("zoe", kind="person", impact=5, adkar=Adkar(desire=4)),
                ),
                [("warning", ("users", "zoe"))],
            ),
        )
    ),
    # handoff_not_accepted: a warning from 7 days before go-live, critical from go-live day
    ("handoff_not_accepted", unchanged, -30, []),
    *(
        ("handoff_not_accepted", lambda d: with_engagement(d, handoff_accepted=False), days, e)
        for days, e in (
            (8, []),
            (7, [("warning", ())]),
            (1, [("warning", ())]),
            (0, [("critical", ())]),
            (-14, [("critical", ())]),
        )
    ),
    # kpi_off_track: the rule itself is tested in test_kpis; here only its wiring.
    ("kpi_off_track", unchanged, -30, []),
    ("kpi_off_track", lambda d: replace(d, kpis=(_kpi(3, 80),)), -30, []),
    ("kpi_off_track", lambda d: replace(d, kpis=(_kpi(3, 60),)), -30, [("warning", ("k1",))]),
    # assessment_stale: a snapshot from as_of - 30 days up to as_of keeps it fresh
    ("assessment_stale", unchanged, 42, []),
    *(
        (
            "assessment_stale",
            lambda d, offsets=offsets, phase=phase: with_engagement(
                d,
                phase=phase,
                snapshot_dates=tuple(
                    d.engagement.snapshot_dates[0] + timedelta(days=offset) for offset in offsets
                ),
            ),
            42,
            expected,
        )
        for offsets, phase, expected in (
            ((-30,), "build", []),
            ((-31,), "build", [("info", ())]),
            ((-31, 1), "build", [("info", ())]),  # a snapshot after as_of does not count
            ((), "activation", [("info", ())]),
            ((), "handed_off", []),
            ((), "closed", []),
        )
    ),
]


def _case_id(case) -> str:
    code, _, days, expected = case
    return f"{code}-{days}d-{'fires' if expected else 'quiet'}"


@pytest.mark.parametrize(("code", "mutate", "days", "expected"), CASES, ids=map(_case_id, CASES))
def test_finding(code, mutate, days, expected):
    found = findings_of(mutate(healthy(days)), days, code)
    assert [(f.severity, f.subject_ids) for f in found] == expected


@pytest.mark.parametrize("days", [60, 42, 28, 14, 0, -14, -30, -90])
def test_the_healthy_engagement_has_no_findings(days):
    assert assessed(healthy(days), days).findings == ()


def test_every_code_has_a_case_that_fires_and_one_that_does_not():
    fires = {code for code, _, _, expected in CASES if expected}
    quiet = {code for code, _, _, expected in CASES if not expected}
    assert fires == quiet == set(DOMAIN_CODES)


def test_catalogue_has_exactly_the_domain_codes_in_its_order():
    assert FINDING_CODES == DOMAIN_CODES


@pytest.mark.parametrize("code", DOMAIN_CODES)
def test_catalogue_entry_is_complete(code):
    info = FINDING_CATALOGUE[code]
    assert info.code == code
    assert info.group in dict(KILLER_GROUPS)
    assert info.title
    assert set(info.severities) <= {"critical", "warning", "info"}
    # "why it matters": two sentences.
    sentences = [s for s in info.why.split(". ") if s]
    assert len(sentences) == 2
    assert info.why.endswith(".")


def test_every_killer_group_has_codes():
    assert {info.group for info in FINDING_CATALOGUE.values()} == set(dict(KILLER_GROUPS))


def _all_findings_of_cases():
    for _, mutate, days, _ in CASES:
        data = mutate(healthy(days))
        yield data, assessed(data, days).findings


def test_findings_use_the_catalogue_severities_and_name_their_subjects():
    for data, findings in _all_findings_of_cases():
        names = {s.id: s.name for s in data.stakeholders}
        point_owner = {p.id: names[p.stakeholder_id] for p in data.resistance_points}
        titles = {i.id: i.title for i in data.plan_items}
        kpi_names = {k.id: k.name for k in data.kpis}
        for finding in findings:
            assert finding.severity in FINDING_CATALOGUE[finding.code].severities
            assert finding.message and finding.action
            for subject in finding.subject_ids:
                expected = {
                    "plan_misses_resistance": point_owner,
                    "plan_item_without_owner": titles,
                    "kpi_off_track": kpi_names,
                }.get(finding.code, names)[subject]
                assert expected in finding.message, (finding.code, finding.message)


def test_findings_are_ordered_by_severity_then_code_then_subject_name():
    # Zed (influence 4) and Amy (influence 3) are high-risk resistors without a
    # plan, reached by no plan item; Zed's influence also asks for his success
    # definition and resistance triggers. No CS owner 10 days before go-live.
    data = adding(
        with_engagement(healthy(10), cs_owner_name=""),
        high_risk("zed", name="Zed"),
        high_risk("amy", name="Amy", influence=3),
    )
    found = [(f.severity, f.code, f.subject_ids) for f in assessed(data, 10).findings]
    assert found == [
        ("critical", "resistor_without_plan", ("zed",)),
        ("critical", "no_cs_owner", ()),
        ("warning", "success_undefined", ("zed",)),
        ("warning", "resistance_unexplored", ("zed",)),
        ("warning", "resistor_without_plan", ("amy",)),
        ("warning", "high_risk_stakeholder", ("amy",)),
        ("warning", "high_risk_stakeholder", ("zed",)),
        ("warning", "plan_misses_stakeholder", ("amy", "zed")),
        # 10 days out, Amy and Zed (impact 5) have no ADKAR scores.
        ("warning", "adkar_unverified", ("amy", "zed")),
    ]


def test_a_closed_engagement_raises_no_findings():
    data = with_engagement(healthy(-60), phase="closed", cs_owner_name="", handoff_accepted=False)
    assert assessed(data, -60).findings == ()
    assert findings_of(with_engagement(data, phase="handed_off"), -60, "no_cs_owner")


def _lagging_users(**adkar_fields):
    data = targets((3, 50, 30), (4, 60, 40))(healthy(-28))
    return with_stakeholder(data, "users", **adkar_fields)


def test_adoption_behind_target_names_the_barrier_a_pulse_survey_measured():
    surveyed = _lagging_users(
        adkar=Adkar(awareness=4.5, desire=4, knowledge=2.5, ability=4, reinforcement=4),
        adkar_source="survey",
    )
    (finding,) = findings_of(surveyed, -28, "adoption_behind_target")
    assert "latest pulse survey puts the barrier at knowledge" in finding.message
    assert "lagging.knowledge" in finding.action


def test_adoption_behind_target_does_not_name_an_estimated_barrier():
    estimated = _lagging_users(adkar=Adkar(knowledge=2.5), adkar_source="estimated")
    (finding,) = findings_of(estimated, -28, "adoption_behind_target")
    assert "barrier" not in finding.message
    assert "Find out this week why" in finding.action
