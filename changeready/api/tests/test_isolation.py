"""Every API operation against the owner, admin, member, viewer, outsider and
anonymous: the status code, and that a refused request changed nothing."""

import json
from pathlib import Path

import pytest

from changeready.conftest import PEOPLE, WRITERS
from changeready.engagements.models import Engagement
from changeready.landscape.models import ResistancePoint, Stakeholder
from changeready.landscape.tests.factories import ResistancePointFactory, StakeholderFactory

pytestmark = pytest.mark.django_db

EXAMPLE = (
    Path(__file__).resolve().parents[2] / "engagement_file" / "examples" / "northwind-wms.json"
)

NEW_ENGAGEMENT = {"name": "CRM rollout", "customer": "Initech", "go_live_date": "2027-06-07"}
NEW_STAKEHOLDER = {"name": "Dispatchers", "kind": "group", "role": "daily_user"}


@pytest.fixture
def landscape(engagement):
    group = StakeholderFactory(engagement=engagement, name="Pickers")
    point = ResistancePointFactory(stakeholder=group)
    return {"engagement": engagement, "stakeholder": group, "resistance": point}


def snapshot(workspace):
    """Everything an API write could change in the workspace."""
    return (
        sorted(Engagement.objects.for_workspace(workspace).values_list("id", "version", "name")),
        sorted(Stakeholder.objects.for_workspace(workspace).values_list("id", "version", "name")),
        sorted(ResistancePoint.objects.for_workspace(workspace).values_list("id", "version")),
    )


# (method, path template, body, kind): kind "read" / "write" on one object,
# "list" / "create" act on the token's own workspace (an outsider gets theirs).
OPERATIONS = [
    ("get", "/api/v1/engagements", None, "list"),
    ("post", "/api/v1/engagements", NEW_ENGAGEMENT, "create"),
    ("post", "/api/v1/engagements/import", "example", "create"),
    ("get", "/api/v1/engagements/{engagement}", None, "read"),
    ("patch", "/api/v1/engagements/{engagement}", {"phase": "test"}, "write"),
    ("delete", "/api/v1/engagements/{engagement}", None, "write"),
    ("get", "/api/v1/engagements/{engagement}/export?format=json", None, "read"),
    ("get", "/api/v1/engagements/{engagement}/stakeholders", None, "read"),
    ("post", "/api/v1/engagements/{engagement}/stakeholders", NEW_STAKEHOLDER, "write"),
    ("get", "/api/v1/stakeholders/{stakeholder}", None, "read"),
    ("patch", "/api/v1/stakeholders/{stakeholder}", {"influence": 5}, "write"),
    ("delete", "/api/v1/stakeholders/{stakeholder}", None, "write"),
    ("get", "/api/v1/engagements/{engagement}/resistance", None, "read"),
    (
        "post",
        "/api/v1/engagements/{engagement}/resistance",
        {"stakeholder": "{stakeholder}", "source": "habit", "severity": 2},
        "write",
    ),
    ("get", "/api/v1/resistance/{resistance}", None, "read"),
    ("patch", "/api/v1/resistance/{resistance}", {"severity": 5}, "write"),
    ("delete", "/api/v1/resistance/{resistance}", None, "write"),
]

SUCCESS = {"get": 200, "post": 201, "patch": 200, "delete": 204}


def expected_status(method: str, kind: str, person: str) -> int:
    if person == "anonymous":
        return 401
    if kind in ("read", "write") and person == "outsider":
        return 404
    if kind in ("write", "create") and person == "viewer":
        return 403
    return SUCCESS[method]


def fill(template, ids):
    if isinstance(template, str):
        return template.format(**ids)
    if isinstance(template, dict):
        return {key: fill(value, ids) for key, value in template.items()}
    return template


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize(
    ("method", "path", "body", "kind"), OPERATIONS, ids=[f"{o[0]} {o[1]}" for o in OPERATIONS]
)
def test_operation_access(
    api_client_as, person, method, path, body, kind, landscape, workspace, outsider
):
    ids = {name: str(obj.id) for name, obj in landscape.items()}
    client = api_client_as(person)
    before = snapshot(workspace)
    if body == "example":
        payload = EXAMPLE.read_text()
    else:
        payload = json.dumps(fill(body, ids)) if body is not None else None
    kwargs = {"data": payload, "content_type": "application/json"} if payload else {}

    response = getattr(client, method)(fill(path, ids), **kwargs)

    expected = expected_status(method, kind, person)
    assert response.status_code == expected, response.content
    if expected == 204:
        assert response.content == b""
    else:
        assert response["Content-Type"].startswith("application/json")
    changed = snapshot(workspace) != before
    writes_here = kind in ("write", "create") and person in WRITERS
    assert changed == writes_here
    if kind == "list" and person == "outsider":
        assert response.json()["items"] == []
