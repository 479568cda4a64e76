import copy
import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from changeready.engagement_file.exporting import export_engagement
from changeready.engagement_file.importing import (
    EngagementFileInvalid,
    format_path,
    import_engagement,
    parse,
)
from changeready.engagements.models import Engagement
from changeready.landscape.models import ResistancePoint, Stakeholder
from changeready.planning.models import AdoptionTarget, PlanItem

pytestmark = pytest.mark.django_db

HERE = Path(__file__).resolve().parent
SCHEMA = json.loads((HERE.parent / "engagement-v1.schema.json").read_text())
EXAMPLES = sorted((HERE.parent / "examples").glob("*.json"))
NORTHWIND = HERE.parent / "examples" / "northwind-wms.json"


def example(path=NORTHWIND) -> dict:
    return json.loads(path.read_text())


def strip_keys(document: dict) -> dict:
    """The document with its keys replaced by positions, so two exports compare by content."""
    doc = copy.deepcopy(document)
    stakeholder = {s["key"]: i for i, s in enumerate(doc["stakeholders"])}
    point = {r["key"]: i for i, r in enumerate(doc.get("resistance", []))}
    for s in doc["stakeholders"]:
        s.pop("key")
        if "group" in s:
            s["group"] = stakeholder[s["group"]]
    for r in doc.get("resistance", []):
        r.pop("key")
        r["stakeholder"] = stakeholder[r["stakeholder"]]
    plan = doc.get("plan", {})
    for item in plan.get("items", []):
        item["audience"] = [stakeholder[k] for k in item.get("audience", [])]
        if "resistance_point" in item:
            item["resistance_point"] = point[item["resistance_point"]]
    for target in plan.get("adoption_targets", []):
        target["stakeholder"] = stakeholder[target["stakeholder"]]
    return doc


def errors_of(workspace, document) -> list[dict]:
    with pytest.raises(EngagementFileInvalid) as raised:
        import_engagement(workspace, document)
    assert not Engagement.objects.exists(), "a failed import must write nothing"
    return raised.value.errors


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_every_example_imports_and_exports_valid_against_the_schema(workspace, path):
    engagement = import_engagement(workspace, example(path))
    document = example(path)
    assert engagement.name == document["engagement"]["name"]
    assert Stakeholder.objects.filter(engagement=engagement).count() == len(
        document["stakeholders"]
    )
    assert ResistancePoint.objects.filter(engagement=engagement).count() == len(
        document.get("resistance", [])
    )
    exported = export_engagement(engagement)
    Draft202012Validator(SCHEMA, format_checker=Draft202012Validator.FORMAT_CHECKER).validate(
        exported
    )


def test_import_maps_every_section(workspace):
    engagement = import_engagement(workspace, example(NORTHWIND))
    slotting = Stakeholder.objects.get(engagement=engagement, name="Tom Avery")
    assert slotting.group.name == "Shift leads"
    assert (slotting.engagement_level, slotting.authority_decreases) == ("resistant", True)
    pickers = Stakeholder.objects.get(engagement=engagement, name="Pickers and packers")
    assert (pickers.adkar_awareness, pickers.adkar_reinforcement, pickers.headcount) == (
        4,
        None,
        420,
    )
    r1 = ResistancePoint.objects.get(engagement=engagement, source="loss_of_authority", severity=4)
    assert (r1.strategy, r1.owner, r1.due_week, r1.status) == (
        "involve",
        "Priya Raman",
        -4,
        "planned",
    )
    assert engagement.delivery_lead_email == "priya.raman@vendor.example"


def test_the_plan_section_imports(workspace):
    path = next(p for p in EXAMPLES if "brigid" in p.name)
    engagement = import_engagement(workspace, example(path))
    item = PlanItem.objects.get(engagement=engagement, title__startswith="Order-set")
    assert item.resistance_point.severity == 5
    assert [s.name for s in item.audience.all()] == ["Consultants"]
    assert AdoptionTarget.objects.filter(engagement=engagement).count() == 7
    # Targets in a file are commitments: regeneration never changes them.
    assert set(
        AdoptionTarget.objects.filter(engagement=engagement).values_list("source", flat=True)
    ) == {"manual"}


def test_a_file_without_the_v2_fields_imports_as_voluntary_without_blackouts(workspace):
    engagement = import_engagement(workspace, example())
    assert (engagement.adoption_mode, engagement.blackout_periods) == ("voluntary", [])


def test_adoption_mode_blackouts_and_item_formats_round_trip(workspace):
    document = example()
    document["engagement"]["adoption_mode"] = "mandatory"
    document["engagement"]["blackout_periods"] = [
        {"start": "2026-12-21", "end": "2027-01-03", "label": "Holidays"}
    ]
    document["plan"] = {
        "first_week": -30,
        "items": [
            {
                "week": -3,
                "title": "Floor walk",
                "kind": "coaching",
                "owner_role": "champion",
                "workstream": "support",
                "format": "group_session",
            }
        ],
    }
    engagement = import_engagement(workspace, document)
    # The window is derived from the dates: a file's first_week is read by nobody.
    assert engagement.plan_first_week == -12
    exported = export_engagement(engagement)
    assert exported["engagement"]["adoption_mode"] == "mandatory"
    assert exported["engagement"]["blackout_periods"] == document["engagement"]["blackout_periods"]
    [item] = exported["plan"]["items"]
    assert (item["workstream"], item["format"]) == ("support", "group_session")
    assert (exported["plan"]["first_week"], exported["plan"]["last_week"]) == (-12, 43)


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_round_trip_export_import_export_is_equal_apart_from_keys(workspace, path):
    first = export_engagement(import_engagement(workspace, example(path)))
    first["engagement"]["name"] += " (copy)"
    second = export_engagement(import_engagement(workspace, first))
    assert strip_keys(second) == strip_keys(first)
    assert second == first  # keys are derived stably too


def test_export_leaves_out_absent_values(workspace):
    document = {
        "format": "changeready.engagement/v1",
        "engagement": {"name": "Bare", "customer": "C", "go_live_date": "2027-03-01"},
        "stakeholders": [{"key": "a", "kind": "group", "name": "A", "role": "daily_user"}],
    }
    exported = export_engagement(import_engagement(workspace, document))
    assert exported["engagement"] == {
        "name": "Bare",
        "customer": "C",
        "go_live_date": "2027-03-01",
        "phase": "discovery",
        "opposition_reviewed": False,
        "adoption_mode": "voluntary",
    }
    assert None not in exported["stakeholders"][0].values()
    assert "adkar" not in exported["stakeholders"][0]


# --- every error path ----------------------------------------------------------------


def test_schema_errors_are_all_reported_with_their_paths(workspace):
    document = example()
    document["stakeholders"][2]["influence"] = 9
    document["stakeholders"][0]["email"] = "not-an-email"
    document["engagement"]["go_live_date"] = "2027-02-30"
    del document["engagement"]["customer"]
    document["resistance"][1]["colour"] = "red"
    paths = [error["path"] for error in errors_of(workspace, document)]
    assert paths == [
        ["engagement", "customer"],
        ["engagement", "go_live_date"],
        ["resistance", 1, "colour"],
        ["stakeholders", 0, "email"],
        ["stakeholders", 2, "influence"],
    ]


@pytest.mark.parametrize(
    ("change", "path"),
    [
        (lambda d: d["stakeholders"][4].update(group="nobody"), ["stakeholders", 4, "group"]),
        (lambda d: d["stakeholders"][4].update(group="ops-director"), ["stakeholders", 4, "group"]),
        (lambda d: d["stakeholders"][0].update(group="shift-leads"), ["stakeholders", 0, "group"]),
        (
            lambda d: d["resistance"][0].update(stakeholder="ghost"),
            ["resistance", 0, "stakeholder"],
        ),
        (lambda d: d["stakeholders"][1].update(key="pickers"), ["stakeholders", 1, "key"]),
        (lambda d: d["resistance"][2].update(key="r1"), ["resistance", 2, "key"]),
        (
            lambda d: d["stakeholders"][1].update(name="PICKERS and packers"),
            ["stakeholders", 1, "name"],
        ),
        (
            lambda d: d.update(
                plan={
                    "items": [
                        {
                            "week": 1,
                            "title": "T",
                            "kind": "training",
                            "owner_role": "delivery",
                            "audience": ["pickers", "x"],
                        }
                    ]
                }
            ),
            ["plan", "items", 0, "audience", 1],
        ),
        (
            lambda d: d.update(
                plan={
                    "items": [
                        {
                            "week": 1,
                            "title": "T",
                            "kind": "training",
                            "owner_role": "delivery",
                            "resistance_point": "r9",
                        }
                    ]
                }
            ),
            ["plan", "items", 0, "resistance_point"],
        ),
        (
            lambda d: d.update(
                plan={"adoption_targets": [{"stakeholder": "nobody", "week": 1, "target_pct": 50}]}
            ),
            ["plan", "adoption_targets", 0, "stakeholder"],
        ),
        (
            lambda d: d.update(
                plan={
                    "adoption_targets": [
                        {"stakeholder": "pickers", "week": 1, "target_pct": 50},
                        {"stakeholder": "pickers", "week": 1, "target_pct": 60},
                    ]
                }
            ),
            ["plan", "adoption_targets", 1, "week"],
        ),
    ],
    ids=[
        "unknown group",
        "group is a person",
        "group in a group",
        "unknown stakeholder",
        "duplicate stakeholder key",
        "duplicate resistance key",
        "duplicate name",
        "unknown audience",
        "unknown resistance point",
        "unknown target stakeholder",
        "duplicate target week",
    ],
)
def test_reference_errors_have_paths_and_write_nothing(workspace, change, path):
    document = example()
    change(document)
    assert path in [error["path"] for error in errors_of(workspace, document)]


@pytest.mark.parametrize(
    ("change", "path"),
    [
        (
            lambda d: d["engagement"].update(kickoff_date="2028-01-01"),
            ["engagement", "kickoff_date"],
        ),
        (lambda d: d["stakeholders"][2].update(headcount=3), ["stakeholders", 2, "headcount"]),
        (
            lambda d: d["stakeholders"][0].update(is_champion=True),
            ["stakeholders", 0, "is_champion"],
        ),
        (lambda d: d["engagement"].update(arr=0.001), ["engagement", "arr"]),
        (
            lambda d: d["engagement"].update(
                blackout_periods=[{"start": "2027-02-01", "end": "2027-01-01"}]
            ),
            ["engagement", "blackout_periods"],
        ),
    ],
    ids=[
        "kickoff after go-live",
        "person headcount",
        "champion group",
        "arr decimals",
        "blackout backwards",
    ],
)
def test_model_validation_errors_have_file_paths(workspace, change, path):
    document = example()
    change(document)
    assert path in [error["path"] for error in errors_of(workspace, document)]


@pytest.mark.parametrize(
    "raw",
    [b"", b"{", b"\xff\xfe", b"[1, NaN]", b"[" * 100000 + b"]" * 100000, b'"just a string"'],
    ids=["empty", "truncated", "not utf-8", "NaN", "deeply nested", "not an object"],
)
def test_non_json_or_wrong_shape_is_refused(workspace, raw):
    with pytest.raises(EngagementFileInvalid) as raised:
        import_engagement(workspace, parse(raw))
    assert raised.value.errors
    assert raised.value.errors[0]["path"] == []


def test_format_path_reads_like_javascript():
    assert format_path(["stakeholders", 2, "influence"]) == "stakeholders[2].influence"
    assert format_path([]) == "(the whole file)"


def test_measured_adkar_means_are_rounded_half_up_in_the_file(workspace):
    engagement = import_engagement(workspace, example())
    Stakeholder.objects.filter(engagement=engagement, name="Shift leads").update(
        adkar_awareness=2.5, adkar_desire=3.4
    )
    exported = export_engagement(engagement)
    shift_leads = next(s for s in exported["stakeholders"] if s["name"] == "Shift leads")
    assert shift_leads["adkar"] == {"awareness": 3, "desire": 3}


def kpi_document() -> dict:
    document = example()
    group = next(s["key"] for s in document["stakeholders"] if s["kind"] == "group")
    document.setdefault("plan", {})["kpis"] = [
        {
            "name": "Pick accuracy",
            "stakeholder": group,
            "unit": "%",
            "baseline": 97,
            "target": 99.5,
            "due_week": 8,
            "values": [{"week": 1, "value": 97.4}, {"week": 2, "value": 97.9}],
        },
        {"name": "Close in days", "baseline": 10, "target": 5},
    ]
    document["plan"]["adoption_targets"] = [
        {"stakeholder": group, "week": 1, "target_pct": 40, "actual_pct": 30},
        {
            "stakeholder": group,
            "week": 2,
            "target_pct": 50,
            "actual_pct": 45,
            "actual_source": "measured",
        },
    ]
    return document


def test_kpis_and_where_actuals_came_from_round_trip(workspace):
    from changeready.usage.models import Kpi

    engagement = import_engagement(workspace, kpi_document())
    accuracy, close = Kpi.objects.filter(engagement=engagement).order_by("created_at")
    assert (accuracy.direction, close.direction) == ("increase", "decrease")
    assert list(accuracy.values.values_list("week", "value")) == [(1, 97.4), (2, 97.9)]
    typed, measured = AdoptionTarget.objects.filter(engagement=engagement).order_by("week")
    assert (typed.actual_source, measured.actual_source) == ("manual", "measured")
    assert measured.measured_pct == 45
    first = export_engagement(engagement)
    assert Draft202012Validator(SCHEMA).is_valid(first)
    assert [k["name"] for k in first["plan"]["kpis"]] == ["Pick accuracy", "Close in days"]
    assert first["plan"]["adoption_targets"][0]["actual_source"] == "manual"
    first["engagement"]["name"] += " (copy)"
    second = export_engagement(import_engagement(workspace, first))
    assert second["plan"]["kpis"] == first["plan"]["kpis"]


@pytest.mark.parametrize(
    ("change", "path"),
    [
        (lambda kpis: kpis[0].update(direction="decrease"), ["plan", "kpis", 0, "direction"]),
        (lambda kpis: kpis[0].update(stakeholder="nobody"), ["plan", "kpis", 0, "stakeholder"]),
        (
            lambda kpis: kpis[0]["values"].append({"week": 1, "value": 98}),
            ["plan", "kpis", 0, "values", 2, "week"],
        ),
    ],
)
def test_a_bad_kpi_is_reported_with_its_path_and_nothing_is_written(workspace, change, path):
    document = kpi_document()
    change(document["plan"]["kpis"])
    assert path in [error["path"] for error in errors_of(workspace, document)]


def test_adkar_date_and_source_travel_with_the_file(workspace):
    document = example()
    pickers = next(s for s in document["stakeholders"] if s["key"] == "pickers")
    pickers["adkar_assessed_on"] = "2027-02-15"
    pickers["adkar_source"] = "survey"
    leads = next(s for s in document["stakeholders"] if s["key"] == "shift-leads")
    leads["adkar_assessed_on"] = "2027-01-20"
    engagement = import_engagement(workspace, document)
    stored = {
        s.name: (s.adkar_source, s.adkar_assessed_on and s.adkar_assessed_on.isoformat())
        for s in Stakeholder.objects.filter(engagement=engagement)
    }
    assert stored["Pickers and packers"] == ("survey", "2027-02-15")
    assert stored["Shift leads"] == ("estimated", "2027-01-20")
    # A file written before these fields existed imports as undated estimates.
    assert stored["Marcus Webb"] == ("estimated", None)
    exported = {s["name"]: s for s in export_engagement(engagement)["stakeholders"]}
    pickers = exported["Pickers and packers"]
    assert (pickers["adkar_assessed_on"], pickers["adkar_source"]) == ("2027-02-15", "survey")
    # `estimated` is the default: left out, as in files written before.
    assert exported["Shift leads"]["adkar_assessed_on"] == "2027-01-20"
    assert "adkar_source" not in exported["Shift leads"]
    assert "adkar_assessed_on" not in exported["Marcus Webb"]


def test_an_unknown_adkar_source_is_refused_with_its_path(workspace):
    document = example()
    document["stakeholders"][0]["adkar_source"] = "gut feeling"
    assert [e["path"] for e in errors_of(workspace, document)] == [
        ["stakeholders", 0, "adkar_source"]
    ]
