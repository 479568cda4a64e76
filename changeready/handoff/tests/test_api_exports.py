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


def _documents_url(engagement):
    return f"/api/v1/engagements/{engagement.id}/documents"


def _prepare(client, engagement, fmt, **extra):
    return client.post(
        _documents_url(engagement), {"format": fmt, **extra}, content_type="application/json"
    )


@pytest.mark.parametrize(("fmt", "magic"), [("pdf", b"%PDF"), ("docx", b"PK")])
def test_a_large_playbook_is_prepared_by_a_post_then_downloaded(
    api_client_as, large, fmt, magic, django_capture_on_commit_callbacks
):
    client = api_client_as("member")
    # The GET queues nothing: 409, naming the POST that does.
    refused = _export(client, large, fmt)
    assert refused.status_code == 409
    body = refused.json()
    assert body["prepare_url"].endswith(_documents_url(large))
    assert body["document"] is None
    assert refused["Link"] == f'<{body["prepare_url"]}>; rel="prepare"'
    assert not PlaybookDocument.objects.exists()

    response = _prepare(client, large, fmt)
    assert response.status_code == 202
    body = response.json()
    document = PlaybookDocument.objects.get()
    assert (document.status, document.fmt) == ("queued", fmt)
    assert body["id"] == str(document.id)
    assert (body["status"], body["progress"], body["download_url"]) == ("queued", 0, None)
    assert response["Location"] == body["status_url"]
    assert body["status_url"].endswith(f"{_documents_url(large)}/{document.id}")
    # Asking again follows the same document; the export points at it, still 409.
    assert _prepare(client, large, fmt).json()["id"] == body["id"]
    pending = _export(client, large, fmt)
    assert pending.status_code == 409 and pending.json()["document"]["id"] == body["id"]
    assert PlaybookDocument.objects.count() == 1
    assert client.get(body["status_url"] + "/download").status_code == 404

    # The worker runs it (the immediate backend, once the queueing commits).
    PlaybookDocument.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        body = _prepare(client, large, fmt, version="internal").json()
    status = client.get(body["status_url"])
    assert status.status_code == 200
    ready = status.json()
    assert (ready["status"], ready["progress"]) == ("ready", 100)
    assert ready["download_url"] == body["status_url"] + "/download"
    stored = client.get(ready["download_url"])
    assert stored.status_code == 200 and stored.content.startswith(magic)
    assert stored["Content-Disposition"].startswith("attachment; filename=")
    # The export now serves the stored file, and asking again queues nothing.
    again = _export(api_client_as("viewer"), large, fmt)
    assert again.status_code == 200 and again.content == stored.content
    assert _prepare(client, large, fmt).json()["id"] == body["id"]
    assert PlaybookDocument.objects.count() == 1


def test_a_large_playbook_in_other_formats_stays_inline(api_client_as, large):
    response = _export(api_client_as("viewer"), large, "md")
    assert response.status_code == 200
    assert not PlaybookDocument.objects.exists()


@pytest.mark.parametrize("person", PEOPLE)
def test_only_writers_may_prepare_a_document(api_client_as, large, person):
    response = _prepare(api_client_as(person), large, "pdf")
    expected = {"anonymous": 401, "outsider": 404, "viewer": 403}.get(person, 202)
    assert response.status_code == expected
    assert PlaybookDocument.objects.exists() == (expected == 202)


@pytest.mark.parametrize(
    "payload",
    [{"format": "md"}, {"format": "pdf", "version": "board"}, {"format": "pdf", "fmt": "pdf"}],
)
def test_only_stored_formats_and_known_versions_are_prepared(api_client_as, large, payload):
    response = api_client_as("owner").post(
        _documents_url(large), payload, content_type="application/json"
    )
    assert response.status_code == 422
    assert not PlaybookDocument.objects.exists()


@pytest.mark.parametrize("person", PEOPLE)
def test_document_status_access(api_client_as, large, person):
    document = documents.request_document(large, "pdf")
    url = f"{_documents_url(large)}/{document.id}"
    expected = {"anonymous": 401, "outsider": 404}.get(person, 200)
    assert api_client_as(person).get(url).status_code == expected


def test_another_engagements_document_is_not_found(api_client_as, large, engagement):
    document = documents.request_document(large, "pdf")
    url = f"{_documents_url(engagement)}/{document.id}"
    assert api_client_as("owner").get(url).status_code == 404
    assert api_client_as("owner").get(url + "/download").status_code == 404


def test_the_customer_version_is_prepared_through_the_api_too(
    api_client_as, engagement, django_capture_on_commit_callbacks
):
    """Any engagement, small ones included: the way to the customer's PDF or Word file."""
    client = api_client_as("member")
    with django_capture_on_commit_callbacks(execute=True):
        response = _prepare(client, engagement, "docx", version="customer")
    assert response.status_code == 202
    assert response.json()["version"] == "customer"
    ready = client.get(response["Location"]).json()
    assert (ready["status"], ready["version"]) == ("ready", "customer")
    stored = client.get(ready["download_url"])
    assert stored.status_code == 200 and stored.content.startswith(b"PK")
    assert "-customer.docx" in stored["Content-Disposition"]
    document = PlaybookDocument.objects.get()
    assert (document.version, document.fmt) == ("customer", "docx")
