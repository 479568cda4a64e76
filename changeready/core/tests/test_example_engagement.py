"""The shipped example engagement, assessed as of 2027-02-22, against what the
domain reference implies when worked out by hand."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from changeready.core.assessment import Assessment, assess
from changeready.core.model import (
    Adkar,
    AdoptionTarget,
    Engagement,
    EngagementData,
    PlanItem,
    ResistancePoint,
    Stakeholder,
)
from changeready.core.scoring import shown

EXAMPLE = Path(__file__).parents[2] / "engagement_file" / "examples" / "northwind-wms.json"
AS_OF = date(2027, 2, 22)


def engagement_data_from_file(document: dict) -> EngagementData:
    """The engagement file as core input, with the file's keys as ids (test use only)."""
    engagement = document["engagement"]
    plan = document.get("plan", {})
    return EngagementData(
        engagement=Engagement(
            id="example",
            name=engagement["name"],
            go_live_date=date.fromisoformat(engagement["go_live_date"]),
            phase=engagement.get("phase", "discovery"),
            opposition_reviewed=engagement.get("opposition_reviewed", False),
            cs_owner_name=engagement.get("cs_owner", {}).get("name", ""),
            handoff_accepted="handoff_accepted_at" in engagement,
        ),
        stakeholders=tuple(
            Stakeholder(
                id=s["key"],
                name=s["name"],
                kind=s["kind"],
                role=s["role"],
                group_id=s.get("group"),
                opposed_purchase=s.get("opposed_purchase", False),
                influence=s.get("influence", 3),
                interest=s.get("interest", 3),
                impact=s.get("impact", 3),
                engagement=s.get("engagement", "neutral"),
                desired_engagement=s.get("desired_engagement", "supportive"),
                involvement=frozenset(s.get("involvement", ())),
                success_definition=s.get("success_definition", ""),
                resistance_triggers=s.get("resistance_triggers", ""),
                job_gets_harder=s.get("job_gets_harder", False),
                authority_decreases=s.get("authority_decreases", False),
                adkar=Adkar(**s.get("adkar", {})),
                headcount=s.get("headcount"),
                is_champion=s.get("is_champion", False),
            )
            for s in document["stakeholders"]
        ),
        resistance_points=tuple(
            ResistancePoint(
                id=r["key"],
                stakeholder_id=r["stakeholder"],
                source=r["source"],
                severity=r["severity"],
                description=r.get("description", ""),
                strategy=r.get("mitigation", {}).get("strategy"),
                owner=r.get("mitigation", {}).get("owner", ""),
                due_week=r.get("mitigation", {}).get("due_week"),
                status=r.get("mitigation", {}).get("status", "open"),
            )
            for r in document.get("resistance", ())
        ),
        plan_items=tuple(
            PlanItem(
                id=f"item-{index}",
                week=i["week"],
                title=i["title"],
                kind=i["kind"],
                owner_role=i["owner_role"],
                owner=i.get("owner", ""),
                audience_ids=tuple(i.get("audience", ())),
                adkar_target=i.get("adkar_target"),
                resistance_point_id=i.get("resistance_point"),
                status=i.get("status", "planned"),
            )
            for index, i in enumerate(plan.get("items", ()))
        ),
        adoption_targets=tuple(
            AdoptionTarget(t["stakeholder"], t["week"], t["target_pct"], t.get("actual_pct"))
            for t in plan.get("adoption_targets", ())
        ),
    )


@pytest.fixture(scope="module")
def assessment() -> Assessment:
    return assess(engagement_data_from_file(json.loads(EXAMPLE.read_text())), AS_OF)


# Worked out from the domain reference before running the code.
#
# Go-live 2027-04-05 is 42 days after 2027-02-22 (6 days to the end of
# February, 31 in March, 5 in April); both are Mondays, so today is week -6.
# The file has no plan, no adoption targets, no CS owner and no snapshots.
#
# Killer 1, the wrong stakeholders:
# - landscape_missing_role: no. Daily use: Pickers and packers; manages it:
#   Shift leads, Tom Avery (people managers), Lena Kovacs (product admin);
#   approved it: Marcus Webb (economic buyer).
# - opposition_not_mapped: no. Tom Avery opposed the purchase (and
#   opposition_reviewed is true anyway).
# - end_users_not_involved: no. The pickers were in UAT.
# - success_undefined: no. Both groups and the persons of influence >= 4
#   (Marcus Webb 5, Tom Avery 4) have one.
# - resistance_unexplored: warning for Marcus Webb (influence 5, no triggers).
#   Lena Kovacs has influence 3, so her triggers would not be required anyway.
# - no_sponsor: no. Marcus Webb is an economic buyer and supportive.
# Killer 2, the resistors:
# - no_resistors_identified: no, there are three (below).
# - resistor_without_plan: resistors are the pickers (neutral, job gets
#   harder), the shift leads (resistant, lose authority) and Tom Avery
#   (resistant, opposed, loses authority, open point r2 of severity 5); none is
#   supportive yet. The shift leads' r1 (involve, Priya Raman, planned) is a
#   plan. The pickers' r3 has a strategy and an owner but is still "open": no
#   plan, warning (influence 2). Tom's r2 has no mitigation at all and Tom has
#   influence 4: critical.
# - high_risk_stakeholder: Shift leads (44) and Tom Avery (75), risks below.
# - adkar_barrier_late: no, go-live is 42 days away (> 14). The pickers lack
#   desire at impact 5 and would get it from 14 days before go-live on.
# Killer 3, the activation plan:
# - no_activation_plan: no item at all; 42 days > 28: warning.
# - plan_misses_stakeholder: no, it needs items in week 1 or later to exist.
# - plan_misses_resistance: r1 (planned), r2 and r3 (open) are neither resolved
#   nor accepted and have no linked item: warning for all three, ordered by
#   stakeholder name: Pickers and packers (r3), Shift leads (r1), Tom Avery (r2).
# - plan_item_without_owner: no items.
# - no_adoption_targets: Pickers and packers is a daily-user group without
#   targets: warning.
# - no_cs_owner: none named, 42 days > 14: warning.
# - champion_gap: Pickers and packers, a daily-user group of 420 people, has no
#   champion person in it (Lena Kovacs is a champion but belongs to no group):
#   warning.
# - adkar_unverified: no, 42 days > 28.
# After go-live:
# - adoption_behind_target: no, not live yet.
# - handoff_not_accepted: no, 42 days > 7.
# - assessment_stale: phase build, no snapshot: info.
EXPECTED_FINDINGS = [
    ("resistor_without_plan", "critical", ("slotting-planner",)),
    ("resistance_unexplored", "warning", ("ops-director",)),
    ("resistor_without_plan", "warning", ("pickers",)),
    ("high_risk_stakeholder", "warning", ("shift-leads",)),
    ("high_risk_stakeholder", "warning", ("slotting-planner",)),
    ("no_activation_plan", "warning", ()),
    ("plan_misses_resistance", "warning", ("r3", "r1", "r2")),
    ("no_adoption_targets", "warning", ("pickers",)),
    ("no_cs_owner", "warning", ()),
    ("champion_gap", "warning", ("pickers",)),
    ("assessment_stale", "info", ()),
]


def test_findings(assessment):
    found = [(f.code, f.severity, f.subject_ids) for f in assessment.findings]
    assert found == EXPECTED_FINDINGS


# Risks by hand. n(x) = (x - 1) / 4; C = 0.6 n(influence) + 0.4 n(impact);
# L = 0.30 E + 0.25 R + 0.15 S + 0.20 B + 0.10 I.
# The calendar ramp at 42 days: factor (56 - 42) / 42 = 1/3, least risk
# round(40/3) = 13; it applies to the pickers only (impact 5, barrier desire)
# and their weighted risk is above it, so nobody is ramped.
#
# Pickers and packers: influence 2, impact 5: C = 0.15 + 0.4 = 0.55.
#   Neutral towards supportive: E = 0.5. r3 severity 3 open: R = 0.5 * 1.0 = 0.5.
#   Job gets harder: S = 0.5. ADKAR awareness 4, desire 3: barrier desire, B = 0.9.
#   In UAT: I = 0. L = 0.15 + 0.125 + 0.075 + 0.18 = 0.53.
#   Risk = round(100 * 0.53 * 0.55) = round(29.15) = 29, medium. Interest 3: keep_informed.
# Shift leads: influence 4, impact 4: C = 0.45 + 0.3 = 0.75.
#   Resistant towards leading: E = 1. r1 severity 4 planned: R = 0.75 * 0.7 = 0.525.
#   Loses authority: S = 0.5. No ADKAR: B = 0.4. In design: I = 0.
#   L = 0.3 + 0.13125 + 0.075 + 0.08 = 0.58625.
#   Risk = round(100 * 0.58625 * 0.75) = round(43.97) = 44, high.
# Marcus Webb: influence 5, impact 2: C = 0.6 + 0.1 = 0.7. Supportive towards
#   leading: E = 0.2. R = S = I = 0, B = 0.4. L = 0.06 + 0.08 = 0.14.
#   Risk = round(9.8) = 10, low.
# Lena Kovacs: influence 3, impact 5: C = 0.3 + 0.4 = 0.7; E = 0.2, B = 0.4,
#   the rest 0: L = 0.14, risk 10, low.
# Tom Avery: influence 4, impact 5: C = 0.45 + 0.4 = 0.85. Resistant towards
#   neutral: E = 1. r2 severity 5 open: R = 1. Opposed and loses authority: S = 1.
#   No ADKAR: B = 0.4. People manager never involved: I = 1.
#   L = 0.3 + 0.25 + 0.15 + 0.08 + 0.1 = 0.88. Risk = round(74.8) = 75, high.
EXPECTED_RISKS = {
    "pickers": (29, "medium", "keep_informed", "desire", True, 0.55, 0.53),
    "shift-leads": (44, "high", "manage_closely", None, True, 0.75, 0.586),
    "ops-director": (10, "low", "manage_closely", None, False, 0.7, 0.14),
    "wms-admin": (10, "low", "manage_closely", None, False, 0.7, 0.14),
    "slotting-planner": (75, "high", "manage_closely", None, True, 0.85, 0.88),
}


def test_stakeholder_risks(assessment):
    found = {
        s.id: (
            s.risk,
            s.band,
            s.quadrant,
            s.barrier,
            s.resistor,
            shown(s.terms.consequence),
            shown(s.terms.likelihood),
        )
        for s in assessment.stakeholders
    }
    assert found == EXPECTED_RISKS
    assert not any(s.ramped for s in assessment.stakeholders)


# People: the groups' headcounts, 1 for a person on their own, 0 for Tom Avery,
# who is one of the shift leads' 36.
def test_people_and_themes(assessment):
    people = {s.id: s.people for s in assessment.stakeholders}
    assert people == {
        "pickers": 420,
        "shift-leads": 36,
        "ops-director": 1,
        "wms-admin": 1,
        "slotting-planner": 0,
    }
    themes = {s.id: [t.to_dict() for t in s.themes] for s in assessment.stakeholders}
    # "Fewer walking miles per shift ... Scanners that are slower than paper ...
    # fear that pick rates will be used against them." A shift as a unit of work
    # is not out-of-hours work.
    assert themes["pickers"] == [
        {"code": "data_use", "matched": ["pick rates", "used against"]},
        {"code": "hardware", "matched": ["Scanners"]},
        {"code": "workload", "matched": ["slower"]},
    ]
    # "peak season without temporary staff overtime"
    assert themes["ops-director"] == [
        {"code": "staff_turnover", "matched": ["temporary staff"]},
        {"code": "workload", "matched": ["overtime"]},
        {"code": "business_calendar", "matched": ["peak", "season"]},
    ]


def test_terms_of_the_slotting_planner(assessment):
    tom = next(s for s in assessment.stakeholders if s.id == "slotting-planner")
    assert tom.to_dict()["terms"] == {
        "consequence": 0.85,
        "engagement": 1.0,
        "resistance": 1.0,
        "signals": 1.0,
        "barrier": 0.4,
        "not_involved": 1,
        "likelihood": 0.88,
    }


# Readiness, the two questions.
# Will the people adopt it? The adopters (daily users, people managers, product
# admins) weighted by people x impact, nothing measured yet:
#   Pickers 420 x 5 = 2100 at likelihood 0.53 (the ramp's 0.6 x 1/3 = 0.2 is
#   below it); Shift leads 36 x 4 = 144 at 0.58625; Lena Kovacs 1 x 5 = 5 at
#   0.14; Tom Avery 0 x 5 = 0 (counted in the shift leads).
#   A = 100 x (1113 + 84.42 + 0.7) / 2249 = 100 x 1198.12 / 2249 = 53.273.
# Can anyone block it? Influence 4 or more: Shift leads 44, Marcus Webb 10,
#   Tom Avery 75: K = 0.8 x 75 = 60.
# Score = round(100 - max(53.273, 60)) = 40: not_ready on its own, so the
# critical resistor_without_plan lowers nothing and capped_by is empty.
def test_readiness(assessment):
    assert assessment.readiness.to_dict() == {
        "score": 40,
        "band": "not_ready",
        "capped_by": [],
        "adoption_risk": 53.273,
        "blocking_risk": 60.0,
    }


def test_adopters_carry_their_weight(assessment):
    adoption = {
        s.id: (s.adoption.weight, round(float(s.adoption.likelihood), 5))
        for s in assessment.stakeholders
        if s.adoption is not None
    }
    assert adoption == {
        "pickers": (2100, 0.53),
        "shift-leads": (144, 0.58625),
        "wms-admin": (5, 0.14),
        "slotting-planner": (0, 0.88),
    }
    assert [s.id for s in assessment.stakeholders if s.blocker] == [
        "shift-leads",
        "ops-director",
        "slotting-planner",
    ]


def test_the_api_shape(assessment):
    body = assessment.to_dict()
    assert set(body) == {"as_of", "readiness", "stakeholders", "findings"}
    assert body["as_of"] == "2027-02-22"
    assert [s["id"] for s in body["stakeholders"]] == [
        "pickers",
        "shift-leads",
        "ops-director",
        "wms-admin",
        "slotting-planner",
    ]
    assert set(body["stakeholders"][0]) == {
        "id",
        "name",
        "risk",
        "band",
        "quadrant",
        "barrier",
        "adkar_known",
        "resistor",
        "ramped",
        "people",
        "themes",
        "blocker",
        "adoption",
        "terms",
    }
    first = body["findings"][0]
    assert set(first) == {"code", "severity", "message", "subject_ids", "action"}
    assert "Tom Avery" in first["message"]
    assert json.loads(json.dumps(body)) == body


def test_the_pickers_desire_gap_becomes_critical_two_weeks_out():
    # Same file, 2027-03-22: 14 days before go-live. The pickers (impact 5,
    # barrier desire) now get adkar_barrier_late, and the ramp, at full height,
    # lifts their risk from 29 to 40, which makes them high risk too. Their
    # adoption likelihood becomes max(0.53, 0.6 x 1) = 0.6:
    # A = 100 x (1260 + 84.42 + 0.7) / 2249 = 59.81; K is still 60, so the
    # score stays 40. No ADKAR of anyone of impact 4 or more was measured or
    # dated: adkar_unverified names all four. The handoff is not due yet (14 > 7).
    data = engagement_data_from_file(json.loads(EXAMPLE.read_text()))
    later = assess(data, date(2027, 3, 22))
    codes = {(f.code, f.severity, f.subject_ids) for f in later.findings}
    assert ("adkar_barrier_late", "critical", ("pickers",)) in codes
    assert ("high_risk_stakeholder", "warning", ("pickers",)) in codes
    assert ("no_activation_plan", "critical", ()) in codes
    assert ("no_cs_owner", "critical", ()) in codes
    assert (
        "adkar_unverified",
        "warning",
        ("wms-admin", "pickers", "shift-leads", "slotting-planner"),
    ) in codes
    assert "handoff_not_accepted" not in {code for code, _, _ in codes}
    pickers = next(s for s in later.stakeholders if s.id == "pickers")
    assert (pickers.risk, pickers.band, pickers.ramped) == (40, "high", True)
    assert later.readiness.to_dict() == {
        "score": 40,
        "band": "not_ready",
        "capped_by": [],
        "adoption_risk": 59.810,
        "blocking_risk": 60.0,
    }
