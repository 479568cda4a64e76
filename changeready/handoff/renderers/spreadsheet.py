"""CSV and XLSX of the plan items, the stakeholders and the outcome KPIs.

Spreadsheet programs run a cell that starts with `=`, `+`, `-` or `@` (and,
in some, tab or carriage return) as a formula, so a stakeholder named
`=HYPERLINK(...)` would be code. `neutralise` is the one guard both formats
use: such text gets a leading `'`, which shows the text as typed. Only text
is touched; numbers (a week of -2) and dates stay what they are.

CSV holds one table (`plan` by default, `stakeholders` or `kpis`); it starts
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


def neutralise(value):
    """The cell value, with text that a spreadsheet would run as a formula made inert."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


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
WIDE_COLUMNS = {"title": 40, "description": 60, "success_definition": 50, "resistance_triggers": 50}


def render_xlsx(playbook: Playbook) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for sheet_name, columns, rows in TABLES.values():
        sheet = workbook.create_sheet(sheet_name)
        sheet.append(list(columns))
        for row in rows(playbook):
            sheet.append([neutralise(value) for value in row])
        for index, column in enumerate(columns, start=1):
            cell = sheet.cell(row=1, column=index)
            cell.fill, cell.font = HEADER_FILL, HEADER_FONT
            letter = get_column_letter(index)
            sheet.column_dimensions[letter].width = WIDE_COLUMNS.get(column, 14)
            if column in WIDE_COLUMNS:
                for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
            if column == "week_starts":
                for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                    cell.number_format = "yyyy-mm-dd"
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = sheet.dimensions
    workbook.properties.title = f"{playbook.cover.engagement_name} — activation playbook"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
