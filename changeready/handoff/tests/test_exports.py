"""Every export format opens in its reader and holds the engagement, its people and its plan."""

import csv
import io
import re

import pytest
from openpyxl import load_workbook

from changeready.core.findings import ADOPTION_BEHIND_RATIO, SEVERITY_ORDER
from changeready.engagements.models import Engagement
from changeready.handoff.exports import EXPORT_FORMATS, UnknownFormat, render_export
from changeready.handoff.playbook import build_playbook
from changeready.handoff.tests.example import AS_OF, load_example
from changeready.landscape.services import create_commitment, create_log_entry
from changeready.landscape.tests.factories import StakeholderFactory
from changeready.planning.tests.factories import PlanItemFactory
from changeready.portfolio.tests.builders import AS_OF as BUILDER_AS_OF
from changeready.portfolio.tests.builders import at_risk_engagement

STAKEHOLDER_NAMES = ("Pickers and packers", "Shift leads", "Marcus Webb", "Tom Avery")


def plan_titles(engagement):
    return list(engagement.plan_items.values_list("title", flat=True))


def test_the_example_has_a_plan_to_export(northwind):
    assert len(plan_titles(northwind)) > 20


def test_playbook_loads_in_a_fixed_number_of_queries(northwind, django_assert_num_queries):
    # As the views fetch it: with its workspace (and who accepted) already joined.
    northwind = Engagement.objects.select_related("workspace", "handoff_accepted_by").get(
        id=northwind.id
    )
    # stakeholders, resistance points, plan items, audiences, targets, KPIs,
    # KPI values, snapshots, shared log entries, commitments
    with django_assert_num_queries(10):
        small = build_playbook(northwind, as_of=AS_OF)
    for n in range(40):
        item = PlanItemFactory(engagement=northwind, week=n % 10)
        stakeholder = StakeholderFactory(engagement=northwind)
        item.audience.set([stakeholder])
        create_log_entry(stakeholder, date=AS_OF, summary=f"Call {n}", internal=False)
        create_commitment(stakeholder, text=f"Promise {n}", owner="Lena Kovacs")
    with django_assert_num_queries(10):
        large = build_playbook(northwind, as_of=AS_OF)
    assert len(large.plan_items) == len(small.plan_items) + 40
    assert (len(large.log), len(large.commitments)) == (40, 40)


def test_file_names_and_content_types(northwind):
    base = "northwind-logistics-warehouse-management-rollout-playbook"
    expected = {
        "md": (f"{base}.md", "text/markdown; charset=utf-8"),
        "csv": (f"{base}-plan.csv", "text/csv; charset=utf-8"),
        "xlsx": (
            f"{base}.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    }
    for fmt, (filename, content_type) in expected.items():
        export = render_export(northwind, fmt, as_of=AS_OF)
        assert (export.filename, export.content_type) == (filename, content_type)


def test_unknown_format_and_table_are_refused(northwind):
    with pytest.raises(UnknownFormat):
        render_export(northwind, "exe", as_of=AS_OF)
    with pytest.raises(UnknownFormat):
        render_export(northwind, "csv", as_of=AS_OF, table="secrets")
    assert "json" not in EXPORT_FORMATS  # the API owns the engagement file


def test_markdown_holds_names_and_plan(northwind):
    text = render_export(northwind, "md", as_of=AS_OF).content.decode()
    assert text.startswith("# Warehouse management rollout — activation playbook")
    assert "Northwind Logistics" in text
    for name in STAKEHOLDER_NAMES:
        assert name in text
    for title in plan_titles(northwind):
        assert title in text
    assert "### Week 0 · go-live week · from Mon 5 Apr 2027" in text


def test_markdown_escapes_pipes_in_table_cells(northwind):
    StakeholderFactory(engagement=northwind, name="Night | weekend shift")
    text = render_export(northwind, "md", as_of=AS_OF).content.decode()
    row = next(line for line in text.splitlines() if "Night" in line)
    assert "Night \\| weekend shift" in row
    assert len(re.findall(r"(?<!\\)\|", row)) == 9  # eight cells, no extra column


def test_markdown_leaves_out_stakeholder_emails(northwind):
    text = render_export(northwind, "md", as_of=AS_OF).content.decode()
    assert "m.webb@northwind.example" not in text


def read_csv(export):
    return list(csv.DictReader(io.StringIO(export.content.decode("utf-8-sig"))))


def test_csv_of_the_plan(northwind):
    rows = read_csv(render_export(northwind, "csv", as_of=AS_OF))
    assert [row["title"] for row in rows] == plan_titles(northwind)
    first = rows[0]
    assert first["week"] == "-11" and first["week_starts"] == "2027-01-18"


def test_csv_of_the_stakeholders(northwind):
    export = render_export(northwind, "csv", as_of=AS_OF, table="stakeholders")
    assert export.filename.endswith("-playbook-stakeholders.csv")
    rows = read_csv(export)
    assert [row["name"] for row in rows][:4] == [
        "Pickers and packers",
        "Shift leads",
        "Marcus Webb",
        "Lena Kovacs",
    ]
    assert "email" not in rows[0]
    by_name = {row["name"]: row for row in rows}
    # The people each row stands for, and what their own words are about.
    assert (by_name["Pickers and packers"]["people"], by_name["Tom Avery"]["people"]) == (
        "420",
        "0",
    )
    assert by_name["Pickers and packers"]["themes"].startswith(
        "data_use: pick rates, used against; hardware: Scanners"
    )


def test_the_cover_says_why_the_band_is_lower_than_the_score(workspace, northwind):
    # Ready on its score (92), but nobody asked who opposed the purchase: at risk.
    engagement = at_risk_engagement(workspace, "Bravo")
    cover = build_playbook(engagement, as_of=BUILDER_AS_OF).cover
    assert (cover.readiness_score, cover.readiness_band) == (92, "at_risk")
    assert cover.readiness_reason == "lowered by: Nobody asked who did not want this"
    text = render_export(engagement, "md", as_of=BUILDER_AS_OF).content.decode()
    assert "(At risk, lowered by: Nobody asked who did not want this)" in text
    # Northwind's 40 is not ready on its own: nothing to explain.
    assert "lowered by" not in render_export(northwind, "md", as_of=AS_OF).content.decode()


def test_xlsx_has_every_table_and_weeks_stay_numbers(northwind):
    content = render_export(northwind, "xlsx", as_of=AS_OF).content
    workbook = load_workbook(io.BytesIO(content))
    assert workbook.sheetnames == ["Plan", "Stakeholders", "KPIs", "Commitments", "Log"]
    plan = list(workbook["Plan"].iter_rows(values_only=True))
    assert plan[0][:3] == ("week", "week_starts", "title")
    assert [row[2] for row in plan[1:]] == plan_titles(northwind)
    weeks = [row[0] for row in plan[1:]]
    assert all(type(week) is int for week in weeks)
    assert min(weeks) == -11
    people = [row[0] for row in workbook["Stakeholders"].iter_rows(min_row=2, values_only=True)]
    for name in STAKEHOLDER_NAMES:
        assert name in people


def test_formulas_in_user_text_are_neutralised_in_csv_and_xlsx(workspace):
    engagement = load_example(workspace)
    StakeholderFactory(engagement=engagement, name='=HYPERLINK("http://evil")')
    PlanItemFactory(engagement=engagement, week=-2, title="@SUM(A1:A9)", owner="+44 20 7946")

    people = read_csv(render_export(engagement, "csv", as_of=AS_OF, table="stakeholders"))
    assert people[-1]["name"] == '\'=HYPERLINK("http://evil")'
    plan = read_csv(render_export(engagement, "csv", as_of=AS_OF))
    item = next(row for row in plan if "SUM" in row["title"])
    assert (item["title"], item["owner"], item["week"]) == ("'@SUM(A1:A9)", "'+44 20 7946", "-2")

    workbook = load_workbook(io.BytesIO(render_export(engagement, "xlsx", as_of=AS_OF).content))
    plan_rows = list(workbook["Plan"].iter_rows(min_row=2, values_only=True))
    row = next(r for r in plan_rows if "SUM" in r[2])
    assert (row[0], row[2]) == (-2, "@SUM(A1:A9)")
    names = [r[0] for r in workbook["Stakeholders"].iter_rows(min_row=2, values_only=True)]
    assert names[-1] == '=HYPERLINK("http://evil")'
    # Shown as typed, without a visible apostrophe, and never run.
    cell = workbook["Stakeholders"].cell(row=len(names) + 1, column=1)
    assert (cell.data_type, cell.quotePrefix) == ("s", True)
    assert not workbook["Stakeholders"].cell(row=2, column=1).quotePrefix


def test_the_adoption_table_flags_a_week_behind_by_the_cores_threshold(northwind):
    target = northwind.adoption_targets.order_by("week").first()
    target.target_pct = 50
    target.actual_pct = ADOPTION_BEHIND_RATIO * 50
    target.save()
    group = target.stakeholder.name

    def flagged() -> bool:
        table = build_playbook(northwind, as_of=AS_OF).adoption_table
        row = next(row for row in table if row["group"] == group)
        return next(cell for cell in row["cells"] if cell and cell[0] == 50)[2]

    assert not flagged()  # at the threshold is not behind
    target.actual_pct -= 0.5
    target.save()
    assert flagged()


def test_the_playbook_lists_findings_in_the_cores_severity_order(northwind):
    severities = [f.severity for f in build_playbook(northwind, as_of=AS_OF).findings]
    assert len(set(severities)) > 1
    assert severities == sorted(severities, key=SEVERITY_ORDER.index)


def test_kpis_appear_in_every_export_with_their_values(northwind):
    from changeready.usage.models import KpiValue
    from changeready.usage.tests.factories import KpiFactory

    kpi = KpiFactory(engagement=northwind, name="Pick accuracy", unit="%", baseline=97, target=99.5)
    KpiValue.objects.create(kpi=kpi, week=2, value=97.5)
    playbook = build_playbook(northwind, as_of=AS_OF)
    (row,) = playbook.kpis
    assert row.values == ((2, 97.5),) and row.latest == (2, 97.5)
    markdown = render_export(northwind, "md", as_of=AS_OF).content.decode()
    assert "## Outcome KPIs" in markdown and "| Pick accuracy |" in markdown
    assert "97.5 % (week 2)" in markdown
    workbook = load_workbook(io.BytesIO(render_export(northwind, "xlsx", as_of=AS_OF).content))
    kpis = list(workbook["KPIs"].iter_rows(values_only=True))
    assert kpis[1][0] == "Pick accuracy" and kpis[1][-2:] == (2, 97.5)
    from docx import Document

    document = Document(io.BytesIO(render_export(northwind, "docx", as_of=AS_OF).content))
    assert "Outcome KPIs" in [p.text for p in document.paragraphs]
    assert any(table.cell(1, 0).text == "Pick accuracy" for table in document.tables)


def test_markdown_escapes_html_links_and_formatting_in_user_text(northwind):
    hostile = "<img src=x onerror=alert(1)> [docs](javascript:alert(1)) **bold** `code`"
    StakeholderFactory(engagement=northwind, name="Night shift", success_definition=hostile)
    Engagement.objects.filter(pk=northwind.pk).update(
        customer="<script>alert(1)</script>", change_summary="# Not a heading\n- nor a list"
    )
    northwind.refresh_from_db()

    text = render_export(northwind, "md", as_of=AS_OF).content.decode()

    assert not re.search(r"(?<!\\)<(img|script)", text)
    assert not re.search(r"(?<!\\)\]\(javascript:", text)
    assert "\\<img src=x onerror=alert(1)\\> \\[docs\\](javascript:alert(1))" in text
    assert "\\*\\*bold\\*\\* \\`code\\`" in text
    assert "**Customer:** \\<script\\>alert(1)\\</script\\>  " in text
    assert "\\# Not a heading\n\\- nor a list" in text
