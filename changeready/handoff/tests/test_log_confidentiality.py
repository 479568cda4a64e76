"""The stakeholder log never leaves the team: not on the share page, not in any export."""

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

SECRET = "Quarvelline"  # a word no playbook would otherwise contain


@pytest.fixture
def logged(northwind, owner):
    tom = northwind.stakeholders.get(name="Tom Avery")
    entry = services.create_log_entry(
        tom,
        actor=owner,
        kind="meeting",
        date=date(2026, 2, 12),
        participants=f"Tom Avery, {SECRET} Ames",
        summary=f"Tom fears {SECRET} slotting will cost his bonus.",
    )
    services.create_commitment(
        tom, actor=owner, text=f"{SECRET} rules owned by Tom", owner="Tom Avery", log_entry=entry
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


@pytest.mark.parametrize("version", ["customer", "internal"])
def test_the_log_is_absent_from_the_share_page_and_its_downloads(client, logged, owner, version):
    link = handoff_services.create_share_link(logged, created_by=owner, days=30, version=version)
    token = handoff_services.share_token(link)
    page = client.get(reverse("share", args=[token])).content.decode()
    assert "Northwind" in page
    assert SECRET not in page
    for fmt, table, _label in DOWNLOADS:
        if version == "internal" and fmt in STORED_FORMATS:
            continue  # served from stored documents, rendered by the same exporter as below
        response = client.get(
            reverse("share_download", args=[token, fmt]), {"table": table} if table else {}
        )
        assert response.status_code == 200, fmt
        text = readable(response.content)
        assert len(text) > 200, fmt  # the text was read, so the secret's absence tells
        assert SECRET not in text, fmt


@pytest.mark.parametrize("version", ["customer", "internal"])
def test_the_log_is_absent_from_the_teams_playbook_downloads(client_as, logged, version):
    client = client_as("owner")
    for fmt, table, _label in DOWNLOADS:
        query = {"version": version, **({"table": table} if table else {})}
        response = client.get(reverse("handoff_download", args=[logged.id, fmt]), query)
        assert response.status_code == 200, fmt
        text = readable(response.content)
        assert len(text) > 200, fmt
        assert SECRET not in text, fmt


def test_the_log_is_absent_from_the_engagement_file(logged):
    assert SECRET not in repr(export_engagement(logged))
