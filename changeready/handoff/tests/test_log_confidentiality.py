"""What the stakeholder log and the commitments let out of the team, and to whom.

Four made-up words no playbook would otherwise contain mark four records:
an internal log entry (in no document at all), a shared log entry (in every
document that carries the log, both versions), an internal commitment (the
internal version only) and a commitment the customer may read (both).
"""

import io
import zipfile
from datetime import date

import pytest
from django.urls import reverse
from pypdf import PdfReader

from changeready.engagement_file.exporting import export_engagement
from changeready.handoff import services as handoff_services
from changeready.handoff.documents import STORED_FORMATS
from changeready.handoff.views import DOWNLOADS
from changeready.landscape import services

pytestmark = pytest.mark.django_db

INTERNAL_NOTE = "Quarvelline"
SHARED_NOTE = "Brindlewick"
INTERNAL_PROMISE = "Zorbatic"
SHARED_PROMISE = "Plimsoller"

# The downloads that carry the log and the commitments; the plan and
# stakeholder tables and the calendar carry neither.
CARRY_LOG = {("pdf", ""), ("docx", ""), ("md", ""), ("xlsx", ""), ("csv", "log")}
CARRY_COMMITMENTS = {("pdf", ""), ("docx", ""), ("md", ""), ("xlsx", ""), ("csv", "commitments")}


@pytest.fixture
def logged(northwind, owner):
    tom = northwind.stakeholders.get(name="Tom Avery")
    entry = services.create_log_entry(
        tom,
        actor=owner,
        kind="meeting",
        date=date(2026, 2, 12),
        participants=f"Tom Avery, {INTERNAL_NOTE} Ames",
        summary=f"Tom fears {INTERNAL_NOTE} slotting will cost his bonus.",
    )
    services.create_log_entry(
        tom,
        actor=owner,
        kind="email",
        date=date(2026, 2, 13),
        summary=f"Sent the {SHARED_NOTE} schedule to the shift leads.",
        internal=False,
    )
    services.create_commitment(
        tom,
        actor=owner,
        text=f"{INTERNAL_PROMISE} bonus review",
        owner="Marcus Webb",
        log_entry=entry,
        internal=True,
    )
    services.create_commitment(
        tom, actor=owner, text=f"{SHARED_PROMISE} slotting rules", owner="Tom Avery"
    )
    return northwind


def readable(content: bytes) -> str:
    """The text of a download, whatever its format."""
    if content.startswith(b"%PDF"):
        return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    if content.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return " ".join(
                archive.read(name).decode("utf-8", "replace") for name in archive.namelist()
            )
    return content.decode()


def check(text: str, version: str, what: tuple[str, str] | None) -> None:
    """`what` is the download (format, table), None for an HTML page (which carries all)."""
    assert INTERNAL_NOTE not in text, what
    assert (SHARED_NOTE in text) == (what is None or what in CARRY_LOG), what
    carries_commitments = what is None or what in CARRY_COMMITMENTS
    assert (SHARED_PROMISE in text) == carries_commitments, what
    assert (INTERNAL_PROMISE in text) == (carries_commitments and version == "internal"), what


@pytest.mark.parametrize("version", ["customer", "internal"])
def test_the_share_page_and_its_downloads(
    client, logged, owner, version, django_capture_on_commit_callbacks
):
    link = handoff_services.create_share_link(logged, created_by=owner, days=30, version=version)
    token = handoff_services.share_token(link)
    page = client.get(reverse("share", args=[token])).content.decode()
    assert "Northwind" in page
    check(page, version, None)
    for fmt in STORED_FORMATS:  # a share link's PDF and Word are made by the worker
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("share_documents", args=[token]), {"fmt": fmt})
    for fmt, table, _label in DOWNLOADS:
        response = client.get(
            reverse("share_download", args=[token, fmt]), {"table": table} if table else {}
        )
        assert response.status_code == 200, fmt
        text = readable(response.content)
        assert len(text) > 100, fmt  # the text was read, so an absence tells
        check(text, version, (fmt, table))


@pytest.mark.parametrize("version", ["customer", "internal"])
def test_the_teams_playbook_downloads(client_as, logged, version):
    client = client_as("owner")
    for fmt, table, _label in DOWNLOADS:
        query = {"version": version, **({"table": table} if table else {})}
        response = client.get(reverse("handoff_download", args=[logged.id, fmt]), query)
        assert response.status_code == 200, fmt
        text = readable(response.content)
        assert len(text) > 100, fmt
        check(text, version, (fmt, table))


def test_the_handoff_page_shows_the_internal_version(client_as, logged):
    page = client_as("viewer").get(reverse("handoff", args=[logged.id])).content.decode()
    assert 'id="pb-commitments"' in page
    check(page, "internal", None)


def test_the_customer_version_names_no_resisting_person_in_the_log(client_as, logged):
    """Tom Avery resists: the customer's version calls him by his role, in the log too."""
    response = client_as("owner").get(
        reverse("handoff_download", args=[logged.id, "md"]), {"version": "customer"}
    )
    text = response.content.decode()
    assert SHARED_NOTE in text
    assert "Tom Avery" not in text


def test_the_engagement_file_carries_no_log(logged):
    text = repr(export_engagement(logged))
    assert INTERNAL_NOTE not in text
    assert SHARED_NOTE not in text
