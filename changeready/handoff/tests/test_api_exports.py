"""The playbook formats are served by the API's export endpoint too."""

import pytest

from changeready.conftest import PEOPLE
from changeready.handoff import documents
from changeready.handoff.models import PlaybookDocument
from changeready.landscape.tests.factories import StakeholderFactory

FORMATS = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "md": "text/markdown; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ics": "text/calendar; charset=utf-8",
}


@pytest.mark.parametrize(("fmt", "content_type"), FORMATS.items())
def test_each_playbook_format_downloads_through_the_api(
    api_client_as, engagement, fmt, content_type
):
    StakeholderFactory(engagement=engagement, name="Pickers and packers")
    response = api_client_as("viewer").get(
        f"/api/v1/engagements/{engagement.id}/export", {"format": fmt}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert "-playbook" in response["Content-Disposition"]
    assert len(response.content) > 0
    if fmt == "md":
        assert "Pickers and packers" in response.content.decode()


@pytest.mark.parametrize("person", PEOPLE)
def test_playbook_export_access(api_client_as, engagement, person):
    response = api_client_as(person).get(
        f"/api/v1/engagements/{engagement.id}/export", {"format": "md"}
    )
    assert response.status_code == {"anonymous": 401, "outsider": 404}.get(person, 200)


def test_unknown_format_is_a_422(api_client_as, engagement):
    response = api_client_as("owner").get(
        f"/api/v1/engagements/{engagement.id}/export", {"format": "pptx"}
    )
    assert response.status_code == 422


@pytest.fixture
def large(northwind, monkeypatch):
    """Northwind, counted as large: one stakeholder over the line."""
    monkeypatch.setattr(
        documents, "LARGE_PLAYBOOK_STAKEHOLDERS", northwind.stakeholders.count() - 1
    )
    return northwind


def _export(client, engagement, fmt):
    return client.get(f"/api/v1/engagements/{engagement.id}/export", {"format": fmt})


@pytest.mark.parametrize(("fmt", "magic"), [("pdf", b"%PDF"), ("docx", b"PK")])
def test_a_large_playbook_is_made_by_the_worker_then_downloaded(
    api_client_as, large, fmt, magic, django_capture_on_commit_callbacks
):
    client = api_client_as("viewer")
    # Queued, not rendered in the request: 202 with where to follow it.
    response = _export(client, large, fmt)
    assert response.status_code == 202
    body = response.json()
    document = PlaybookDocument.objects.get()
    assert (document.status, document.fmt) == ("queued", fmt)
    assert body["id"] == str(document.id)
    assert (body["status"], body["progress"], body["download_url"]) == ("queued", 0, None)
    assert response["Location"] == body["status_url"]
    assert body["status_url"].endswith(f"/api/v1/engagements/{large.id}/documents/{document.id}")
    # Asking again follows the same document, and its download waits for it.
    assert _export(client, large, fmt).json()["id"] == body["id"]
    assert PlaybookDocument.objects.count() == 1
    download = body["status_url"] + "/download"
    assert client.get(download).status_code == 404

    # The worker runs it (the immediate backend, once the queueing commits).
    PlaybookDocument.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        body = _export(client, large, fmt).json()
    status = client.get(body["status_url"])
    assert status.status_code == 200
    ready = status.json()
    assert (ready["status"], ready["progress"]) == ("ready", 100)
    assert ready["download_url"] == body["status_url"] + "/download"
    stored = client.get(ready["download_url"])
    assert stored.status_code == 200 and stored.content.startswith(magic)
    assert stored["Content-Disposition"].startswith("attachment; filename=")
    # The export itself now serves the stored file, rendering nothing.
    again = _export(client, large, fmt)
    assert again.status_code == 200 and again.content == stored.content
    assert PlaybookDocument.objects.count() == 1


def test_a_large_playbook_in_other_formats_stays_inline(api_client_as, large):
    response = _export(api_client_as("viewer"), large, "md")
    assert response.status_code == 200
    assert not PlaybookDocument.objects.exists()


@pytest.mark.parametrize("person", PEOPLE)
def test_document_status_access(api_client_as, large, person):
    _export(api_client_as("owner"), large, "pdf")
    document = PlaybookDocument.objects.get()
    url = f"/api/v1/engagements/{large.id}/documents/{document.id}"
    expected = {"anonymous": 401, "outsider": 404}.get(person, 200)
    assert api_client_as(person).get(url).status_code == expected


def test_another_engagements_document_is_not_found(api_client_as, large, engagement):
    _export(api_client_as("owner"), large, "pdf")
    document = PlaybookDocument.objects.get()
    url = f"/api/v1/engagements/{engagement.id}/documents/{document.id}"
    assert api_client_as("owner").get(url).status_code == 404
    assert api_client_as("owner").get(url + "/download").status_code == 404
