"""Reading a stakeholder spreadsheet (CSV or XLSX) into import rows.

This module only reads and converts: cells to typed values, with a problem
per bad cell named by row number and column. Whether the rows can be saved
(duplicates, groups, the model's rules) is decided by
`services.import_stakeholders`, which the preview runs in a transaction that is
rolled back, and the confirmation runs for real.

Columns are the engagement file's field names (`engagement`, not the model's
`engagement_level`); ADKAR is flattened to `adkar_awareness`… and involvement is
one cell of values separated by semicolons. Headers forgive case, spaces,
hyphens and underscores ("Desired engagement", "desired-engagement").
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

from changeready.common.uploads import (
    NOT_UTF8,
    UploadRefused,
    is_xlsx,
    read_csv,
    read_xlsx,
    refuse_oversize,
)
from changeready.core.model import (
    ENGAGEMENT_LEVELS,
    INVOLVEMENTS,
    KINDS,
    ROLES,
)
from changeready.landscape.services import ImportProblem

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_ROWS = 2000
# Row 1 is the header, so the first stakeholder is on row 2, as a spreadsheet shows it.
FIRST_DATA_ROW = 2

TRUE_WORDS = frozenset({"yes", "y", "true", "1", "x"})
FALSE_WORDS = frozenset({"no", "n", "false", "0", ""})


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # text, bool, level, adkar, count, choice, multi
    meaning: str
    values: tuple[str, ...] = ()
    required: bool = False
    max_length: int | None = None


COLUMNS = (
    Column(
        "key", "text", "Optional short id, so persons can name their group by it.", (), False, 100
    ),
    Column(
        "name", "text", "The group's or person's name; unique in the engagement.", (), True, 200
    ),
    Column("kind", "choice", "group (a population) or person; blank means group.", KINDS),
    Column("role", "choice", "Their relation to the change; blank means daily_user.", ROLES),
    Column("title", "text", "Job title (persons).", (), False, 200),
    Column("email", "text", "Email address (persons).", (), False, 254),
    Column("group", "text", "Persons: the key or name of a group in the file or the engagement."),
    Column("opposed_purchase", "bool", "Did not want the purchase: yes or no."),
    Column("influence", "level", "Power to help or block, 1–5 (blank: 3)."),
    Column("interest", "level", "How much they care, 1–5 (blank: 3)."),
    Column("impact", "level", "How much their daily work changes at go-live, 1–5 (blank: 3)."),
    Column("engagement", "choice", "Current engagement (blank: neutral).", ENGAGEMENT_LEVELS),
    Column(
        "desired_engagement", "choice", "Desired engagement (blank: supportive).", ENGAGEMENT_LEVELS
    ),
    Column(
        "involvement", "multi", "Activities they were in, separated by semicolons.", INVOLVEMENTS
    ),
    Column("success_definition", "text", "What success looks like for them, specifically."),
    Column("resistance_triggers", "text", "What would make them resist adoption."),
    Column("job_gets_harder", "bool", "Their job gets harder at go-live: yes or no."),
    Column("authority_decreases", "bool", "They lose authority or control: yes or no."),
    Column("adkar_awareness", "adkar", "ADKAR awareness 1–5, blank if unknown."),
    Column("adkar_desire", "adkar", "ADKAR desire 1–5, blank if unknown."),
    Column("adkar_knowledge", "adkar", "ADKAR knowledge 1–5, blank if unknown."),
    Column("adkar_ability", "adkar", "ADKAR ability 1–5, blank if unknown."),
    Column("adkar_reinforcement", "adkar", "ADKAR reinforcement 1–5, blank if unknown."),
    Column("headcount", "count", "Groups only: people in the group."),
    Column("is_champion", "bool", "Persons only: a designated champion, yes or no."),
    Column("notes", "text", "Anything else."),
)
COLUMNS_BY_NAME = {column.name: column for column in COLUMNS}
# Headers people write that mean a column under another name.
HEADER_ALIASES = {
    "current_engagement": "engagement",
    "engagement_level": "engagement",
    "champion": "is_champion",
    "success": "success_definition",
    "resistance": "resistance_triggers",
}


# The whole file is refused with one message (type, size, encoding, emptiness).
ImportFileError = UploadRefused


@dataclass
class ParsedFile:
    rows: list[dict] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)
    encoding: str = ""
    file_type: str = ""


def normalise_header(header: object) -> str:
    code = _code(str(header or "")).lstrip("\ufeff")
    return HEADER_ALIASES.get(code, code)


def _code(text: str) -> str:
    """`Go-live planning`, `go_live planning` and `GO LIVE-PLANNING` give `go_live_planning`."""
    return re.sub(r"[\s\-_./]+", "_", str(text).strip().lower()).strip("_")


def template_rows() -> list[list[str]]:
    return [[column.name for column in COLUMNS]]


def read_upload(upload) -> ParsedFile:
    """Read an uploaded file into rows of typed values, or raise ImportFileError."""
    refuse_oversize(upload.size, MAX_FILE_BYTES)
    content = upload.read(MAX_FILE_BYTES + 1)
    if not content.strip():
        raise ImportFileError("The file is empty.")
    name = (upload.name or "").lower()
    extension = name.rsplit(".", 1)[-1] if "." in name else ""
    if is_xlsx(content):
        table = read_xlsx(content, max_rows=MAX_ROWS)
    elif extension in ("csv", "txt", ""):
        table = read_csv(content, max_rows=MAX_ROWS, legacy_encoding=True)
    else:
        raise ImportFileError(
            "This is not a CSV or an Excel workbook (.xlsx). Save the sheet as CSV or .xlsx "
            "and upload that."
        )
    parsed = parse_table(table.rows)
    not_utf8 = NOT_UTF8[:1].upper() + NOT_UTF8[1:]
    parsed.problems[:0] = [ImportProblem(row, "", not_utf8) for row in table.undecodable_rows]
    parsed.encoding = table.encoding
    parsed.file_type = table.file_type
    return parsed


def parse_table(table: list[list[str]]) -> ParsedFile:
    """Header row plus data rows (all text) into typed import rows and problems."""
    parsed = ParsedFile()
    while table and not any(cell.strip() for cell in table[-1]):
        table.pop()
    if not table or not any(cell.strip() for cell in table[0]):
        raise ImportFileError("The file is empty: there is no header row.")
    headers = [normalise_header(cell) for cell in table[0]]
    data = table[1:]
    if not any(any(cell.strip() for cell in row) for row in data):
        raise ImportFileError("The file has a header row but no stakeholders.")
    seen = {}
    for index, header in enumerate(headers):
        if not header:
            continue
        if header not in COLUMNS_BY_NAME:
            parsed.problems.append(
                ImportProblem(
                    1,
                    str(table[0][index]).strip(),
                    "Unknown column. Use the template's columns: "
                    + ", ".join(column.name for column in COLUMNS)
                    + ".",
                )
            )
        elif header in seen:
            parsed.problems.append(
                ImportProblem(
                    1,
                    header,
                    f"This column appears twice (columns {seen[header] + 1} and {index + 1}).",
                )
            )
        else:
            seen[header] = index
    if "name" not in seen:
        parsed.problems.append(ImportProblem(1, "name", "The file needs a “name” column."))
    if parsed.problems:
        return parsed
    for offset, cells in enumerate(data):
        if not any(cell.strip() for cell in cells):
            continue
        row_number = FIRST_DATA_ROW + offset
        values = {
            header: (cells[index] if index < len(cells) else "").strip()
            for header, index in seen.items()
        }
        row = {"row": row_number}
        for name, raw in values.items():
            try:
                value = _convert(COLUMNS_BY_NAME[name], raw)
            except ValueError as error:
                parsed.problems.append(ImportProblem(row_number, name, str(error)))
                continue
            if value is not None:
                row[name] = value
        if not row.get("name"):
            parsed.problems.append(ImportProblem(row_number, "name", "A name is required."))
            continue
        row.setdefault("kind", "group")
        parsed.rows.append(row)
    return parsed


def _convert(column: Column, raw: str):
    """The typed value of a cell; None means "not given" (the model's default)."""
    if column.kind == "text":
        if column.max_length and len(raw) > column.max_length:
            raise ValueError(f"At most {column.max_length} characters (this has {len(raw)}).")
        return raw or None
    if not raw:
        return [] if column.kind == "multi" else None
    if column.kind == "bool":
        word = raw.lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise ValueError(f"“{raw}” is not yes or no (also accepted: true/false, 1/0, x).")
    if column.kind in ("level", "adkar", "count"):
        try:
            number = float(raw.replace(",", ".")) if column.kind == "adkar" else int(raw)
        except ValueError:
            expected = "a whole number" if column.kind != "adkar" else "a number"
            raise ValueError(f"“{raw}” is not {expected}.") from None
        if column.kind == "count":
            if number < 0:
                raise ValueError("A headcount cannot be negative.")
            return number
        if not 1 <= number <= 5:
            raise ValueError(f"{raw} is outside 1–5.")
        return number
    if column.kind == "choice":
        value = _code(raw)
        if value not in column.values:
            raise ValueError(f"“{raw}” is not one of: {', '.join(column.values)}.")
        return value
    if column.kind == "multi":
        chosen = [_code(part) for part in re.split(r"[;,]", raw) if part.strip()]
        unknown = [part for part in chosen if part not in column.values]
        if unknown:
            raise ValueError(
                f"{', '.join(unknown)}: not an activity; use {', '.join(column.values)}."
            )
        return [value for value in column.values if value in chosen]
    raise AssertionError(column.kind)


def template_workbook() -> bytes:
    """The import template as .xlsx: the columns to fill, and a sheet that explains them."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Stakeholders"
    sheet.append([column.name for column in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    guide = workbook.create_sheet("Columns")
    guide.append(["column", "required", "values", "meaning"])
    for cell in guide[1]:
        cell.font = Font(bold=True)
    for column in COLUMNS:
        guide.append(
            [column.name, "yes" if column.required else "", column_values(column), column.meaning]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def column_values(column: Column) -> str:
    """What a cell of this column may hold, for the template's documentation."""
    if column.values:
        separator = "; " if column.kind == "multi" else ", "
        return separator.join(column.values)
    return {
        "bool": "yes / no (true/false, 1/0, x)",
        "level": "1–5",
        "adkar": "1–5 or blank",
        "count": "whole number",
    }.get(column.kind, "text")
