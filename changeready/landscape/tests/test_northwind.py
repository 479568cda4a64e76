"""The example engagement, mapped through the UI alone and by importing a CSV."""

import csv
import io
import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from changeready.core.model import ADKAR_ELEMENTS
from changeready.landscape.importing import COLUMNS

pytestmark = pytest.mark.django_db

EXAMPLE = (
    Path(__file__).resolve().parents[2] / "engagement_file" / "examples" / "northwind-wms.json"
)

EXPECTED_QUESTIONS = {
    "daily": ["Pickers and packers"],
    "manage": ["Shift leads", "Lena Kovacs", "Tom Avery"],
    "approved": ["Marcus Webb"],
    "opposed": ["Tom Avery"],
    "others": [],
}
EXPECTED_RESISTORS = ["Pickers and packers", "Shift leads", "Tom Avery"]


@pytest.fixture
def example():
    return json.loads(EXAMPLE.read_text())


def form_data(stakeholder: dict, group_ids: dict) -> dict:
    data = {
        "kind": stakeholder.get("kind", "group"),
        "name": stakeholder["name"],
        "title": stakeholder.get("title", ""),
        "email": stakeholder.get("email", ""),
        "role": stakeholder.get("role", "daily_user"),
        "group": group_ids.get(stakeholder.get("group"), ""),
        "headcount": stakeholder.get("headcount", ""),
        "influence": stakeholder.get("influence", 3),
        "interest": stakeholder.get("interest", 3),
        "impact": stakeholder.get("impact", 3),
        "engagement_level": stakeholder.get("engagement", "neutral"),
        "desired_engagement": stakeholder.get("desired_engagement", "supportive"),
        "involvement": stakeholder.get("involvement", []),
        "success_definition": stakeholder.get("success_definition", ""),
        "resistance_triggers": stakeholder.get("resistance_triggers", ""),
        "notes": "",
    }
    for flag in ("opposed_purchase", "job_gets_harder", "authority_decreases", "is_champion"):
        if stakeholder.get(flag):
            data[flag] = "on"
    for element, score in stakeholder.get("adkar", {}).items():
        data[f"adkar_{element}"] = f"{float(score)}"
    return data


def assert_mapped(client, engagement, *, without_plan):
    landscape = client.get(reverse("landscape", args=[engagement.id])).context["landscape"]
    assert {
        section.question.slug: [entry.stakeholder.name for entry in section.entries]
        for section in landscape.sections
    } == EXPECTED_QUESTIONS
    response = client.get(reverse("resistors", args=[engagement.id]))
    register = response.context["landscape"]
    assert [entry.stakeholder.name for entry in register.resistors] == EXPECTED_RESISTORS
    assert [e.stakeholder.name for e in register.resistors if e.without_plan] == without_plan
    tom = engagement.stakeholders.get(name="Tom Avery")
    assert tom.group.name == "Shift leads" and tom.opposed_purchase
    pickers = engagement.stakeholders.get(name="Pickers and packers")
    assert (pickers.headcount, pickers.adkar_knowledge, pickers.adkar_reinforcement) == (
        420,
        2,
        None,
    )


def test_the_example_can_be_mapped_through_the_forms(client_as, engagement, example):
    client = client_as("member")
    ids = {}
    for stakeholder in example["stakeholders"]:
        response = client.post(
            reverse("stakeholder_create", args=[engagement.id]), form_data(stakeholder, ids)
        )
        assert response.status_code == 302, response.context["form"].errors
        ids[stakeholder["key"]] = str(engagement.stakeholders.get(name=stakeholder["name"]).id)
    for point in example["resistance"]:
        mitigation = point.get("mitigation", {})
        data = {
            "stakeholder": ids[point["stakeholder"]],
            "source": point["source"],
            "severity": point["severity"],
            "description": point.get("description", ""),
            "strategy": mitigation.get("strategy", ""),
            "owner": mitigation.get("owner", ""),
            "due_week": mitigation.get("due_week", ""),
            "status": mitigation.get("status", "open"),
        }
        response = client.post(reverse("resistance_point_create", args=[engagement.id]), data)
        assert response.status_code == 302, response.context["form"].errors
    assert engagement.resistance_points.count() == 3
    # Tom's only point has no mitigation: he is the one resistor without a plan.
    assert_mapped(client, engagement, without_plan=["Tom Avery"])


def example_csv(example) -> bytes:
    columns = [column.name for column in COLUMNS]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns)
    writer.writeheader()
    for stakeholder in example["stakeholders"]:
        row = {}
        for name in columns:
            value = stakeholder.get(name)
            if name.startswith("adkar_"):
                value = stakeholder.get("adkar", {}).get(name.removeprefix("adkar_"))
            if isinstance(value, bool):
                value = "yes" if value else "no"
            elif isinstance(value, list):
                value = ";".join(value)
            row[name] = "" if value is None else value
        writer.writerow(row)
    assert all(f"adkar_{element}" in columns for element in ADKAR_ELEMENTS)
    return ("\ufeff" + buffer.getvalue()).encode()


def test_the_examples_stakeholders_import_from_csv(client_as, engagement, example):
    client = client_as("member")
    upload = SimpleUploadedFile("northwind.csv", example_csv(example), "text/csv")
    preview = client.post(reverse("landscape_import", args=[engagement.id]), {"file": upload})
    assert preview.context["problems"] == []
    assert len(preview.context["preview"]) == 5
    token = preview.context["confirm_form"].initial["token"]
    response = client.post(
        reverse("landscape_import_confirm", args=[engagement.id]), {"token": token}
    )
    assert response.status_code == 302
    # The import brings the stakeholders; the resistance points are entered in the register.
    tom = engagement.stakeholders.get(name="Tom Avery")
    client.post(
        reverse("resistance_point_create", args=[engagement.id]),
        {
            "stakeholder": str(tom.id),
            "source": "loss_of_authority",
            "severity": 5,
            "status": "open",
        },
    )
    # Without their mitigations yet, every resistor stands out.
    assert_mapped(client, engagement, without_plan=EXPECTED_RESISTORS)
