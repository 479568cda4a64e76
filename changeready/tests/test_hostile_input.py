"""Hostile text everywhere, then every page and export: no answer is a server error.

Control characters, NUL, lone surrogates, line breaks and 10,000-character
strings go into every text field of the engagement file import and of the
API's write operations (each field of each body in the OpenAPI schema, one at
a time). What is refused must be refused as bad input (4xx); what is accepted
stays, and then every page the engagement has (found from the URL patterns)
and every export is rendered for its owner.
"""

import copy
import itertools
import json
from pathlib import Path

import pytest
from django.test import Client
from django.urls import NoReverseMatch, get_resolver, reverse
from django.urls.resolvers import URLResolver

from changeready.engagements.models import Engagement
from changeready.handoff.exports import EXPORT_FORMATS
from changeready.handoff.services import create_share_link, share_url
from changeready.landscape.models import ResistancePoint, Stakeholder
from changeready.planning.models import AdoptionTarget, PlanItem
from changeready.surveys.models import Survey

pytestmark = pytest.mark.django_db

EXAMPLE = (
    Path(__file__).resolve().parents[1] / "engagement_file" / "examples" / "northwind-wms.json"
)
HOSTILE = {
    "nul": "Ops\x00team",
    "control": "Ops\x0bteam\x1b[31m",
    "surrogate": "Ops\ud800team",
    "line break": "Ops\r\nteam",
    "tab": "Ops\tteam",
    "long": "x" * 10_000,
}
# The text an accepted value of each kind leaves behind, to find it on the pages.
PLAN_ITEM = {
    "week": 1,
    "title": "Floor walk",
    "description": "Coach the night shift.",
    "kind": "coaching",
    "owner_role": "customer_admin",
    "owner": "Sam",
    "audience": [],
}


def example_document() -> dict:
    document = json.loads(EXAMPLE.read_text())
    document.setdefault("plan", {}).setdefault("items", []).append(dict(PLAN_ITEM))
    return document


def text_paths(document, path=()):
    """The path of the first occurrence of every text field (one per list element shape)."""
    seen = set()
    for found in _texts(document, path):
        shape = tuple("*" if isinstance(part, int) else part for part in found)
        if shape not in seen:
            seen.add(shape)
            yield found


def _texts(value, path):
    if isinstance(value, str):
        yield path
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _texts(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _texts(item, (*path, index))


def with_value(document, path, value):
    changed = copy.deepcopy(document)
    target = changed
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    return changed


def post_json(client, url, body, method="post"):
    send = client.post if method == "post" else client.patch
    return send(url, data=json.dumps(body), content_type="application/json")


@pytest.fixture
def api(api_client_as):
    return api_client_as("owner")


def test_the_engagement_file_import_never_answers_a_server_error(api):
    document = example_document()
    outcomes = {}
    for path, (kind, value) in itertools.product(text_paths(document), HOSTILE.items()):
        candidate = with_value(document, path, value)
        response = post_json(api, "/api/v1/engagements/import", candidate)
        assert response.status_code < 500, (path, kind)
        outcomes[path, kind] = response.status_code
        if response.status_code == 201:
            document = candidate  # what was accepted stays, for the pages below
    # Refusals are input errors; NUL and lone surrogates are refused everywhere.
    assert set(outcomes.values()) <= {201, 422}
    assert {status for (_, kind), status in outcomes.items() if kind in ("nul", "surrogate")} == {
        422
    }
    response = post_json(api, "/api/v1/engagements/import", document)
    assert response.status_code == 201

    _every_page_and_export_renders(Engagement.objects.get(id=response.json()["id"]))


# --- the API's write operations, field by field ---------------------------------


def _schema_of(schema, node):
    if "$ref" in node:
        return schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    return node


def _text_fields(schema, body_schema):
    """(path, ...) of every text property of a body, one level of nesting included."""
    for name, prop in body_schema.get("properties", {}).items():
        options = [_schema_of(schema, option) for option in prop.get("anyOf", [prop])]
        for option in options:
            if option.get("type") == "string" and "enum" not in option and "format" not in option:
                yield (name,)
            elif option.get("type") == "object":
                for nested in _text_fields(schema, option):
                    yield (name, *nested)


def _nest(path, value):
    return {path[0]: value} if len(path) == 1 else {path[0]: _nest(path[1:], value)}


@pytest.fixture
def imported(api, workspace):
    response = post_json(api, "/api/v1/engagements/import", example_document())
    assert response.status_code == 201
    engagement = Engagement.objects.get(id=response.json()["id"])
    assert post_json(api, f"/api/v1/engagements/{engagement.id}/plan/generate", {}).status_code in (
        200,
        201,
    )
    return engagement


def _path_ids(engagement) -> dict:
    first = {
        "engagement_id": engagement,
        "stakeholder_id": Stakeholder.objects.filter(engagement=engagement).first(),
        "resistance_id": ResistancePoint.objects.filter(engagement=engagement).first(),
        "item_id": PlanItem.objects.filter(engagement=engagement).first(),
        "target_id": AdoptionTarget.objects.filter(engagement=engagement).first(),
    }
    return {name: str(row.id) for name, row in first.items() if row is not None}


def _base_bodies(engagement) -> dict:
    stakeholder = Stakeholder.objects.filter(engagement=engagement).first()
    return {
        "EngagementIn": {"name": "Rollout", "customer": "Acme", "go_live_date": "2027-04-05"},
        "StakeholderIn": {"name": "Fuzzed group"},
        "ResistanceIn": {"stakeholder": str(stakeholder.id), "source": "habit"},
        "PlanItemIn": dict(PLAN_ITEM),
        "SurveyIn": {"stakeholders": [str(stakeholder.id)]},
    }


def test_every_text_field_of_the_api_never_answers_a_server_error(api, imported):
    schema = api.get("/api/v1/openapi.json").json()
    ids = _path_ids(imported)
    bases = _base_bodies(imported)
    tried = 0
    for url, operations in schema["paths"].items():
        for method, operation in operations.items():
            body = operation.get("requestBody", {}).get("content", {}).get("application/json")
            if method not in ("post", "patch") or body is None or "$ref" not in body["schema"]:
                continue
            name = body["schema"]["$ref"].rsplit("/", 1)[-1]
            if method == "post" and name not in bases:
                continue
            try:
                concrete = url.format(**ids)
            except KeyError:
                continue
            for path in _text_fields(schema, _schema_of(schema, body["schema"])):
                for kind, value in HOSTILE.items():
                    payload = {**bases.get(name, {}), **_nest(path, value)}
                    if name == "StakeholderIn" and path != ("name",):
                        payload["name"] = f"Fuzzed {tried}"
                    response = post_json(api, concrete.removeprefix("/api/v1"), payload, method)
                    assert response.status_code < 500, (method, url, path, kind)
                    tried += 1
    assert tried > 200  # every write operation's text fields were reached

    _every_page_and_export_renders(imported)


# --- every page and export of the engagement -------------------------------------


def _patterns(resolver, prefix=""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if "api" in str(pattern.pattern):
                continue
            yield from _patterns(pattern, prefix + str(pattern.pattern))
        elif pattern.name:
            yield pattern


def _ids(rows, count=2) -> list[str]:
    return [str(row.id) for row in rows[:count]]


def _page_arguments(engagement) -> dict[str, list[str]]:
    link = create_share_link(engagement, created_by=None, days=7)
    return {
        "engagement_id": [str(engagement.id)],
        "slug": [engagement.workspace.slug],
        "stakeholder_id": _ids(Stakeholder.objects.filter(engagement=engagement)),
        "point_id": _ids(ResistancePoint.objects.filter(engagement=engagement)),
        "item_id": _ids(PlanItem.objects.filter(engagement=engagement)),
        "target_id": _ids(AdoptionTarget.objects.filter(engagement=engagement)),
        "survey_id": _ids(Survey.objects.filter(engagement=engagement)),
        "fmt": list(EXPORT_FORMATS),
        "file_type": ["csv", "xlsx"],
        "token": [share_url(link).rstrip("/").rsplit("/", 1)[-1]],
    }


def _every_page_and_export_renders(engagement):
    client = Client()
    client.force_login(engagement.workspace.memberships.get(role="owner").user)
    arguments = _page_arguments(engagement)
    rendered = []
    for pattern in _patterns(get_resolver()):
        names = list(pattern.pattern.converters)
        if not names or any(name not in arguments for name in names):
            continue
        for values in itertools.product(*(arguments[name] for name in names)):
            try:
                url = reverse(pattern.name, kwargs=dict(zip(names, values, strict=True)))
            except NoReverseMatch:  # a value this pattern's converters refuse
                continue
            for query in ({}, {"table": "stakeholders"}) if "fmt" in names else ({},):
                response = client.get(url, query)
                assert response.status_code < 500, url
                rendered.append((pattern.name, response.status_code))
    pages = {name for name, status in rendered if status == 200}
    assert {"engagement", "landscape", "assessment", "plan", "handoff", "share"} <= pages
    assert {"handoff_download", "share_download", "engagement_export"} <= pages
