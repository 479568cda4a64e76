import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/v1/no-such-thing"),
        ("get", "/api/v1/engagements/"),
        ("post", "/api/v2/engagements"),
        ("get", "/api/"),
        ("delete", "/api/v1/engagements/00000000-0000-0000-0000-000000000000/nothing"),
    ],
)
def test_unknown_routes_under_api_are_json_404(method, path):
    response = getattr(Client(), method)(path)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"message": "Not found."}


def test_wrong_method_is_json_405(api_client_as):
    response = api_client_as("owner").put("/api/v1/engagements")
    assert response.status_code == 405
    assert response.json()["message"]
    assert "GET" in response["Allow"]


def test_unknown_id_is_404_json(api_client_as):
    response = api_client_as("owner").get(
        "/api/v1/stakeholders/00000000-0000-0000-0000-000000000000"
    )
    assert response.status_code == 404
    assert response.json() == {"message": "Not found."}


def test_malformed_id_is_422_with_its_path(api_client_as):
    response = api_client_as("owner").get("/api/v1/engagements/not-a-uuid")
    assert response.status_code == 422
    assert response.json()["errors"][0]["path"] == ["path", "engagement_id"]


def test_invalid_json_body_is_422(api_client_as):
    response = api_client_as("owner").post(
        "/api/v1/engagements", "{oops", content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [{"path": [], "message": "The body is not valid JSON."}]


def test_a_server_error_is_json_500(api_client_as, monkeypatch):
    from changeready.engagements.models import Engagement

    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(Engagement.objects, "for_workspace", explode, raising=False)
    monkeypatch.setattr(type(Engagement.objects.all()), "for_workspace", explode)
    response = api_client_as("owner").get("/api/v1/engagements")
    assert response.status_code == 500
    assert response.json() == {"message": "Internal server error."}


def test_openapi_schema_documents_every_operation():
    schema = Client().get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    operations = [
        (method, path, op)
        for path, methods in schema["paths"].items()
        for method, op in methods.items()
    ]
    assert len(operations) == 18  # 17 on the api branch, plus GET /portfolio
    for method, path, op in operations:
        statuses = set(op["responses"])
        assert {"401", "422"} <= {str(s) for s in statuses}, (method, path)
        if method != "get":
            assert "403" in {str(s) for s in statuses}, (method, path)
        assert op["security"] == [{"TokenAuth": []}]
    assert "EngagementFile" in schema["components"]["schemas"]


def test_docs_page_uses_local_scripts_only():
    response = Client().get("/api/v1/docs")
    assert response.status_code == 200
    page = response.content.decode()
    assert "cdn" not in page.lower()
    assert "/static/ninja/swagger-ui-bundle.js" in page
    # No inline script to run: the settings are a JSON data block.
    assert "<script>" not in page
