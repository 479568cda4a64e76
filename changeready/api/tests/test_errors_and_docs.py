import re

import pytest
from django.apps import apps
from django.db.models import TextField
from django.test import Client

from changeready.api.schemas import YEARS_PATTERN, InputSchema
from changeready.common.text import MULTI_LINE_PATTERN, SINGLE_LINE_PATTERN, text_problem

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


# The public API's operations (the domain reference, section 9) that other
# tools rely on; the schema may document more.
CONTRACT_OPERATIONS = {
    ("GET", "/api/v1/engagements"),
    ("POST", "/api/v1/engagements"),
    ("GET", "/api/v1/engagements/{engagement_id}"),
    ("PATCH", "/api/v1/engagements/{engagement_id}"),
    ("DELETE", "/api/v1/engagements/{engagement_id}"),
    ("GET", "/api/v1/engagements/{engagement_id}/stakeholders"),
    ("POST", "/api/v1/engagements/{engagement_id}/stakeholders"),
    ("GET", "/api/v1/stakeholders/{stakeholder_id}"),
    ("PATCH", "/api/v1/stakeholders/{stakeholder_id}"),
    ("DELETE", "/api/v1/stakeholders/{stakeholder_id}"),
    ("GET", "/api/v1/engagements/{engagement_id}/resistance"),
    ("POST", "/api/v1/engagements/{engagement_id}/resistance"),
    ("GET", "/api/v1/resistance/{resistance_id}"),
    ("PATCH", "/api/v1/resistance/{resistance_id}"),
    ("DELETE", "/api/v1/resistance/{resistance_id}"),
    ("POST", "/api/v1/engagements/{engagement_id}/plan/generate"),
    ("GET", "/api/v1/engagements/{engagement_id}/plan"),
    ("POST", "/api/v1/engagements/{engagement_id}/plan/items"),
    ("PATCH", "/api/v1/plan-items/{item_id}"),
    ("DELETE", "/api/v1/plan-items/{item_id}"),
    ("POST", "/api/v1/engagements/{engagement_id}/surveys"),
    ("GET", "/api/v1/surveys/{survey_id}"),
    ("POST", "/api/v1/engagements/import"),
    ("GET", "/api/v1/engagements/{engagement_id}/export"),
    ("GET", "/api/v1/engagements/{engagement_id}/assessment"),
    ("GET", "/api/v1/portfolio"),
    ("POST", "/api/v1/engagements/{engagement_id}/usage/events"),
    ("GET", "/api/v1/engagements/{engagement_id}/usage"),
    ("GET", "/api/v1/engagements/{engagement_id}/kpis"),
    ("POST", "/api/v1/engagements/{engagement_id}/kpis"),
    ("PATCH", "/api/v1/kpis/{kpi_id}"),
    ("DELETE", "/api/v1/kpis/{kpi_id}"),
}
# Events may also be sent with an engagement's write-only ingestion token.
EVENTS_OPERATION = ("post", "/api/v1/engagements/{engagement_id}/usage/events")


def test_openapi_schema_documents_every_operation():
    schema = Client().get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    operations = [
        (method, path, op)
        for path, methods in schema["paths"].items()
        for method, op in methods.items()
    ]
    documented = {(method.upper(), path) for method, path, _ in operations}
    assert documented >= CONTRACT_OPERATIONS, CONTRACT_OPERATIONS - documented
    for method, path, op in operations:
        statuses = set(op["responses"])
        assert {"401", "422", "429"} <= {str(s) for s in statuses}, (method, path)
        assert "Retry-After" in op["responses"]["429"]["headers"], (method, path)
        if method != "get":
            assert "403" in {str(s) for s in statuses}, (method, path)
        expected = "EventSenderAuth" if (method, path) == EVENTS_OPERATION else "TokenAuth"
        assert op["security"] == [{expected: []}], (method, path)
    assert "EngagementFile" in schema["components"]["schemas"]


def test_docs_page_uses_local_scripts_only():
    response = Client().get("/api/v1/docs")
    assert response.status_code == 200
    page = response.content.decode()
    assert "cdn" not in page.lower()
    assert "/static/ninja/swagger-ui-bundle.js" in page
    # No inline script to run: the settings are a JSON data block.
    assert "<script>" not in page


def test_unknown_query_parameter_is_422(api_client_as):
    response = api_client_as("owner").get("/api/v1/engagements?limt=10")
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"path": ["query", "limt"], "message": "Unknown query parameter."}
    ]


def test_unknown_query_parameter_without_token_is_still_401(db):
    assert Client().get("/api/v1/engagements?limt=10").status_code == 401


def _number_schemas(node):
    if isinstance(node, dict):
        if node.get("type") in ("integer", "number"):
            yield node
        for value in node.values():
            yield from _number_schemas(value)
    elif isinstance(node, list):
        for value in node:
            yield from _number_schemas(value)


def test_openapi_numeric_bounds_use_json_schema_keywords():
    schema = Client().get("/api/v1/openapi.json").json()
    numbers = list(_number_schemas(schema))
    assert not [n for n in numbers if {"ge", "le", "gt", "lt"} & set(n)]
    influence = schema["components"]["schemas"]["StakeholderIn"]["properties"]["influence"]
    assert (influence["minimum"], influence["maximum"]) == (1, 5)


def _openapi():
    return Client().get("/api/v1/openapi.json").json()


def _text_pattern(node):
    """The pattern of a string property, through `anyOf` (a nullable field)."""
    options = [node, *node.get("anyOf", [])]
    return next(o["pattern"] for o in options if o.get("type") == "string" and "pattern" in o)


def test_openapi_text_says_single_or_multi_line_as_the_model_stores_it():
    components = _openapi()["components"]["schemas"]
    for name in ("StakeholderIn", "StakeholderPatch"):
        properties = components[name]["properties"]
        assert _text_pattern(properties["name"]) == SINGLE_LINE_PATTERN
        for field in ("notes", "success_definition", "resistance_triggers"):
            assert _text_pattern(properties[field]) == MULTI_LINE_PATTERN, (name, field)
    file_properties = components["EngagementFile"]["properties"]
    file_stakeholder = file_properties["stakeholders"]["items"]["properties"]
    assert _text_pattern(file_stakeholder["name"]) == SINGLE_LINE_PATTERN
    assert _text_pattern(file_stakeholder["notes"]) == MULTI_LINE_PATTERN
    # Its own formats stay theirs; dates gain the years the app accepts.
    assert "pattern" not in components["StakeholderIn"]["properties"]["email"]["anyOf"][0]
    assert file_stakeholder["adkar_assessed_on"]["pattern"] == YEARS_PATTERN


@pytest.mark.parametrize(
    ("text", "accepted"),
    [("Line one", True), ("Tab\tand\nbreak", True), ("bell\x07", False), ("del\x7f", False)],
)
def test_the_patterns_accept_what_the_input_check_accepts(text, accepted):
    assert (re.search(MULTI_LINE_PATTERN, text) is not None) is accepted
    assert (text_problem(text, multiline=True) is None) is accepted
    one_line = "\t" not in text and "\n" not in text
    assert (re.search(SINGLE_LINE_PATTERN, text) is not None) is (accepted and one_line)
    assert (text_problem(text, multiline=False) is None) is (accepted and one_line)


def test_a_line_break_is_refused_in_a_name_and_kept_in_notes(api_client_as, engagement):
    api = api_client_as("owner")
    url = f"/api/v1/engagements/{engagement.id}/stakeholders"
    refused = api.post(url, {"name": "Pickers\nnight shift"}, content_type="application/json")
    assert refused.status_code == 422
    assert [e["path"] for e in refused.json()["errors"]] == [["name"]]
    kept = api.post(
        url, {"name": "Pickers", "notes": "Night shift\nstarts at 22:00"}, "application/json"
    )
    assert kept.status_code == 201, kept.content
    assert kept.json()["notes"] == "Night shift\nstarts at 22:00"


def test_an_arr_with_more_than_cents_is_rounded_not_refused(api_client_as, engagement):
    response = api_client_as("owner").patch(
        f"/api/v1/engagements/{engagement.id}",
        {"arr": 452354871226.49005},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    engagement.refresh_from_db()
    assert str(engagement.arr) == "452354871226.49"


def _input_schemas(cls=InputSchema):
    for subclass in cls.__subclasses__():
        yield subclass
        yield from _input_schemas(subclass)


# Fields named like a multi-line text elsewhere that their own model stores on one line.
SINGLE_LINE_NAMESAKES = {
    ("WebhookIn", "description"),
    ("WebhookPatch", "description"),
    # A commitment is one line; a portal comment's `text` is the multi-line namesake.
    ("CommitmentIn", "text"),
    ("CommitmentPatch", "text"),
}


def test_text_the_models_store_multi_line_is_multi_line_in_the_api():
    import changeready.web.api  # noqa: F401 (every router, so every input schema)

    multi_line = {
        field.name
        for model in apps.get_models()
        if model.__module__.startswith("changeready.")
        for field in model._meta.concrete_fields
        if isinstance(field, TextField)
    }
    schemas = list(_input_schemas())
    assert len(schemas) > 20
    for schema in schemas:
        for name in schema.model_fields:
            expected = name in multi_line and (schema.__name__, name) not in SINGLE_LINE_NAMESAKES
            assert (name in schema.multiline_fields) is expected, (schema.__name__, name)
