"""The bounded upload reader: what a hostile or broken spreadsheet gets back.

The parse budget itself (seconds, megabytes) is measured by hand and by
`make bench`, never asserted here; these tests pin the refusals that keep
every accepted file inside it.
"""

import io
import zipfile

import openpyxl
import pytest

from changeready.common import uploads
from changeready.common.uploads import UploadRefused, read_csv, read_xlsx

SHEET = "xl/worksheets/sheet1.xml"


def workbook_with_sheet_data(rows_xml) -> bytes:
    """A real workbook whose first sheet's <sheetData> is written from `rows_xml` (chunks)."""
    buffer = io.BytesIO()
    openpyxl.Workbook().save(buffer)
    source = zipfile.ZipFile(buffer)
    crafted = io.BytesIO()
    with zipfile.ZipFile(crafted, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            data = source.read(member.filename)
            if member.filename != SHEET:
                target.writestr(member.filename, data)
                continue
            head, _, tail = data.partition(b"<sheetData></sheetData>")
            with target.open(SHEET, "w") as sheet:
                sheet.write(head + b"<sheetData>")
                for chunk in rows_xml:
                    sheet.write(chunk)
                sheet.write(b"</sheetData>" + tail)
    return crafted.getvalue()


def one_row_of(cells: int):
    yield b'<row r="1">'
    chunk = 10_000
    for start in range(0, cells, chunk):
        yield b"<c><v>1</v></c>" * min(chunk, cells - start)
    yield b"</row>"


def workbook(rows) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def openpyxl_must_not_open(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("openpyxl was asked to open a workbook the size check refuses")

    monkeypatch.setattr(openpyxl, "load_workbook", refuse)


def test_a_row_of_two_million_cells_is_refused_before_openpyxl_opens_it(openpyxl_must_not_open):
    content = workbook_with_sheet_data(one_row_of(2_000_000))
    assert len(content) < 300 * 1024  # small to upload: the danger is in the inflated size

    with pytest.raises(UploadRefused, match="unpacks to 29 MB"):
        read_xlsx(content, max_rows=2000)


def test_one_oversized_member_is_enough_to_refuse(openpyxl_must_not_open, monkeypatch):
    monkeypatch.setattr(uploads, "MAX_XLSX_MEMBER_BYTES", 100_000)
    content = workbook_with_sheet_data(one_row_of(10_000))

    with pytest.raises(UploadRefused, match="per sheet"):
        read_xlsx(content, max_rows=2000)


def test_a_row_wider_than_a_sheet_needs_is_refused_before_openpyxl_opens_it(
    openpyxl_must_not_open,
):
    content = workbook_with_sheet_data(one_row_of(uploads.MAX_XLSX_CELLS_PER_ROW + 1))

    with pytest.raises(UploadRefused, match="Row 1 of a sheet has more than 100 columns"):
        read_xlsx(content, max_rows=2000)


def test_a_sheet_of_too_many_cells_is_refused_before_openpyxl_opens_it(
    openpyxl_must_not_open, monkeypatch
):
    monkeypatch.setattr(uploads, "MAX_XLSX_CELLS", 50)
    rows = [b'<row r="%d">' % row + b"<c><v>1</v></c>" * 10 + b"</row>" for row in range(1, 7)]

    with pytest.raises(UploadRefused, match="more than 50 cells"):
        read_xlsx(workbook_with_sheet_data(rows), max_rows=2000)


def test_a_workbook_within_the_limits_is_read():
    content = workbook([["name", "kind"], ["Pickers", "group"], ["Ana", None], [True, 2.0]])

    table = read_xlsx(content, max_rows=10)

    assert table.rows == [["name", "kind"], ["Pickers", "group"], ["Ana"], ["yes", "2"]]
    assert table.file_type == "xlsx"


def test_broken_sheet_xml_is_refused_with_a_message():
    content = workbook_with_sheet_data([b'<row r="1"><c><v>1</v></c>', b"<row><unclosed"])

    with pytest.raises(UploadRefused, match="could not be read as an Excel workbook"):
        read_xlsx(content, max_rows=10)


def test_an_xlsx_cell_longer_than_excel_allows_is_refused():
    long_cell = "x" * (uploads.MAX_CELL_CHARS + 1)
    content = workbook_with_sheet_data(
        [f'<row r="1"><c t="inlineStr"><is><t>{long_cell}</t></is></c></row>'.encode()]
    )

    with pytest.raises(UploadRefused, match="Row 1 has a cell longer than 32,767"):
        read_xlsx(content, max_rows=10)


def test_an_xlsx_with_more_columns_than_allowed_is_refused():
    content = workbook([["x"] * (uploads.MAX_COLUMNS + 1)])

    with pytest.raises(UploadRefused, match="Row 1 has more than 100 columns"):
        read_xlsx(content, max_rows=10)


def test_blank_columns_past_the_limit_are_ignored():
    content = workbook([["name"] + [None] * uploads.MAX_COLUMNS + ["  "]])

    assert read_xlsx(content, max_rows=10).rows == [["name"]]


def test_an_xlsx_with_more_rows_than_allowed_is_refused():
    content = workbook([["name"]] + [[f"Group {n}"] for n in range(11)])

    with pytest.raises(UploadRefused, match="more than 10 rows"):
        read_xlsx(content, max_rows=10)


def test_a_sheet_that_goes_on_far_below_the_data_is_refused_not_cut():
    far_row = 1 + 10 + uploads.TRAILING_BLANK_ROWS + 5
    content = workbook_with_sheet_data(
        [
            b'<row r="1"><c t="inlineStr"><is><t>name</t></is></c></row>',
            f'<row r="{far_row}"><c t="inlineStr"><is><t>Late</t></is></c></row>'.encode(),
        ]
    )

    with pytest.raises(UploadRefused, match="goes on past row 1,011"):
        read_xlsx(content, max_rows=10)


def test_a_csv_cell_over_128_kb_is_refused_with_its_line():
    content = b"name,notes\nPickers,ok\nPackers," + b"x" * (129 * 1024) + b"\n"

    with pytest.raises(UploadRefused, match="Line 3 has a cell longer than 32,767"):
        read_csv(content, max_rows=10, legacy_encoding=True)


def test_a_csv_cell_of_excels_maximum_is_read():
    content = b"name,notes\nPickers," + b"x" * uploads.MAX_CELL_CHARS + b"\n"

    table = read_csv(content, max_rows=10, legacy_encoding=True)

    assert len(table.rows[1][1]) == uploads.MAX_CELL_CHARS


def test_a_csv_with_more_columns_than_allowed_is_refused():
    content = ",".join(["x"] * (uploads.MAX_COLUMNS + 1)).encode()

    with pytest.raises(UploadRefused, match="Line 1 has more than 100 columns"):
        read_csv(content, max_rows=10, legacy_encoding=True)


def test_a_csv_is_refused_as_soon_as_it_passes_the_row_limit():
    content = ("name\n" + "".join(f"Group {n}\n\n" for n in range(11))).encode()

    with pytest.raises(UploadRefused, match="more than 10 rows"):
        read_csv(content, max_rows=10, legacy_encoding=True)


def test_utf8_is_read_as_utf8():
    table = read_csv("name\nZoë Clark\n".encode(), max_rows=10, legacy_encoding=True)

    assert (table.rows, table.encoding, table.undecodable_rows) == (
        [["name"], ["Zoë Clark"]],
        "UTF-8",
        [],
    )


def test_one_windows_1252_line_in_a_utf8_file_is_reported_by_row_not_guessed():
    content = "name\nZoë Clark\n".encode() + "Chloé Martin\n".encode("cp1252")

    table = read_csv(content, max_rows=10, legacy_encoding=True)

    assert table.encoding == "UTF-8"
    assert table.rows[1] == ["Zoë Clark"]
    assert table.rows[2] == ["Chlo\ufffd Martin"]
    assert table.undecodable_rows == [3]


def test_a_file_with_no_utf8_line_falls_back_to_windows_1252_when_the_caller_shows_it():
    content = "name\nChloé Martin\nZoë Clark\n".encode("cp1252")

    shown = read_csv(content, max_rows=10, legacy_encoding=True)
    not_shown = read_csv(content, max_rows=10, legacy_encoding=False)

    assert (shown.encoding, shown.rows[1], shown.undecodable_rows) == (
        "Windows-1252",
        ["Chloé Martin"],
        [],
    )
    assert not_shown.undecodable_rows == [2, 3]
