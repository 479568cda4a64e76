"""Control characters, NUL and lone surrogates: refused at every input with the
field's path, and taken out by every renderer (test_hostile_text in handoff)."""

import json
from pathlib import Path

import pytest
from django.urls import reverse

from changeready.common.text import printable, text_problem
from changeready.engagements.models import Engagement
from changeready.landscape.models import Stakeholder
from changeready.landscape.tests.test_access import STAKEHOLDER_FORM
from changeready.landscape.tests.test_import import problems, upload

EXAMPLE = (
    Path(__file__).resolve().parents[2] / "engagement_file" / "examples" / "northwind-wms.json"
)


@pytest.mark.parametrize(
    ("value", "multiline", "problem"),
    [
        ("Ops team", False, None),
        ("line one\r\nline two\tand a tab", True, None),
        ("two\nlines", False, "Must be on one line"),
        ("tab\there", False, "Must be on one line"),
        ("a\x00b", True, "NUL"),
        ("a\x0bb", True, "U+000B"),
        ("a\x7fb", True, "U+007F"),
        ("a\ud800b", True, "lone surrogate"),
        ("Zoë 👋 Clark", False, None),
    ],
)
def test_text_problem(value, multiline, problem):
    found = text_problem(value, multiline=multiline)
    assert (found is None) if problem is None else (problem in found)


def test_printable_keeps_line_breaks_only_where_text_allows_them():
    hostile = "Ops\x0bteam\x00\ud800\r\nnext\tline"
    assert printable(hostile) == "Opsteam\r\nnext\tline"
    assert printable(hostile, multiline=False) == "Opsteam next line"


# --- the API: 422 with the field's path, nothing written ---


def post(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "path", "message"),
    [
        ({"name": "Pick\x00ers"}, ["name"], "NUL"),
        ({"name": "Pickers", "notes": "x\x0by"}, ["notes"], "U+000B"),
        ({"name": "Pickers", "title": "\ud800"}, ["title"], "lone surrogate"),
        ({"name": "Two\nlines"}, ["name"], "one line"),
    ],
    ids=["nul", "control", "surrogate", "line-break-in-a-name"],
)
def test_the_api_refuses_bad_text_with_422_and_the_fields_path(
    api_client_as, engagement, body, path, message
):
    url = f"/api/v1/engagements/{engagement.id}/stakeholders"
    response = post(api_client_as("member"), url, body)

    assert response.status_code == 422
    (error,) = response.json()["errors"]
    assert error["path"] == path and message in error["message"]
    assert not Stakeholder.objects.exists()


@pytest.mark.django_db
def test_the_api_names_the_path_of_nested_text(api_client_as, engagement):
    body = {"name": "Go-live", "customer": "Acme", "go_live_date": "2027-03-01"}
    body["cs_owner"] = {"name": "Dana\x00"}

    response = post(api_client_as("member"), "/api/v1/engagements", body)

    assert response.status_code == 422
    assert response.json()["errors"][0]["path"] == ["cs_owner", "name"]


@pytest.mark.django_db
@pytest.mark.parametrize("bad", ["Pick\x00ers", "Pick\ud800ers", "Pick\x0bers"])
def test_the_engagement_file_import_refuses_bad_text_with_its_path(api_client_as, bad):
    document = json.loads(EXAMPLE.read_text())
    document["stakeholders"][1]["name"] = bad

    response = post(api_client_as("member"), "/api/v1/engagements/import", document)

    assert response.status_code == 422
    assert response.json()["errors"][0]["path"] == ["stakeholders", 1, "name"]
    assert not Engagement.objects.exists()


# --- the forms and the spreadsheet import ---


@pytest.mark.django_db
def test_a_form_refuses_a_control_character_and_keeps_what_was_typed(client_as, engagement):
    url = reverse("stakeholder_create", args=[engagement.id])
    response = client_as("member").post(url, {**STAKEHOLDER_FORM, "name": "Pack\x0bers"})

    assert response.status_code == 200
    assert "U+000B" in str(response.context["form"].errors["name"])
    assert response.context["form"]["success_definition"].value() == "Packing without paper."
    assert not Stakeholder.objects.exists()


@pytest.mark.django_db
def test_the_spreadsheet_import_reports_a_control_character_by_row_and_column(
    client_as, engagement
):
    response = upload(
        client_as("member"), engagement, b"name,title\nPickers,ok\nPackers,Le\x0bad\n"
    )

    assert problems(response) == [(3, "title")]
    assert not Stakeholder.objects.exists()
