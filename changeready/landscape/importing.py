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
from changeready.landscape.presets import RELATION_PRESETS_BY_SLUG
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
    # The CRM export the rows were read from; blank for the template.
    crm_label: str = ""


def normalise_header(header: object) -> str:
    code = _code(str(header or "")).lstrip("\ufeff")
    return HEADER_ALIASES.get(code, code)


def _code(text: str) -> str:
    """`Go-live planning`, `go_live planning` and `GO LIVE-PLANNING` give `go_live_planning`."""
    return re.sub(r"[\s\-_./]+", "_", str(text).strip().lower()).strip("_")


def template_rows() -> list[list[str]]:
    return [[column.name for column in COLUMNS]]


@dataclass(frozen=True)
class CrmFormat:
    """A CRM export that lists a deal's contacts with their buying role.

    Each contact becomes a person whose role and typical values come from the
    relation preset their CRM role maps to (docs/domain.md section 3).
    """

    slug: str
    label: str
    role_headers: tuple[str, ...]
    # Headers that, with a role header, tell this export from the other.
    marker_headers: tuple[str, ...]
    # A CRM role, as a header code, to a relation preset (and a champion flag).
    roles: dict[str, str]


# Salesforce's standard Opportunity Contact Role values.
SALESFORCE_ROLES = {
    "economic_buyer": "economic_buyer",
    "economic_decision_maker": "economic_buyer",
    "decision_maker": "economic_buyer",
    "executive_sponsor": "executive_sponsor",
    "evaluator": "product_admin",
    "technical_buyer": "it_security",
    "business_user": "daily_user",
    "influencer": "people_manager",
    "other": "downstream",
}
CRM_FORMATS = (
    CrmFormat(
        "salesforce",
        "Salesforce “Opportunity Contact Roles” report",
        ("contact_role", "role", "opportunity_contact_role"),
        ("opportunity_name", "opportunity", "primary", "account_name"),
        SALESFORCE_ROLES,
    ),
    CrmFormat(
        "hubspot",
        "HubSpot deal contacts",
        ("buying_role", "buying_roles", "association_label", "association_labels", "deal_role"),
        ("record_id", "associated_deal", "associated_deals", "deal_name", "contact_owner"),
        {
            **SALESFORCE_ROLES,
            # HubSpot's own buying roles.
            "budget_holder": "economic_buyer",
            "end_user": "daily_user",
            "champion": "people_manager",
            "blocker": "opposed_leader",
            "legal_and_compliance": "it_security",
        },
    ),
)
CRM_FORMATS_BY_SLUG = {crm.slug: crm for crm in CRM_FORMATS}


def crm_relation_aliases() -> dict[str, str]:
    """Every CRM buying role the imports know, as a header code (`decision_maker`),
    to its relation preset: the landscape grid takes them pasted in its relation column."""
    aliases: dict[str, str] = {}
    for crm in CRM_FORMATS:
        aliases.update(crm.roles)
    return aliases


FILE_FORMAT_CHOICES = [
    ("auto", "Detect from the columns"),
    ("template", "changeready template"),
    *((crm.slug, crm.label) for crm in CRM_FORMATS),
]
CRM_NAME_HEADERS = ("full_name", "contact_full_name", "contact_name", "name", "contact")
CRM_TITLE_HEADERS = ("title", "job_title", "contact_title")
CRM_EMAIL_HEADERS = ("email", "email_address", "contact_email")


def read_upload(upload, file_format: str = "auto") -> ParsedFile:
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
    parsed = parse_table(table.rows, file_format)
    not_utf8 = NOT_UTF8[:1].upper() + NOT_UTF8[1:]
    parsed.problems[:0] = [ImportProblem(row, "", not_utf8) for row in table.undecodable_rows]
    parsed.encoding = table.encoding
    parsed.file_type = table.file_type
    return parsed


def parse_table(table: list[list[str]], file_format: str = "auto") -> ParsedFile:
    """Header row plus data rows (all text) into typed import rows and problems."""
    while table and not any(cell.strip() for cell in table[-1]):
        table.pop()
    if not table or not any(cell.strip() for cell in table[0]):
        raise ImportFileError("The file is empty: there is no header row.")
    crm = CRM_FORMATS_BY_SLUG.get(file_format)
    if file_format == "auto":
        crm = detect_crm_format(table[0])
    if crm is not None:
        return parse_crm_table(table, crm)
    return _parse_template_table(table)


def detect_crm_format(header_row: list[str]) -> CrmFormat | None:
    """The CRM export these headers come from, if they are one (never the template's)."""
    codes = {_crm_code(cell) for cell in header_row}
    if codes & set(COLUMNS_BY_NAME) - {"name", "title", "email", "role"}:
        return None
    for crm in CRM_FORMATS:
        if codes & set(crm.role_headers) and codes & set(crm.marker_headers):
            return crm
    return None


def parse_crm_table(table: list[list[str]], crm: CrmFormat) -> ParsedFile:
    """A CRM export's contacts into person rows, with a problem per unreadable cell."""
    parsed = ParsedFile(crm_label=crm.label)
    index: dict[str, int] = {}
    for position, cell in enumerate(table[0]):
        index.setdefault(_crm_code(cell), position)

    def column(candidates):
        return next((index[code] for code in candidates if code in index), None)

    role_at = column(crm.role_headers)
    name_at = column(CRM_NAME_HEADERS)
    first_at, last_at = column(("first_name",)), column(("last_name",))
    if role_at is None:
        parsed.problems.append(
            ImportProblem(1, crm.role_headers[0], f"A {crm.label} export needs a role column.")
        )
    if name_at is None and first_at is None and last_at is None:
        parsed.problems.append(
            ImportProblem(1, "name", "The export needs a name column (or first and last name).")
        )
    if parsed.problems:
        return parsed
    role_header = str(table[0][role_at]).strip()
    for offset, cells in enumerate(table[1:]):
        # A report export ends with a blank row, then its own footer lines.
        if not any(cell.strip() for cell in cells):
            break
        row_number = FIRST_DATA_ROW + offset

        def cell(position, cells=cells):
            return cells[position].strip() if position is not None and position < len(cells) else ""

        name = cell(name_at) or " ".join(part for part in (cell(first_at), cell(last_at)) if part)
        if not name:
            parsed.problems.append(ImportProblem(row_number, "name", "A name is required."))
            continue
        # HubSpot lists several roles separated by semicolons; the first one counts.
        raw_role = re.split(r"[;,]", cell(role_at))[0].strip()
        preset_slug = crm.roles.get(_crm_code(raw_role) or "other")
        if preset_slug is None:
            parsed.problems.append(
                ImportProblem(
                    row_number,
                    role_header,
                    f"“{raw_role}” is not a role this import knows; use one of: "
                    + ", ".join(sorted({code.replace("_", " ").title() for code in crm.roles}))
                    + ".",
                )
            )
            continue
        row = {"row": row_number, "kind": "person", "name": name}
        row.update(RELATION_PRESETS_BY_SLUG[preset_slug].values())
        row["engagement"] = "resistant" if row["opposed_purchase"] else "neutral"
        for key, candidates in (("title", CRM_TITLE_HEADERS), ("email", CRM_EMAIL_HEADERS)):
            value = cell(column(candidates))
            if value:
                row[key] = value
        if _crm_code(raw_role) == "champion":
            row["is_champion"] = True
        parsed.rows.append(row)
    if not parsed.rows and not parsed.problems:
        raise ImportFileError("The export has a header row but no contacts.")
    return parsed


def _crm_code(text: str) -> str:
    """`Contact: Full Name` is `contact_full_name`; `Legal & Compliance`, `legal_and_compliance`."""
    return _code(str(text).lstrip("\ufeff").replace(":", " ").replace("&", " and "))


def _parse_template_table(table: list[list[str]]) -> ParsedFile:
    parsed = ParsedFile()
    headers = [normalise_header(cell) for cell in table[0]]
    data = table[1:]
    if not any(any(cell.strip() for cell in row) for row in data):
        raise ImportFileError("The file has a header row but no stakeholders.")
    seen: dict[str, int] = {}
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
