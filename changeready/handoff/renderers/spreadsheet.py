"""CSV and XLSX of the plan items, the stakeholders and the outcome KPIs.

Spreadsheet programs run a cell that starts with `=`, `+`, `-` or `@` (and,
in some, tab or carriage return) as a formula, so a stakeholder named
`=HYPERLINK(...)` would be code. `is_formula_like` is the one test both
formats use. CSV has no cell styles, so such text gets a leading `'`
(`neutralise`); XLSX keeps the text as typed in a text cell marked with the
quote-prefix style, which spreadsheet programs show without a visible
apostrophe and never run. Only text is touched; numbers (a week of -2) and
dates stay what they are.

CSV holds one table (`plan` by default, `stakeholders`, `kpis`, `commitments`
or `log`, the shared log entries); it starts
with a byte-order mark so Excel reads it as UTF-8. XLSX holds them all, one
sheet each.
"""

from __future__ import annotations

import csv
import io
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from changeready.handoff.playbook import Playbook
from changeready.handoff.renderers.tables import TABLES

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
CSV_TABLES = tuple(TABLES)


def is_formula_like(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)


def neutralise(value):
    """The CSV cell value, with text that a spreadsheet would run as a formula made inert."""
    return "'" + value if is_formula_like(value) else value


def render_csv(playbook: Playbook, table: str = "plan") -> bytes:
    if table not in TABLES:
        raise ValueError(f"table must be one of: {', '.join(TABLES)}")
    _, columns, rows = TABLES[table]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows(playbook):
        writer.writerow([_csv_value(neutralise(value)) for value in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _csv_value(value):
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return value


HEADER_FILL = PatternFill("solid", fgColor="1B2A3A")
HEADER_FONT = Font(bold=True, color="FFFFFF")
WIDE_COLUMNS = {
    "title": 40,
    "description": 60,
    "success_definition": 50,
    "resistance_triggers": 50,
    "text": 50,
    "summary": 60,
}


def render_xlsx(playbook: Playbook) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for sheet_name, columns, rows in TABLES.values():
        sheet = workbook.create_sheet(sheet_name)
        sheet.append(list(columns))
        for row in rows(playbook):
            sheet.append(list(row))
            for cell, value in zip(sheet[sheet.max_row], row, strict=True):
                if is_formula_like(value):
                    # openpyxl took the text for a formula: store it as text.
                    cell.value, cell.data_type, cell.quotePrefix = value, "s", True
        for index, column in enumerate(columns, start=1):
            cell = sheet.cell(row=1, column=index)
            cell.fill, cell.font = HEADER_FILL, HEADER_FONT
            letter = get_column_letter(index)
            sheet.column_dimensions[letter].width = WIDE_COLUMNS.get(column, 14)
            if column in WIDE_COLUMNS:
                for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
            if column in ("week_starts", "due_date", "date"):
                for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                    cell.number_format = "yyyy-mm-dd"
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = sheet.dimensions
    workbook.properties.title = f"{playbook.cover.engagement_name} — activation playbook"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
