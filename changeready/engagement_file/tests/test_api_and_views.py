import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from changeready.conftest import PEOPLE, WRITERS
from changeready.engagements.models import Engagement
from changeready.landscape.models import Stakeholder

pytestmark = pytest.mark.django_db

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "northwind-wms.json"
IMPORT = "/api/v1/engagements/import"


def post_raw(client, body: bytes | str, content_type="application/json"):
    return client.post(IMPORT, data=body, content_type=content_type)


def test_import_returns_201_with_the_new_id(api_client_as, workspace):
    response = post_raw(api_client_as("member"), EXAMPLE.read_bytes())
    assert response.status_code == 201
    engagement = Engagement.objects.get(id=response.json()["id"])
    assert engagement.workspace == workspace
    assert engagement.stakeholders.count() == 5


def test_import_errors_are_422_with_paths_and_write_nothing(api_client_as):
    document = json.loads(EXAMPLE.read_text())
    document["stakeholders"][2]["influence"] = 7
    document["resistance"][0]["stakeholder"] = "nobody"
    response = post_raw(api_client_as("member"), json.dumps(document))
    assert response.status_code == 422
    body = response.json()
    assert body["message"]
    assert body["errors"] == [
        {"path": ["stakeholders", 2, "influence"], "message": "7 is greater than the maximum of 5"}
    ]
    assert not Engagement.objects.exists()


def test_non_json_body_is_422(api_client_as):
    response = post_raw(api_client_as("member"), b"name,customer\nx,y", content_type="text/csv")
    assert response.status_code == 422
    assert response.json()["errors"][0]["path"] == []


def test_body_over_the_limit_is_413_and_not_read(api_client_as, settings):
    settings.ENGAGEMENT_FILE_MAX_BYTES = 2048
    response = post_raw(api_client_as("member"), EXAMPLE.read_bytes())
    assert response.status_code == 413
    assert response.json()["max_bytes"] == 2048
    assert not Engagement.objects.exists()


def test_body_over_djangos_upload_limit_is_413(api_client_as, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    response = api_client_as("member").post(
        "/api/v1/engagements", {"name": "x" * 2000}, content_type="application/json"
    )
    assert response.status_code == 413
    assert response["Content-Type"].startswith("application/json")


def test_export_is_an_attachment(api_client_as, workspace):
    client = api_client_as("viewer")
    engagement_id = post_raw(api_client_as("owner"), EXAMPLE.read_bytes()).json()["id"]
    response = client.get(f"/api/v1/engagements/{engagement_id}/export", {"format": "json"})
    assert response.status_code == 200
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="warehouse-management-rollout.json"'
    )
    assert response.json()["engagement"]["name"] == "Warehouse management rollout"


def test_unknown_export_format_is_422(api_client_as, engagement):
    response = api_client_as("viewer").get(
        f"/api/v1/engagements/{engagement.id}/export?format=pdfx"
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["path"] == ["query", "format"]


def test_a_script_can_import_read_change_and_export(api_client_as):
    """The issue's acceptance: only documented endpoints, start to finish."""
    client = api_client_as("member")
    engagement_id = post_raw(client, EXAMPLE.read_bytes()).json()["id"]
    assert (
        client.get(f"/api/v1/engagements/{engagement_id}").json()["customer"]
        == "Northwind Logistics"
    )
    stakeholders = client.get(f"/api/v1/engagements/{engagement_id}/stakeholders").json()["items"]
    tom = next(s for s in stakeholders if s["name"] == "Tom Avery")
    response = client.patch(
        f"/api/v1/stakeholders/{tom['id']}",
        json.dumps({"engagement": "neutral"}),
        content_type="application/json",
        headers={"If-Match": str(tom["version"])},
    )
    assert response.status_code == 200
    exported = client.get(f"/api/v1/engagements/{engagement_id}/export?format=json").json()
    assert (
        next(s for s in exported["stakeholders"] if s["name"] == "Tom Avery")["engagement"]
        == "neutral"
    )


# --- the web pages ----------------------------------------------------------------


@pytest.mark.parametrize("person", PEOPLE)
def test_upload_imports_for_writers_only(client_as, person, workspace):
    upload = SimpleUploadedFile("northwind.json", EXAMPLE.read_bytes(), "application/json")
    response = client_as(person).post(
        reverse("engagement_import", args=[workspace.slug]), {"file": upload}
    )
    imported = Engagement.objects.filter(workspace=workspace).first()
    if person in WRITERS:
        assert response.status_code == 302
        assert response["Location"] == reverse("engagement", args=[imported.id])
    else:
        assert response.status_code in (302, 403, 404)
        assert imported is None


def test_upload_lists_every_error_by_path_and_writes_nothing(client_as, workspace):
    document = json.loads(EXAMPLE.read_text())
    document["stakeholders"][2]["influence"] = 7
    document["stakeholders"][4]["group"] = "nobody"
    del document["engagement"]["customer"]
    upload = SimpleUploadedFile("bad.json", json.dumps(document).encode(), "application/json")
    response = client_as("member").post(
        reverse("engagement_import", args=[workspace.slug]), {"file": upload}
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "engagement.customer" in page
    assert "stakeholders[2].influence" in page
    assert not Engagement.objects.exists()


def test_oversized_upload_is_refused(client_as, workspace, settings):
    settings.ENGAGEMENT_FILE_MAX_BYTES = 1024
    upload = SimpleUploadedFile("big.json", EXAMPLE.read_bytes(), "application/json")
    response = client_as("member").post(
        reverse("engagement_import", args=[workspace.slug]), {"file": upload}
    )
    assert response.status_code == 413
    assert not Engagement.objects.exists()


def test_workspace_home_offers_the_upload_to_writers_only(client_as, workspace):
    url = reverse("engagement_import", args=[workspace.slug])
    assert (
        url in client_as("member").get(reverse("workspace", args=[workspace.slug])).content.decode()
    )
    assert (
        url
        not in client_as("viewer").get(reverse("workspace", args=[workspace.slug])).content.decode()
    )


@pytest.mark.parametrize("person", PEOPLE)
def test_download_for_every_member_only(client_as, person, engagement):
    Stakeholder.objects.create(engagement=engagement, name="Pickers")
    response = client_as(person).get(reverse("engagement_export", args=[engagement.id]))
    if person in ("outsider", "anonymous"):
        assert response.status_code in (302, 404)
        return
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert json.loads(response.content)["stakeholders"][0]["name"] == "Pickers"


def test_engagement_page_links_the_download(client_as, engagement):
    page = client_as("viewer").get(reverse("engagement", args=[engagement.id])).content.decode()
    assert reverse("engagement_export", args=[engagement.id]) in page
