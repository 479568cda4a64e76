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
# - resistor_without_plan: resistors are the pickers (job gets harder), the
#   shift leads (resistant, lose authority) and Tom Avery (resistant, opposed,
#   loses authority, open point r2 of severity 5). The pickers' r3 (support,
#   Lena Kovacs) and the shift leads' r1 (involve, Priya Raman) have a strategy
#   and an owner; Tom's r2 has no mitigation at all. Tom has influence 4:
#   critical for Tom Avery.
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
# After go-live:
# - adoption_behind_target, handoff_not_accepted: no, not live yet.
# - assessment_stale: phase build, no snapshot: info.
EXPECTED_FINDINGS = [
    ("resistor_without_plan", "critical", ("slotting-planner",)),
    ("resistance_unexplored", "warning", ("ops-director",)),
    ("high_risk_stakeholder", "warning", ("shift-leads",)),
    ("high_risk_stakeholder", "warning", ("slotting-planner",)),
    ("no_activation_plan", "warning", ()),
    ("plan_misses_resistance", "warning", ("r3", "r1", "r2")),
    ("no_adoption_targets", "warning", ("pickers",)),
    ("no_cs_owner", "warning", ()),
    ("assessment_stale", "info", ()),
]


def test_findings(assessment):
    found = [(f.code, f.severity, f.subject_ids) for f in assessment.findings]
    assert found == EXPECTED_FINDINGS


# Risks by hand. n(x) = (x - 1) / 4; C = 0.6 n(influence) + 0.4 n(impact);
# L = 0.30 E + 0.25 R + 0.15 S + 0.20 B + 0.10 I; none is floored (42 days out).
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
            round(s.terms.consequence, 3),
            round(s.terms.likelihood, 3),
        )
        for s in assessment.stakeholders
    }
    assert found == EXPECTED_RISKS
    assert not any(s.floored for s in assessment.stakeholders)


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


# Readiness: the consequence-weighted mean risk is
# (0.55*29 + 0.75*44 + 0.7*10 + 0.7*10 + 0.85*75) / (0.55 + 0.75 + 0.7 + 0.7 + 0.85)
# = (15.95 + 33 + 7 + 7 + 63.75) / 3.55 = 126.7 / 3.55 = 35.69, so 100 - 35.69 = 64.31 -> 64;
# the critical resistor_without_plan caps it at 49: not_ready.
def test_readiness(assessment):
    assert assessment.readiness.to_dict() == {
        "score": 49,
        "band": "not_ready",
        "uncapped_score": 64,
    }


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
        "floored",
        "terms",
    }
    first = body["findings"][0]
    assert set(first) == {"code", "severity", "message", "subject_ids", "action"}
    assert "Tom Avery" in first["message"]
    assert json.loads(json.dumps(body)) == body


def test_the_pickers_desire_gap_becomes_critical_two_weeks_out():
    # Same file, 2027-03-22: 14 days before go-live. The pickers (impact 5,
    # barrier desire) now get adkar_barrier_late, and the floor lifts their
    # risk from 29 to 40 (28 days or less), which makes them high risk too.
    data = engagement_data_from_file(json.loads(EXAMPLE.read_text()))
    later = assess(data, date(2027, 3, 22))
    codes = {(f.code, f.severity, f.subject_ids) for f in later.findings}
    assert ("adkar_barrier_late", "critical", ("pickers",)) in codes
    assert ("high_risk_stakeholder", "warning", ("pickers",)) in codes
    assert ("no_activation_plan", "critical", ()) in codes
    assert ("no_cs_owner", "critical", ()) in codes
    pickers = next(s for s in later.stakeholders if s.id == "pickers")
    assert (pickers.risk, pickers.band, pickers.floored) == (40, "high", True)
