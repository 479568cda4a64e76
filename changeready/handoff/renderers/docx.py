"""The playbook as a Word document, for teams that edit the handoff in Word."""

from __future__ import annotations

import io

from django.utils import timezone
from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

from changeready.handoff.playbook import (
    COMMITMENT_TABLE_HEADERS,
    KPI_TABLE_HEADERS,
    LOG_NOTE,
    Playbook,
    label,
)

MUTED = RGBColor(0x5F, 0x6B, 0x7A)


def _repeat_header(row) -> None:
    """Word repeats a row marked as header at the top of every page the table spans."""
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _keep_row_together(row) -> None:
    properties = row._tr.get_or_add_trPr()
    cant_split = OxmlElement("w:cantSplit")
    cant_split.set(qn("w:val"), "true")
    properties.append(cant_split)


def _table(document, headers: list[str], rows: list[list[str]]):
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Light Grid Accent 1"
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    _repeat_header(table.rows[0])
    for values in rows:
        row = table.add_row()
        _keep_row_together(row)
        for cell, text in zip(row.cells, values, strict=True):
            cell.text = str(text)
    document.add_paragraph()
    return table


def _muted(paragraph, text: str) -> None:
    run = paragraph.add_run(text)
    run.font.color.rgb = MUTED


def _describe(document, cover) -> None:
    """The file's own properties: python-docx's template otherwise says it was
    created in 2013 by python-docx."""
    properties = document.core_properties
    generated = timezone.now()
    properties.title = f"{cover.engagement_name} — activation playbook"
    properties.subject = f"{cover.customer} · {cover.engagement_name}"
    properties.author = properties.last_modified_by = cover.prepared_by
    properties.comments = properties.keywords = properties.category = ""
    properties.created = properties.modified = generated
    properties.revision = 1


def render_docx(playbook: Playbook) -> bytes:
    cover = playbook.cover
    document = Document()
    _describe(document, cover)
    document.styles["Normal"].font.name = "Calibri"
    document.styles["Normal"].font.size = Pt(10)

    document.add_paragraph("Activation playbook").style = "Subtitle"
    document.add_heading(cover.engagement_name, level=0)
    facts = [
        ("Customer", cover.customer),
        ("Product", cover.product or "—"),
        ("Go-live", f"{cover.go_live_date:%A %-d %B %Y}"),
        ("Delivery lead", cover.delivery_lead or "Not named"),
        (
            "Customer Success owner",
            (cover.cs_owner_name or "Not named yet")
            + (f" ({cover.cs_owner_email})" if cover.cs_owner_email else ""),
        ),
        (
            "Readiness",
            f"{cover.readiness_score} / 100, {label(cover.readiness_band).lower()}"
            + (f", {cover.readiness_reason}" if cover.readiness_reason else "")
            + f" (as of {cover.as_of:%-d %B %Y})",
        ),
        (
            "Handoff",
            f"accepted by {cover.accepted_by or 'a former member'} on {cover.accepted_at:%-d %B %Y}"
            if cover.accepted_at
            else "not yet accepted",
        ),
    ]
    for name, value in facts:
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{name}: ").bold = True
        paragraph.add_run(value)
    paragraph = document.add_paragraph()
    _muted(paragraph, f"Prepared by {cover.prepared_by} on {cover.as_of:%-d %B %Y}.")

    if playbook.for_customer:
        _muted(
            document.add_paragraph(),
            "Customer version: the resistor register shows what people resist and what is "
            "done about it, without naming the individuals.",
        )
    document.add_heading("What changes, for whom", level=1)
    document.add_paragraph(playbook.change_summary or "Not described yet.")

    document.add_heading("Stakeholder map", level=1)
    if playbook.stakeholders:
        _table(
            document,
            ["Stakeholder", "Position", "Success looks like", "Would resist if"],
            [
                [
                    f"{s.name}\n{s.described_as}" + (f" in {s.group}" if s.group else ""),
                    f"{label(s.role)}\n{label(s.quadrant)}\nrisk {s.risk} ({s.band})"
                    + ("\nresistor" if s.resistor else ""),
                    s.success_definition or "not defined yet",
                    s.resistance_triggers or "not explored yet",
                ]
                for s in playbook.stakeholders
            ],
        )
    else:
        document.add_paragraph("No stakeholders mapped yet.")

    document.add_heading("Resistor register", level=1)
    if playbook.resistance:
        _table(
            document,
            [
                "Stakeholder",
                "Why they may resist",
                "Themes",
                "Mitigation",
                "Owner",
                "Due",
                "Status",
            ],
            [
                [
                    f"{r.stakeholder}\nseverity {r.severity}/5",
                    label(r.source) + (f"\n{r.description}" if r.description else ""),
                    r.themes_label,
                    label(r.strategy) or "none yet",
                    r.owner or "—",
                    f"week {r.due_week}" if r.due_week is not None else "—",
                    label(r.status),
                ]
                for r in playbook.resistance
            ],
        )
    else:
        document.add_paragraph("No resistance points recorded.")

    document.add_heading("The plan, by phase", level=1)
    if not playbook.phases:
        document.add_paragraph("Nothing planned yet.")
    for title, weeks in playbook.phases:
        document.add_heading(title, level=2)
        for week in weeks:
            document.add_heading(week.heading, level=3)
            _table(
                document,
                ["Workstream", "Action", "Owner", "Audience", "Status"],
                [
                    [
                        label(item.workstream) or label(item.kind),
                        item.title + (f"\n{item.description}" if item.description else ""),
                        item.owner_label
                        if item.owner
                        else f"{label(item.owner_role)}, no one named",
                        item.audience_summary or "—",
                        label(item.status),
                    ]
                    for item in week.items
                ],
            )

    document.add_heading("Commitments", level=1)
    if playbook.commitments:
        _table(
            document,
            list(COMMITMENT_TABLE_HEADERS),
            playbook.commitment_table,
        )
    else:
        document.add_paragraph("No commitments recorded.")

    document.add_heading("Stakeholder log", level=1)
    _muted(document.add_paragraph(), LOG_NOTE)
    for entry in playbook.log:
        document.add_heading(entry.heading, level=2)
        document.add_paragraph(entry.summary)
    if not playbook.log:
        document.add_paragraph("No shared entries.")

    exit_week, criteria = playbook.hypercare_exit
    document.add_heading("Hypercare exit", level=1)
    document.add_paragraph(
        (f"Reviewed in week {exit_week}. " if exit_week is not None else "") + criteria
    )

    document.add_heading("Path to the renewal", level=1)
    if playbook.cover.renewal_date:
        document.add_paragraph(f"Renewal: {playbook.cover.renewal_date:%-d %B %Y}.")
    for item in playbook.renewal_path:
        document.add_paragraph(
            f"Week {item.week}: {item.title} ({item.owner_label})", style="List Bullet"
        )
    if not playbook.renewal_path:
        document.add_paragraph("No step planned after week 12 (set a renewal date to plan to it).")

    document.add_heading("Each owner's list", level=1)
    for owner, items in playbook.owner_lists:
        document.add_heading(owner, level=2)
        for item in items:
            document.add_paragraph(f"Week {item.week}: {item.title}", style="List Bullet")

    document.add_heading("Adoption targets", level=1)
    if playbook.adoption:
        document.add_paragraph(
            "Weekly active users as a share of each group: target (actual, once measured)."
        )
        _table(
            document,
            ["Group", *(f"Wk {w}" for w in playbook.adoption_weeks)],
            [
                [row["group"], *(_target(cell) for cell in row["cells"])]
                for row in playbook.adoption_table
            ],
        )
    else:
        document.add_paragraph("No adoption targets set.")

    document.add_heading("Outcome KPIs", level=1)
    if playbook.kpis:
        _table(document, list(KPI_TABLE_HEADERS), playbook.kpi_table)
    else:
        document.add_paragraph("No outcome KPIs set.")

    # The findings are the team's own judgement: the customer's version leaves them out.
    if not playbook.for_customer:
        document.add_heading("Open findings", level=1)
        for finding in playbook.findings:
            paragraph = document.add_paragraph(style="List Bullet")
            paragraph.add_run(f"{finding.severity.upper()} · {finding.title}. ").bold = True
            paragraph.add_run(f"{finding.message} ")
            paragraph.add_run("Next step: ").italic = True
            paragraph.add_run(finding.action)
        if not playbook.findings:
            document.add_paragraph("None: every check passes.")

    document.add_heading("Readiness over time", level=1)
    if playbook.history:
        _table(
            document,
            ["Date", "Readiness"],
            [[f"{day:%-d %b %Y}", str(score)] for day, score in playbook.history],
        )
    else:
        document.add_paragraph("No history yet.")

    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _target(cell) -> str:
    if cell is None:
        return "—"
    target, actual, _behind = cell
    return f"{target:.0f}%" + (f" ({actual:.0f}%)" if actual is not None else "")
