import csv
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from changeready.common import uploads
from changeready.landscape import importing
from changeready.landscape.models import Stakeholder
from changeready.landscape.tests.factories import StakeholderFactory

pytestmark = pytest.mark.django_db

GOOD_CSV = (
    "Key,Name,Kind,Role,Group,Influence,Interest,Impact,Engagement,Desired-Engagement,"
    "Involvement,Headcount,Job gets harder,Opposed_Purchase,ADKAR awareness,Is champion\n"
    "pickers,Pickers and packers,group,daily_user,,2,3,5,neutral,supportive,uat,420,yes,no,4,\n"
    "tom,Tom Avery,person,people_manager,pickers,4,5,5,resistant,neutral,"
    "design; go-live planning,,x,1,,no\n"
)


def as_semicolons(text):
    """The same table as Excel saves it in locales whose decimal separator is a comma."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerows(csv.reader(io.StringIO(text)))
    return buffer.getvalue()


def upload(client, engagement, content: bytes, name="stakeholders.csv"):
    file = SimpleUploadedFile(name, content, "application/octet-stream")
    return client.post(reverse("landscape_import", args=[engagement.id]), {"file": file})


def confirm(client, engagement, preview_response):
    token = preview_response.context["confirm_form"].initial["token"]
    return client.post(reverse("landscape_import_confirm", args=[engagement.id]), {"token": token})


def problems(response):
    return [(p.row, p.column) for p in response.context["problems"]]


def file_error(response):
    return " ".join(response.context["form"].errors.get("file", []))


def xlsx_bytes(rows):
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("content", "encoding"),
    [
        (GOOD_CSV.encode(), "UTF-8"),
        (b"\xef\xbb\xbf" + GOOD_CSV.encode(), "UTF-8 with BOM"),
        (as_semicolons(GOOD_CSV).encode(), "UTF-8"),
    ],
    ids=["comma", "bom", "semicolon"],
)
def test_csv_import_previews_then_writes_once(client_as, engagement, content, encoding):
    client = client_as("member")
    preview = upload(client, engagement, content)
    assert preview.context["problems"] == []
    assert preview.context["parsed"].encoding == encoding
    assert [s.name for s in preview.context["preview"]] == ["Pickers and packers", "Tom Avery"]
    assert not Stakeholder.objects.exists()

    assert confirm(client, engagement, preview).status_code == 302
    pickers = engagement.stakeholders.get(name="Pickers and packers")
    tom = engagement.stakeholders.get(name="Tom Avery")
    assert (pickers.headcount, pickers.job_gets_harder, pickers.adkar_awareness) == (420, True, 4)
    assert (tom.group, tom.opposed_purchase, tom.engagement_level) == (pickers, True, "resistant")
    assert tom.involvement == ["design", "go_live_planning"]

    # A second click on the same preview writes nothing more.
    again = confirm(client, engagement, preview)
    assert again.status_code == 200
    assert "already exists" in again.content.decode()
    assert engagement.stakeholders.count() == 2


def test_windows_1252_csv_is_read_and_the_encoding_reported(client_as, engagement):
    content = "name;kind\nÉquipe café;group\n".encode("cp1252")
    preview = upload(client_as("member"), engagement, content)
    assert preview.context["parsed"].encoding == "Windows-1252"
    assert [s.name for s in preview.context["preview"]] == ["Équipe café"]


def test_xlsx_import(client_as, engagement):
    content = xlsx_bytes(
        [
            ["name", "kind", "role", "influence", "headcount", "opposed purchase", "involvement"],
            ["Shift leads", "group", "people_manager", 4, 36, True, "design"],
            ["Marcus Webb", "person", "economic_buyer", 5.0, None, False, None],
        ]
    )
    client = client_as("member")
    preview = upload(client, engagement, content, name="landscape.xlsx")
    assert preview.context["problems"] == []
    assert preview.context["parsed"].file_type == "xlsx"
    confirm(client, engagement, preview)
    leads = engagement.stakeholders.get(name="Shift leads")
    assert (leads.influence, leads.headcount, leads.opposed_purchase) == (4, 36, True)
    assert engagement.stakeholders.get(name="Marcus Webb").influence == 5


@pytest.mark.parametrize(
    ("csv_text", "expected"),
    [
        ("name,role\nPickers,janitor\n", [(2, "role")]),
        ("name,engagement\nPickers,angry\n", [(2, "engagement")]),
        ("name,influence\nPickers,6\n", [(2, "influence")]),
        ("name,impact\nPickers,0\n", [(2, "impact")]),
        ("name,interest\nPickers,high\n", [(2, "interest")]),
        ("name,adkar_desire\nPickers,9\n", [(2, "adkar_desire")]),
        ("name,involvement\nPickers,uat;lunch\n", [(2, "involvement")]),
        ("name,job_gets_harder\nPickers,maybe\n", [(2, "job_gets_harder")]),
        ("name,kind,group\nTom,person,Ghosts\n", [(2, "group")]),
        ("name,kind,headcount\nTom,person,4\n", [(2, "headcount")]),
        ("name,kind,is_champion\nPickers,group,yes\n", [(2, "is_champion")]),
        ("name,email\nTom,not-an-email\n", [(2, "email")]),
        ("name,kind\n,group\n", [(2, "name")]),
        ("name\nPickers\npickers \n", [(3, "name")]),
        ("name,infuence\nPickers,3\n", [(1, "infuence")]),
        ("kind\ngroup\n", [(1, "name")]),
    ],
    ids=[
        "bad-role",
        "bad-engagement",
        "level-above-5",
        "level-below-1",
        "level-not-a-number",
        "adkar-out-of-range",
        "bad-involvement",
        "bad-boolean",
        "unknown-group",
        "headcount-on-person",
        "champion-on-group",
        "bad-email",
        "missing-name",
        "duplicate-in-file",
        "unknown-column",
        "no-name-column",
    ],
)
def test_bad_rows_are_reported_by_row_and_column_and_nothing_is_written(
    client_as, engagement, csv_text, expected
):
    response = upload(client_as("member"), engagement, csv_text.encode())
    assert response.status_code == 200
    assert problems(response) == expected
    assert "preview" not in response.context
    assert not Stakeholder.objects.exists()


def test_every_problem_is_shown_at_once_and_good_rows_are_not_kept(client_as, engagement):
    content = (
        b"name,kind,role,influence,group\n"
        b"Good group,group,daily_user,3,\n"
        b"Bad role,group,janitor,3,\n"
        b"Bad level,group,daily_user,7,\n"
        b"Lost person,person,daily_user,3,Nowhere\n"
        b"Good person,person,daily_user,3,Good group\n"
    )
    response = upload(client_as("member"), engagement, content)
    assert problems(response) == [(3, "role"), (4, "influence"), (5, "group")]
    body = response.content.decode()
    assert "Nothing was imported: 3 problems" in body
    assert not Stakeholder.objects.exists()


def test_duplicate_of_an_existing_stakeholder_is_reported_not_merged(client_as, engagement):
    StakeholderFactory(engagement=engagement, name="Pickers", influence=2)
    response = upload(client_as("member"), engagement, b"name,influence\nPICKERS,5\nNew,3\n")
    assert problems(response) == [(2, "name")]
    assert "already exists" in response.content.decode()
    assert list(engagement.stakeholders.values_list("name", "influence")) == [("Pickers", 2)]


def test_person_may_join_a_group_already_in_the_engagement(client_as, engagement):
    group = StakeholderFactory(engagement=engagement, name="Shift leads")
    client = client_as("member")
    preview = upload(client, engagement, b"name,kind,group\nTom,person,shift leads\n")
    confirm(client, engagement, preview)
    assert engagement.stakeholders.get(name="Tom").group == group


def test_person_may_name_a_group_that_comes_later_in_the_file(client_as, engagement):
    client = client_as("member")
    preview = upload(client, engagement, b"name,kind,group\nTom,person,Leads\nLeads,group,\n")
    assert preview.context["problems"] == []
    confirm(client, engagement, preview)
    assert engagement.stakeholders.get(name="Tom").group.name == "Leads"


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"\x81\x8d\x8f name\n\x90\x9d\n", "s.csv", "encoding"),
        (b"n\x00a\x00m\x00e\x00\n\x00", "s.csv", "not plain text"),
        (b"   \n", "s.csv", "empty"),
        (b"name,kind\n\n\n", "s.csv", "no stakeholders"),
        (b"%PDF-1.4 not a sheet", "s.pdf", "not a CSV"),
        (b"\xd0\xcf\x11\xe0 old excel", "s.xls", "not a CSV"),
        (b"PK\x03\x04 broken zip", "s.xlsx", "could not be read"),
    ],
    ids=["bad-encoding", "utf16-or-binary", "blank", "header-only", "pdf", "xls", "broken-xlsx"],
)
def test_unreadable_files_are_refused_with_a_clear_message(
    client_as, engagement, content, name, message
):
    response = upload(client_as("member"), engagement, content, name=name)
    assert response.status_code == 200
    assert message in file_error(response)
    assert not Stakeholder.objects.exists()


def test_an_empty_upload_is_refused(client_as, engagement):
    response = upload(client_as("member"), engagement, b"")
    assert "empty" in file_error(response)


def test_oversize_file_is_refused(client_as, engagement):
    content = b"name\n" + b"x" * importing.MAX_FILE_BYTES
    response = upload(client_as("member"), engagement, content)
    assert "the limit is 2 MB" in file_error(response)
    assert not Stakeholder.objects.exists()


def test_too_many_rows_are_refused(client_as, engagement):
    rows = "".join(f"Group {n}\n" for n in range(importing.MAX_ROWS + 1))
    response = upload(client_as("member"), engagement, ("name\n" + rows).encode())
    assert "the limit is 2,000" in file_error(response)
    assert not Stakeholder.objects.exists()


def test_the_row_limit_itself_is_accepted(client_as, engagement):
    rows = "".join(f"Group {n}\n" for n in range(importing.MAX_ROWS))
    response = upload(client_as("member"), engagement, ("name\n" + rows).encode())
    assert len(response.context["preview"]) == importing.MAX_ROWS
    assert not Stakeholder.objects.exists()


@pytest.mark.parametrize(
    ("header", "column"),
    [
        ("Desired Engagement", "desired_engagement"),
        ("desired-engagement", "desired_engagement"),
        (" DESIRED_ENGAGEMENT ", "desired_engagement"),
        ("\ufeffname", "name"),
        ("ADKAR-Awareness", "adkar_awareness"),
        ("Is Champion", "is_champion"),
    ],
)
def test_headers_forgive_case_spaces_hyphens_and_underscores(header, column):
    assert importing.normalise_header(header) == column


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("yes", True),
        ("Y", True),
        ("TRUE", True),
        ("1", True),
        ("x", True),
        ("no", False),
        ("false", False),
        ("0", False),
        ("", None),
    ],
)
def test_boolean_cells(raw, value):
    assert importing._convert(importing.COLUMNS_BY_NAME["opposed_purchase"], raw) is value


def test_templates_list_every_column(client_as, engagement):
    client = client_as("viewer")
    csv_response = client.get(reverse("landscape_import_template", args=[engagement.id, "csv"]))
    header = csv_response.content.decode("utf-8-sig").strip().split(",")
    assert header == [column.name for column in importing.COLUMNS]
    assert "attachment" in csv_response["Content-Disposition"]
    xlsx_response = client.get(reverse("landscape_import_template", args=[engagement.id, "xlsx"]))
    workbook = load_workbook(io.BytesIO(xlsx_response.content))
    assert [c.value for c in workbook["Stakeholders"][1]] == header
    documented = [row[0] for row in workbook["Columns"].iter_rows(min_row=2, values_only=True)]
    assert documented == header


def test_the_template_imports_cleanly_when_filled(client_as, engagement):
    """Download the template, add a row, upload it: the round trip works."""
    client = client_as("member")
    response = client.get(reverse("landscape_import_template", args=[engagement.id, "xlsx"]))
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook["Stakeholders"]
    sheet.append({1: "leads", 2: "Shift leads", 3: "group", 4: "people_manager"})
    buffer = io.BytesIO()
    workbook.save(buffer)
    preview = upload(client, engagement, buffer.getvalue(), name="filled.xlsx")
    assert [s.name for s in preview.context["preview"]] == ["Shift leads"]


def test_one_windows_1252_line_is_reported_by_row_and_utf8_names_stay_right(client_as, engagement):
    content = "name\nZoë Clark\n".encode() + "Chloé Martin\n".encode("cp1252")

    response = upload(client_as("member"), engagement, content)

    assert problems(response) == [(3, "")]
    assert "not UTF-8" in response.context["problems"][0].message
    assert "preview" not in response.context
    assert not Stakeholder.objects.exists()


def test_a_wholly_windows_1252_file_says_so_in_the_preview(client_as, engagement):
    content = "name\nZoë Clark\n".encode("cp1252")

    response = upload(client_as("member"), engagement, content)

    assert [s.name for s in response.context["preview"]] == ["Zoë Clark"]
    assert "No line of this file is UTF-8 text" in response.content.decode()


def test_a_workbook_that_inflates_past_the_limit_is_refused_with_a_clear_message(
    client_as, engagement
):
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as crafted:
        crafted.writestr("xl/worksheets/sheet1.xml", b" " * (uploads.MAX_XLSX_MEMBER_BYTES + 1))

    response = upload(client_as("member"), engagement, archive.getvalue(), name="s.xlsx")

    assert "unpacks to" in file_error(response)
    assert not Stakeholder.objects.exists()
