"""Reading an uploaded spreadsheet (CSV or XLSX) into a table of text, within bounds.

Every upload reader (the stakeholder import, adoption actuals) goes through
here, so no file can make a worker spend more than a few seconds or a few
hundred megabytes before it is refused. An XLSX is a zip of XML: a few hundred
kilobytes can inflate to gigabytes, and openpyxl builds a whole row before it
applies `max_col`. So each zip member's uncompressed size is checked before
openpyxl opens the workbook, rows and columns are capped while reading, and a
cell may not be longer than Excel itself allows. A CSV's cells are capped by
the csv module's field size limit, and its rows while reading.

What is wrong with the file as a whole raises `UploadRefused` with a message
for the person who uploaded it; what is wrong with one row (bytes that are not
UTF-8 in an otherwise UTF-8 file) is returned for the caller to report by row.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from xml.parsers import expat

# Excel's own limit for the text of one cell; a longer cell was not typed.
MAX_CELL_CHARS = 32_767
MAX_COLUMNS = 100
# Blank rows after the data are common (formatted but empty); read this many
# past the row limit before deciding that the sheet is too long.
TRAILING_BLANK_ROWS = 1000
# Uncompressed, per zip member and for the whole workbook. A 2,000-row sheet
# of 26 columns is 2 MB of XML, or about 10 MB with its text written inline.
MAX_XLSX_MEMBER_BYTES = 16 * 1024 * 1024
MAX_XLSX_TOTAL_BYTES = 32 * 1024 * 1024
# Cell elements (empty formatted ones included), counted before openpyxl reads
# a sheet: openpyxl builds every cell of a row before it applies `max_col`, so
# one wide row costs as much memory as a whole sheet.
MAX_XLSX_CELLS_PER_ROW = 1000
MAX_XLSX_CELLS = 250_000
XLSX_SIGNATURE = b"PK\x03\x04"
# The csv module's limit is per process; every reader here uses the same one.
csv.field_size_limit(MAX_CELL_CHARS)

NOT_UTF8 = (
    "this row has characters that are not UTF-8 (the file mixes text encodings). "
    "Retype them, or save the file as “CSV UTF-8” and upload it again."
)


UNREADABLE_XLSX = (
    "This file could not be read as an Excel workbook (.xlsx). Save it again as .xlsx or CSV."
)


class UploadRefused(Exception):
    """The file as a whole cannot be read; the message says why and what to do."""


@dataclass
class Table:
    """The cells of the first sheet as text; `rows[0]` is row 1 (the header)."""

    rows: list[list[str]]
    file_type: str
    # How a CSV's bytes were read, for the preview ("UTF-8", "Windows-1252").
    encoding: str = ""
    # Row numbers (1 = the header) with bytes that are not UTF-8; their
    # undecodable characters read as U+FFFD in `rows`.
    undecodable_rows: list[int] = field(default_factory=list)


def refuse_oversize(size: int, max_bytes: int) -> None:
    if size > max_bytes:
        raise UploadRefused(
            f"The file is {size / 1024 / 1024:.1f} MB; the limit is "
            f"{max_bytes // 1024 // 1024} MB. Split it, or remove unused columns and rows."
        )


def is_xlsx(content: bytes) -> bool:
    return content.startswith(XLSX_SIGNATURE)


def read_csv(content: bytes, *, max_rows: int, legacy_encoding: bool) -> Table:
    """Decode and split a CSV; comma, semicolon or tab separated (sniffed).

    UTF-8 (with or without BOM) is the rule. A file in which no line is UTF-8
    is read as Windows-1252 (what Excel on Windows saves as "CSV") when the
    caller shows the encoding before anything is saved (`legacy_encoding`).
    Otherwise the lines that are not UTF-8 are reported by row, never guessed.
    """
    text, encoding = _decode(content, legacy_encoding=legacy_encoding)
    rows = []
    data_rows = 0
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        for row in reader:
            if len(row) > MAX_COLUMNS:
                raise UploadRefused(_too_many_columns(f"Line {reader.line_num:,}"))
            rows.append(row)
            if len(rows) > 1 and any(cell.strip() for cell in row):
                data_rows += 1
            if data_rows > max_rows:
                raise UploadRefused(_too_many_rows(max_rows))
    except csv.Error as error:
        if "field larger than field limit" in str(error):
            raise UploadRefused(_cell_too_long(f"Line {reader.line_num:,}")) from None
        raise UploadRefused(
            f"Line {reader.line_num} could not be read as CSV ({error}). Save the sheet as "
            "CSV again and upload it."
        ) from None
    undecodable = []
    for number, row in enumerate(rows, start=1):
        if any(_has_escaped_bytes(cell) for cell in row):
            undecodable.append(number)
            row[:] = [_replace_escaped_bytes(cell) for cell in row]
    return Table(rows, "csv", encoding, undecodable)


def _decode(content: bytes, *, legacy_encoding: bool) -> tuple[str, str]:
    if b"\x00" in content[:4096]:
        raise UploadRefused(
            "This file is not plain text (UTF-16 or binary). Save it as “CSV UTF-8” and "
            "upload it again."
        )
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    else:
        return text, "UTF-8 with BOM" if content.startswith(b"\xef\xbb\xbf") else "UTF-8"
    if legacy_encoding and not _any_line_is_utf8(content):
        try:
            return content.decode("cp1252"), "Windows-1252"
        except UnicodeDecodeError:
            raise UploadRefused(
                "The file's text encoding is not UTF-8 or Windows-1252. Save it as "
                "“CSV UTF-8” and upload it again."
            ) from None
    # Undecodable bytes become lone surrogates here, found per row afterwards.
    return content.decode("utf-8-sig", errors="surrogateescape"), "UTF-8"


def _any_line_is_utf8(content: bytes) -> bool:
    """Whether some line with non-ASCII text is valid UTF-8 (so the file is not all legacy)."""
    for line in content.splitlines():
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            continue
        return True
    return False


def _has_escaped_bytes(cell: str) -> bool:
    return any("\udc80" <= char <= "\udcff" for char in cell)


def _replace_escaped_bytes(cell: str) -> str:
    return "".join("\ufffd" if "\udc80" <= char <= "\udcff" else char for char in cell)


def _delimiter(text: str) -> str:
    sample = text[:8192]
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        first_line = sample.splitlines()[0] if sample else ""
        return ";" if first_line.count(";") > first_line.count(",") else ","


def read_xlsx(content: bytes, *, max_rows: int) -> Table:
    """The first worksheet's cells as text.

    The checks before opening keep every accepted workbook within the upload
    budget of a few seconds and 200 MB; the largest they accept (250,000
    cells) takes openpyxl about a second.
    """
    _check_before_opening(content)
    from openpyxl import load_workbook

    last_row = 1 + max_rows + TRAILING_BLANK_ROWS
    rows = []
    data_rows = 0
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            for number, values in enumerate(
                sheet.iter_rows(max_row=last_row + 1, max_col=MAX_COLUMNS + 1, values_only=True),
                start=1,
            ):
                if number > last_row:
                    raise UploadRefused(
                        f"The sheet goes on past row {last_row:,}; the limit is "
                        f"{max_rows:,} rows. Delete the unused rows below your data, or split "
                        "the file."
                    )
                row = [_cell_text(value, number) for value in values]
                # openpyxl pads every row to `max_col`; a short row is what was typed.
                while row and not row[-1].strip():
                    row.pop()
                if len(row) > MAX_COLUMNS:
                    raise UploadRefused(_too_many_columns(f"Row {number:,}"))
                rows.append(row)
                if number > 1 and any(cell.strip() for cell in row):
                    data_rows += 1
                if data_rows > max_rows:
                    raise UploadRefused(_too_many_rows(max_rows))
        finally:
            workbook.close()
    except UploadRefused:
        raise
    except Exception:
        # A damaged workbook (broken XML, missing parts, odd values) can fail
        # anywhere inside openpyxl, with any exception type.
        raise UploadRefused(UNREADABLE_XLSX) from None
    return Table(rows, "xlsx")


def _check_before_opening(content: bytes) -> None:
    """Refuse a workbook whose parts inflate, or whose sheets hold, more than a sheet needs."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        members = archive.infolist()
        _check_inflated_size(members)
        for member in members:
            if member.filename.startswith("xl/worksheets/") and member.filename.endswith(".xml"):
                _count_cells(archive, member)
    except (zipfile.BadZipFile, expat.ExpatError, ValueError, OSError):
        raise UploadRefused(UNREADABLE_XLSX) from None


def _count_cells(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> None:
    """Stream the sheet's XML once, counting cell elements per row and in all."""
    cells_in_row = cells_in_sheet = rows = 0

    def start(name, attributes):
        nonlocal cells_in_row, cells_in_sheet, rows
        element = name.rpartition(":")[2]
        if element == "row":
            rows += 1
            cells_in_row = 0
        elif element == "c":
            cells_in_row += 1
            cells_in_sheet += 1
            if cells_in_row > MAX_XLSX_CELLS_PER_ROW:
                raise UploadRefused(_too_many_columns(f"Row {rows:,} of a sheet"))
            if cells_in_sheet > MAX_XLSX_CELLS:
                raise UploadRefused(
                    f"A sheet of this workbook has more than {MAX_XLSX_CELLS:,} cells. Delete "
                    "unused rows and columns, or save it as CSV."
                )

    parser = expat.ParserCreate()
    parser.StartElementHandler = start
    with archive.open(member) as stream:
        while chunk := stream.read(64 * 1024):
            parser.Parse(chunk, False)
    parser.Parse(b"", True)


def _check_inflated_size(members: list[zipfile.ZipInfo]) -> None:
    largest = max((member.file_size for member in members), default=0)
    total = sum(member.file_size for member in members)
    if largest > MAX_XLSX_MEMBER_BYTES or total > MAX_XLSX_TOTAL_BYTES:
        raise UploadRefused(
            f"This workbook unpacks to {total / 1024 / 1024:.0f} MB, more than a sheet of "
            "stakeholders needs (the limit is "
            f"{MAX_XLSX_TOTAL_BYTES // 1024 // 1024} MB, {MAX_XLSX_MEMBER_BYTES // 1024 // 1024} "
            "MB per sheet). Delete unused rows and columns, or save it as CSV."
        )


def _cell_text(value: object, row_number: int) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value)
    if len(text) > MAX_CELL_CHARS:
        raise UploadRefused(_cell_too_long(f"Row {row_number:,}"))
    return text


def _too_many_rows(max_rows: int) -> str:
    return (
        f"The file has more than {max_rows:,} rows; the limit is {max_rows:,} per file. "
        "Split it into several files."
    )


def _too_many_columns(where: str) -> str:
    return (
        f"{where} has more than {MAX_COLUMNS} columns. Delete the unused columns "
        "and upload it again."
    )


def _cell_too_long(where: str) -> str:
    return (
        f"{where} has a cell longer than {MAX_CELL_CHARS:,} characters, more than "
        "a spreadsheet cell holds. Shorten it and upload the file again."
    )
