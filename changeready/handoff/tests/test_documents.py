"""PDF, DOCX and ICS open in their readers and hold the engagement, its people and its plan."""

import io
import re
from datetime import date, timedelta

import pytest
from django.utils import timezone
from docx import Document
from icalendar import Calendar
from pypdf import PdfReader

from changeready.core.weeks import week_monday
from changeready.handoff.exports import UnknownFormat, render_export
from changeready.handoff.playbook import build_playbook
from changeready.handoff.renderers.ics import render_ics
from changeready.handoff.tests.example import AS_OF, load_example
from changeready.planning.tests.factories import PlanItemFactory

NAMES = ("Pickers and packers", "Shift leads", "Marcus Webb", "Lena Kovacs", "Tom Avery")


def words(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def plan_titles(engagement):
    return list(engagement.plan_items.values_list("title", flat=True))


@pytest.fixture
def pdf_text(northwind):
    export = render_export(northwind, "pdf", as_of=AS_OF)
    assert export.content.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(export.content))
    return reader, [words(page.extract_text()) for page in reader.pages]


def test_pdf_file_name_and_type(northwind):
    export = render_export(northwind, "pdf", as_of=AS_OF)
    assert export.filename == "northwind-logistics-warehouse-management-rollout-playbook.pdf"
    assert export.content_type == "application/pdf"


def test_pdf_holds_cover_people_and_plan(northwind, pdf_text):
    reader, pages = pdf_text
    cover, text = pages[0], " ".join(pages)
    assert "Warehouse management rollout" in cover
    assert "Northwind Logistics" in cover and "Priya Raman" in cover
    assert "Monday 5 April 2027" in cover
    for name in NAMES:
        assert name in text
    for title in plan_titles(northwind):
        assert words(title) in text
    assert "m.webb@northwind.example" not in text
    assert reader.metadata.title == "Warehouse management rollout — activation playbook"


def test_pdf_pages_carry_running_header_and_page_numbers(pdf_text):
    _, pages = pdf_text
    total = len(pages)
    assert total > 3
    for number, text in enumerate(pages[1:], start=2):
        assert f"Page {number} of {total}" in text
        assert "Northwind Logistics · Warehouse management rollout" in text
    assert "Page 1 of" not in pages[0]  # the cover has no running header or footer


def test_docx_holds_headings_tables_and_plan(northwind):
    export = render_export(northwind, "docx", as_of=AS_OF)
    assert export.filename.endswith("-playbook.docx")
    document = Document(io.BytesIO(export.content))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "Stakeholder map" in headings and "The plan, by phase" in headings
    assert {"Hypercare exit", "Path to the renewal", "Each owner's list"} <= set(headings)
    assert "Week 0 · go-live week · from Mon 5 Apr 2027" in headings
    assert document.paragraphs[1].text == "Warehouse management rollout"
    cells = " ".join(
        cell.text for table in document.tables for row in table.rows for cell in row.cells
    )
    for name in NAMES:
        assert name in cells
    for title in plan_titles(northwind):
        assert title in cells
    header = document.tables[0].rows[0]._tr
    assert header.xpath("./w:trPr/w:tblHeader")


def test_docx_describes_itself_as_this_playbook_made_now(northwind):
    started = timezone.now().replace(microsecond=0)
    export = render_export(northwind, "docx", as_of=AS_OF)
    properties = Document(io.BytesIO(export.content)).core_properties
    assert properties.title == "Warehouse management rollout — activation playbook"
    assert properties.subject == "Northwind Logistics · Warehouse management rollout"
    assert properties.author == properties.last_modified_by == "Acme Delivery"
    assert "python-docx" not in (properties.comments + properties.author + properties.keywords)
    assert started <= properties.created == properties.modified <= timezone.now()


def parse_ics(content: bytes) -> Calendar:
    return Calendar.from_ical(content)


def test_ics_has_one_all_day_week_event_per_item(northwind):
    export = render_export(northwind, "ics", as_of=AS_OF)
    assert export.content_type == "text/calendar; charset=utf-8"
    assert export.filename.endswith("-playbook.ics")
    calendar = parse_ics(export.content)
    assert str(calendar["X-WR-CALNAME"]) == "Northwind Logistics · Warehouse management rollout"
    events = calendar.walk("VEVENT")
    items = list(northwind.plan_items.all())
    assert len(events) == len(items)
    by_summary = {str(event["SUMMARY"]): event for event in events}
    for item in items:
        event = by_summary[f"Week {item.week}: {item.title}"]
        start, end = event.decoded("DTSTART"), event.decoded("DTEND")
        assert type(start) is date and type(end) is date  # DATE values: no time zone
        assert start == week_monday(northwind.go_live_date, item.week)
        assert end - start == timedelta(days=7)
        assert start.weekday() == 0
        assert event.decoded("SEQUENCE") == item.version
    raw = export.content.decode()
    assert "DTSTART;VALUE=DATE:20270405" in raw  # week 0: go-live is Monday 5 April 2027
    assert "TZID" not in raw


def test_ics_description_names_owner_and_audience(northwind):
    item = PlanItemFactory(engagement=northwind, week=2, title="Floor walk", owner="Lena Kovacs")
    item.audience.set(northwind.stakeholders.filter(name__in=["Shift leads", "Tom Avery"]))
    calendar = parse_ics(render_export(northwind, "ics", as_of=AS_OF).content)
    event = next(e for e in calendar.walk("VEVENT") if "Floor walk" in str(e["SUMMARY"]))
    description = str(event["DESCRIPTION"])
    assert "Owner: Lena Kovacs (Delivery)" in description
    assert "Audience: Shift leads, Tom Avery" in description


def test_ics_uids_are_stable_and_carry_no_record_id(northwind):
    first = parse_ics(render_export(northwind, "ics", as_of=AS_OF).content)
    item = northwind.plan_items.first()
    item.title = "Renamed"
    item.version += 1
    item.save()
    again = parse_ics(render_export(northwind, "ics", as_of=AS_OF + timedelta(days=3)).content)
    uids = [str(e["UID"]) for e in first.walk("VEVENT")]
    assert uids == [str(e["UID"]) for e in again.walk("VEVENT")]
    assert len(set(uids)) == len(uids)
    assert all(uid.endswith("@changeready") for uid in uids)
    ids = {str(i) for i in northwind.plan_items.values_list("id", flat=True)}
    assert not any(uid.split("@")[0] in ids for uid in uids)
    renamed = next(e for e in again.walk("VEVENT") if "Renamed" in str(e["SUMMARY"]))
    assert renamed.decoded("SEQUENCE") == item.version


@pytest.mark.parametrize(
    ("week", "monday"),
    [
        (0, date(2026, 12, 28)),  # go-live Thursday 31 Dec 2026 sits in the week of Mon 28 Dec
        (1, date(2027, 1, 4)),
        (-1, date(2026, 12, 21)),
        (-52, date(2025, 12, 29)),
        (52, date(2027, 12, 27)),
    ],
)
def test_ics_weeks_across_the_year_end(workspace, week, monday):
    engagement = load_example(workspace, name="Year-end rollout")
    engagement.go_live_date = date(2026, 12, 31)
    engagement.save()
    engagement.plan_items.all().delete()
    PlanItemFactory(engagement=engagement, week=week, title="Across the year")
    playbook = build_playbook(engagement, as_of=date(2026, 12, 1))
    event = parse_ics(render_ics(playbook)).walk("VEVENT")[0]
    assert event.decoded("DTSTART") == monday
    assert event.decoded("DTEND") == monday + timedelta(days=7)
    assert f"DTSTART;VALUE=DATE:{monday:%Y%m%d}" in render_ics(playbook).decode()


@pytest.mark.parametrize("fmt", ["md", "docx", "pdf"])
def test_the_customer_version_shows_resistance_by_theme_without_naming_who(northwind, fmt):
    internal = render_export(northwind, fmt, as_of=AS_OF)
    customer = render_export(northwind, fmt, as_of=AS_OF, version="customer")
    assert customer.filename.endswith(f"-playbook-customer.{fmt}")
    internal_text, customer_text = (_text_of(export, fmt) for export in (internal, customer))
    assert "Tom Avery" in internal_text
    assert "Tom Avery" not in customer_text
    assert "A people manager in Shift leads" in customer_text
    assert "Open findings" in internal_text and "Open findings" not in customer_text
    for heading in ("Hypercare exit", "Path to the renewal", "Each owner's list"):
        assert heading in customer_text


def _text_of(export, fmt) -> str:
    if fmt == "md":
        return export.content.decode()
    if fmt == "docx":
        document = Document(io.BytesIO(export.content))
        cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
        return "\n".join([p.text for p in document.paragraphs] + cells)
    reader = PdfReader(io.BytesIO(export.content))
    return words(" ".join(page.extract_text() for page in reader.pages))


def test_an_unknown_version_is_refused(northwind):
    with pytest.raises(UnknownFormat):
        render_export(northwind, "md", as_of=AS_OF, version="everyone")
