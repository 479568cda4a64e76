"""Hostile text everywhere, then every page and export: no answer is a server error.

Control characters, NUL, lone surrogates, line breaks and 10,000-character
strings go into every text field of the engagement file import and of the
API's write operations (each field of each body in the OpenAPI schema, nested
objects and lists included, one at a time, into a body that is valid without
it). Every operation with a JSON body is reached, and so is every
`InputSchema`: a new endpoint without a valid body here fails the test. What is
refused must be refused as bad input (4xx); what is accepted stays, and then
every page the engagement has (found from the URL patterns) and every export is
rendered for its owner.
"""

import copy
import itertools
import json
from pathlib import Path

import pytest
from django.test import Client
from django.urls import NoReverseMatch, get_resolver, reverse
from django.urls.resolvers import URLResolver
from django.utils import timezone

from changeready.api.schemas import InputSchema
from changeready.engagement_templates.services import list_templates
from changeready.engagements.models import Engagement
from changeready.handoff.exports import EXPORT_FORMATS
from changeready.handoff.services import create_share_link, share_url
from changeready.integrations.models import WebhookEndpoint
from changeready.landscape.models import (
    Commitment,
    ResistancePoint,
    Stakeholder,
    StakeholderLogEntry,
)
from changeready.planning.models import AdoptionTarget, PlanItem
from changeready.surveys.models import Survey
from changeready.usage.models import Kpi

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
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json")


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


def _text_fields(schema, node, reached, path=()):
    """The path of every text in a body (a list's first element, nested objects
    included); the names of the schemas met go into `reached`."""
    if "$ref" in node:
        reached.add(node["$ref"].rsplit("/", 1)[-1])
        node = _schema_of(schema, node)
    options = node.get("anyOf") or node.get("allOf")
    if options:
        for option in options:
            yield from _text_fields(schema, option, reached, path)
        return
    kind = node.get("type")
    if kind == "string" and not {"enum", "format", "const"} & set(node):
        yield path
    elif kind == "array":
        yield from _text_fields(schema, node.get("items", {}), reached, (*path, 0))
    elif kind == "object" and "properties" in node:
        for name, prop in node["properties"].items():
            yield from _text_fields(schema, prop, reached, (*path, name))
    elif kind == "object":  # free-form (an event's properties): a value under a key
        yield (*path, "note")


def _with_text(body, path, value):
    """`body` with `value` at `path`, making the lists and objects on the way."""
    changed = copy.deepcopy(body)
    target = changed
    for part, following in zip(path, (*path[1:], None), strict=True):
        if following is None:
            child = value
        else:
            empty = [] if isinstance(following, int) else {}
            child = target[part] if _has(target, part) else empty
        if isinstance(part, int) and not _has(target, part):
            target.append(child)
        else:
            target[part] = child
        target = child
    return changed


def _has(target, part):
    return part < len(target) if isinstance(part, int) else part in target


def _ids(rows, count=2) -> list[str]:
    return [str(row.id) for row in rows[:count]]


def _first(rows) -> str | None:
    row = rows.first()
    return None if row is None else str(row.id)


@pytest.fixture
def imported(api, workspace, settings):
    settings.WEBHOOKS_ALLOW_LOCAL = True  # the webhook below stays disabled: nothing is sent
    response = post_json(api, "/api/v1/engagements/import", example_document())
    assert response.status_code == 201
    engagement = Engagement.objects.get(id=response.json()["id"])
    assert post_json(api, f"/api/v1/engagements/{engagement.id}/plan/generate", {}).status_code in (
        200,
        201,
    )
    stakeholder = Stakeholder.objects.filter(engagement=engagement).first()
    for url, body in (
        (f"/stakeholders/{stakeholder.id}/log", LOG_ENTRY),
        (f"/stakeholders/{stakeholder.id}/commitments", COMMITMENT),
        (f"/engagements/{engagement.id}/kpis", KPI),
        ("/webhooks", WEBHOOK),
    ):
        assert post_json(api, f"/api/v1{url}", body).status_code == 201, url
    return engagement


LOG_ENTRY = {"date": "2027-03-01", "participants": "Ann, Bo", "summary": "Walked the floor."}
COMMITMENT = {"text": "Send the rota", "owner": "Ann"}
KPI = {
    "name": "Pick rate",
    "unit": "picks/h",
    "target": 120,
    "measure": "event_count",
    "event": "pick",
    "values": [],
}
WEBHOOK = {"url": "http://127.0.0.1:9/in", "events": ["plan.generated"], "enabled": False}
CONTACT = {"name": "Ann", "email": "ann@example.com"}


def _path_ids(engagement) -> dict:
    stakeholders = Stakeholder.objects.filter(engagement=engagement)
    ids = {
        "engagement_id": str(engagement.id),
        "stakeholder_id": _first(stakeholders),
        "resistance_id": _first(ResistancePoint.objects.filter(engagement=engagement)),
        "item_id": _first(PlanItem.objects.filter(engagement=engagement)),
        "target_id": _first(AdoptionTarget.objects.filter(engagement=engagement)),
        "entry_id": _first(StakeholderLogEntry.objects.filter(engagement=engagement)),
        "commitment_id": _first(Commitment.objects.filter(engagement=engagement)),
        "kpi_id": _first(Kpi.objects.filter(engagement=engagement)),
        "webhook_id": _first(WebhookEndpoint.objects.filter(workspace=engagement.workspace)),
        "template_id": str(list_templates(engagement.workspace)[0].id),
    }
    return {name: value for name, value in ids.items() if value is not None}


def _base_bodies(engagement) -> dict:
    """A valid body of every write operation with required fields; the hostile
    text goes into it one field at a time."""
    stakeholders = Stakeholder.objects.filter(engagement=engagement)
    person = str(stakeholders.exclude(kind="group").first().id)
    group = str(stakeholders.filter(kind="group").first().id)
    now = timezone.now().isoformat()
    return {
        ("post", "/engagements"): {
            "name": "Rollout",
            "customer": "Acme",
            "go_live_date": "2027-04-05",
        },
        ("post", "/engagements/{engagement_id}/stakeholders"): {"name": "Fuzzed group"},
        ("post", "/engagements/{engagement_id}/resistance"): {
            "stakeholder": person,
            "source": "habit",
        },
        ("post", "/engagements/{engagement_id}/plan/items"): dict(PLAN_ITEM),
        ("post", "/engagements/{engagement_id}/plan/items/owners"): {
            "owner": "Sam",
            "filter": {"owner": "-"},
        },
        ("post", "/engagements/{engagement_id}/plan/actuals"): {
            "actuals": [{"stakeholder": group, "week": 1, "actual_pct": 10}]
        },
        ("post", "/engagements/{engagement_id}/surveys"): {
            "stakeholders": [person],
            "respondents": [CONTACT],
        },
        ("post", "/stakeholders/{stakeholder_id}/log"): LOG_ENTRY,
        ("post", "/stakeholders/{stakeholder_id}/commitments"): COMMITMENT,
        ("post", "/engagements/{engagement_id}/kpis"): KPI,
        ("post", "/engagements/{engagement_id}/documents"): {"format": "pdf"},
        ("put", "/engagements/{engagement_id}/usage/mapping"): {
            "rules": [
                {"group": group, "kind": "email_domain", "values": ["acme.com"]},
                {"group": group, "kind": "property", "property_name": "team", "values": ["a"]},
            ],
            "counts_as_use": [{"group": group, "events": ["pick"]}],
        },
        ("post", "/engagements/{engagement_id}/usage/events"): {
            "events": [
                {
                    "id": "e1",
                    "user": "u1",
                    "email": "u1@acme.com",
                    "event": "pick",
                    "timestamp": now,
                    "properties": {"team": "a"},
                }
            ]
        },
        ("post", "/templates/{template_id}/engagements"): {
            "customer": "Acme",
            "go_live_date": "2027-04-05",
            "sponsor": CONTACT,
            "delivery_lead": CONTACT,
        },
        ("post", "/engagements/{engagement_id}/template"): {"name": "Saved"},
        ("post", "/webhooks"): WEBHOOK,
    }


# The engagement file import walks its own example document (the test above).
FUZZED_ABOVE = {("post", "/engagements/import")}


def _input_schemas() -> set[str]:
    found, todo = set(), [InputSchema]
    while todo:
        for subclass in todo.pop().__subclasses__():
            found.add(subclass.__name__)
            todo.append(subclass)
    return found


def test_every_text_field_of_the_api_never_answers_a_server_error(api, imported):
    schema = api.get("/api/v1/openapi.json").json()
    ids = _path_ids(imported)
    bases = _base_bodies(imported)
    reached: set[str] = set()
    operations, outcomes = [], {}
    for url, methods in schema["paths"].items():
        for method, operation in methods.items():
            body = operation.get("requestBody", {}).get("content", {}).get("application/json")
            url = url.removeprefix("/api/v1")
            if body is None or (method, url) in FUZZED_ABOVE:
                continue
            operations.append((method, url))
            # An operation with required fields needs a valid body here: a new
            # endpoint cannot be left out silently.
            body_schema = _schema_of(schema, body["schema"])
            assert (method, url) in bases or not body_schema.get("required"), (method, url)
            base = bases.get((method, url), {})
            concrete = "/api/v1" + url.format(**ids)
            response = post_json(api, concrete, base, method)
            assert response.status_code < 400, (method, url, response.content[:300])
            for path in _text_fields(schema, body["schema"], reached):
                for kind, value in HOSTILE.items():
                    payload = _with_text(base, path, value)
                    if method == "post" and url.endswith("/stakeholders") and path != ("name",):
                        payload["name"] = f"Fuzzed {len(outcomes)}"
                    response = post_json(api, concrete, payload, method)
                    assert response.status_code < 500, (method, url, path, kind)
                    if kind in ("nul", "surrogate"):  # refused, or the event rejected
                        assert response.status_code == 422 or (
                            response.status_code == 202 and response.json()["accepted"] == 0
                        ), (method, url, path, kind)
                    outcomes[method, url, path, kind] = response.status_code
    assert set(bases) <= set(operations)  # no base body for an operation that is gone
    assert _input_schemas() <= reached  # every request body's schema got the hostile text
    assert len(outcomes) > 400
    assert set(outcomes.values()) <= {200, 201, 202, 422}

    pages = _every_page_and_export_renders(imported)
    assert {"log_entry_edit", "commitment_edit", "kpi_edit", "usage_rule_edit"} <= pages
    assert {"webhook", "engagement_from_template"} <= pages

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
        "entry_id": _ids(StakeholderLogEntry.objects.filter(engagement=engagement)),
        "commitment_id": _ids(Commitment.objects.filter(engagement=engagement)),
        "kpi_id": _ids(Kpi.objects.filter(engagement=engagement)),
        "rule_id": _ids(engagement.usage_mapping_rules.all()),
        "endpoint_id": _ids(WebhookEndpoint.objects.filter(workspace=engagement.workspace)),
        "template_id": _ids(list_templates(engagement.workspace)),
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
    return pages
