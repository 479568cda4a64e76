"""Adoption targets and actuals: hand edits, the CSV import (all or nothing), the chart."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from changeready.assessment.services import assess_engagement
from changeready.conftest import PEOPLE, WRITERS
from changeready.landscape.tests.factories import StakeholderFactory
from changeready.planning import adoption, regeneration
from changeready.planning.charts import adoption_chart

pytestmark = pytest.mark.django_db


@pytest.fixture
def planned(engagement):
    StakeholderFactory(engagement=engagement, name="Pickers", role="daily_user")
    StakeholderFactory(engagement=engagement, name="Packers", role="daily_user")
    regeneration.regenerate_plan(engagement)
    return engagement


def actuals(engagement):
    return sorted(
        (name, week, pct)
        for name, week, pct in engagement.adoption_targets.values_list(
            "stakeholder__name", "week", "actual_pct"
        )
        if pct is not None
    )


def upload(text, *, encoding="utf-8", name="actuals.csv"):
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


def test_import_actuals_records_each_row(planned):
    count = adoption.import_actuals(
        planned, upload("week,stakeholder,percent\n1,Pickers,38\n2,pickers,41.5\n1,Packers,50%\n")
    )
    assert count == 3
    assert actuals(planned) == [("Packers", 1, 50.0), ("Pickers", 1, 38.0), ("Pickers", 2, 41.5)]


@pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="PostgreSQL's lower() folds Ä, so its uniqueness rule keeps the two names apart",
)
def test_csv_names_are_matched_as_the_uniqueness_rule_compares_them(engagement):
    # SQLite's lower() folds only ASCII: "ÄRZTE" and "ärzte" are two stakeholders.
    StakeholderFactory(engagement=engagement, name="ÄRZTE", role="daily_user")
    StakeholderFactory(engagement=engagement, name="ärzte", role="daily_user")
    regeneration.regenerate_plan(engagement)
    text = "week,stakeholder,percent\n1,ärzte,40\n1,ÄRZTE,30\n"
    assert adoption.import_actuals(engagement, upload(text)) == 2
    assert actuals(engagement) == [("ÄRZTE", 1, 30.0), ("ärzte", 1, 40.0)]
    # "Ärzte" could not be added beside "ÄRZTE": it names that one.
    adoption.import_actuals(engagement, upload("week,stakeholder,percent\n2,Ärzte,50\n"))
    assert ("ÄRZTE", 2, 50.0) in actuals(engagement)


@pytest.mark.parametrize(
    "text",
    [
        "\ufeffWeek,Stakeholder,Percent\r\n1,Pickers,38\r\n",  # Excel's BOM and CRLF
        "Plan week;Group;Actual %\n1;Pickers;38,0\n",  # semicolons and a decimal comma
        "percent,week,stakeholder name\n38,1,Pickers\n\n",  # other order, blank line
        "Week , Stakeholder , Percent ,notes\n1, Pickers ,38,ok\n",  # spaces, extra column
    ],
)
def test_import_is_forgiving_about_the_header_and_format(planned, text):
    assert adoption.import_actuals(planned, upload(text)) == 1
    assert actuals(planned) == [("Pickers", 1, 38.0)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("week,stakeholder,percent\n1,Pickers,38\n1,Nobody,20\n", "Line 3: no stakeholder"),
        ("week,stakeholder,percent\n1,Pickers,38\nx,Pickers,20\n", "Line 3: week 'x'"),
        ("week,stakeholder,percent\n1,Pickers,138\n", "not between 0 and 100"),
        ("week,stakeholder,percent\n1,Pickers,lots\n", "is not a number"),
        ("week,stakeholder,percent\n1,Pickers,38\n1,PICKERS,39\n", "already on line 2"),
        ("week,stakeholder,percent\n40,Pickers,38\n", "no adoption target in week 40"),
        ("week,group\n1,Pickers\n", "missing: percent"),
        ("", "empty"),
        ("week,stakeholder,percent\n", "no rows"),
    ],
)
def test_a_bad_file_is_refused_whole_with_row_errors(planned, text, expected):
    with pytest.raises(adoption.ActualsImportError) as error:
        adoption.import_actuals(planned, upload(text))
    assert expected in str(error.value)
    assert actuals(planned) == []


def test_every_bad_row_is_reported_at_once(planned):
    text = "week,stakeholder,percent\nx,Pickers,1\n1,Pickers,500\n2,Ghost,3\n"
    with pytest.raises(adoption.ActualsImportError) as error:
        adoption.import_actuals(planned, upload(text))
    assert [e.line for e in error.value.errors] == [2, 3]  # parse errors first, then names


def test_non_utf8_and_oversized_files_are_refused(planned):
    with pytest.raises(adoption.ActualsImportError, match="not UTF-8"):
        adoption.import_actuals(
            planned, upload("week,stakeholder,percent\n1,Pickérs,3\n", encoding="latin-1")
        )
    big = "week,stakeholder,percent\n" + "1,Pickers,3\n" * 100_000
    with pytest.raises(adoption.ActualsImportError, match="the limit is 1 MB"):
        adoption.import_actuals(planned, upload(big))
    rows = "week,stakeholder,percent\n" + "".join(f"1,P{i},3\n" for i in range(5001))
    with pytest.raises(adoption.ActualsImportError, match="more than 5,000 rows"):
        adoption.import_actuals(planned, upload(rows))
    assert actuals(planned) == []


@pytest.mark.parametrize("person", PEOPLE)
def test_import_view_access(client_as, planned, person):
    response = client_as(person).post(
        reverse("actuals_import", args=[planned.id]),
        {"file": upload("week,stakeholder,percent\n1,Pickers,38\n")},
    )
    assert response.status_code == {"anonymous": 302, "outsider": 404, "viewer": 403}.get(
        person, 302
    )
    assert (actuals(planned) != []) == (person in WRITERS)


def test_import_view_lists_the_row_errors(client_as, planned):
    response = client_as("member").post(
        reverse("actuals_import", args=[planned.id]),
        {"file": upload("week,stakeholder,percent\n1,Pickers,38\n1,Nobody,20\n")},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Nothing was imported" in body
    assert "Line 3: no stakeholder named “Nobody”" in body
    assert actuals(planned) == []


def test_editing_a_target_marks_it_hand_set_and_stale_edits_are_refused(client_as, planned):
    target = planned.adoption_targets.get(stakeholder__name="Pickers", week=3)
    client = client_as("member")
    url = reverse("adoption_target", args=[planned.id, target.id])
    client.post(url, {"target_pct": 66, "actual_pct": "", "version": target.version})
    target.refresh_from_db()
    assert (target.target_pct, target.source, target.actual_pct) == (66, "manual", None)

    stale = target.version - 1
    response = client.post(url, {"target_pct": 10, "actual_pct": 5, "version": stale}, follow=True)
    assert "changed by someone else" in response.content.decode()
    assert "You entered target 10%, actual 5%" in response.content.decode()
    target.refresh_from_db()
    assert (target.target_pct, target.actual_pct) == (66, None)


def test_actuals_feed_adoption_behind_target(planned):
    planned.go_live_date = datetime.date(2027, 4, 5)
    planned.save()
    for week in (2, 3):
        target = planned.adoption_targets.get(stakeholder__name="Pickers", week=week)
        adoption.set_actual(target, 10.0, expected_version=target.version)
    findings = assess_engagement(planned, datetime.date(2027, 4, 26)).findings
    behind = [f for f in findings if f.code == "adoption_behind_target"]
    assert behind and "Pickers" in behind[0].message


def test_adoption_page_shows_a_chart_and_table_per_group(client_as, planned):
    target = planned.adoption_targets.get(stakeholder__name="Pickers", week=2)
    adoption.set_actual(target, 30.0, expected_version=target.version)
    response = client_as("viewer").get(reverse("adoption", args=[planned.id]))
    body = response.content.decode()
    assert [g.stakeholder.name for g in response.context["groups"]] == ["Packers", "Pickers"]
    assert body.count("<svg") == 2
    assert "Adoption of Pickers: target, measured and typed" in body
    assert "<table" in body
    assert 'name="target_pct"' not in body  # viewers read


def test_chart_draws_target_and_measured_lines_and_typed_dots_with_a_description():
    class Row:
        def __init__(self, week, target, measured=None, typed=None):
            self.week, self.target_pct = week, target
            self.measured_pct, self.typed_pct = measured, typed

    svg = adoption_chart(
        "Pickers <&>", [Row(1, 40, 35), Row(2, 50, None, 45), Row(3, 60, 20, None)]
    )
    assert svg.count("<polyline") == 2
    assert svg.count("<circle") == 3
    assert "Pickers &lt;&amp;&gt;" in svg
    assert "target: week 1 40%, week 2 50%, week 3 60%" in svg
    assert "measured: week 1 35%, week 3 20%; typed: week 2 45%" in svg
    assert 'role="img"' in svg
    assert "style=" not in svg


def test_lines_that_are_not_utf8_are_refused_by_line(planned):
    content = b"week,stakeholder,percent\n1,Pickers,3\n" + "2,Pickérs,4\n".encode("cp1252")
    with pytest.raises(adoption.ActualsImportError) as error:
        adoption.import_actuals(planned, SimpleUploadedFile("a.csv", content))
    assert [e.line for e in error.value.errors] == [3]
    assert "not UTF-8" in str(error.value)
    assert actuals(planned) == []
