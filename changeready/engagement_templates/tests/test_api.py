"""The templates API: listing, starting an engagement, saving and deleting, per person."""

import pytest

from changeready.conftest import PEOPLE, WRITERS
from changeready.engagement_templates import services
from changeready.engagement_templates.content import built_in_templates
from changeready.engagement_templates.models import EngagementTemplate
from changeready.engagements.models import Engagement

FINANCE = next(t for t in built_in_templates() if t.slug == "finance-close")
SMALL = {"stakeholders": [{"key": "a", "kind": "group", "name": "Agents", "role": "daily_user"}]}
BODY = {
    "customer": "Harbor Freight Lines",
    "go_live_date": "2027-04-05",
    "sponsor": {"name": "Nora Quist", "email": "nora@harbor.example"},
}


def _post(client, url, body):
    return client.post(url, body, content_type="application/json")


@pytest.mark.parametrize("person", PEOPLE)
def test_list_is_the_built_ins_and_the_workspaces_own(api_client_as, workspace, person):
    services.create_template(workspace, name="Ours", content=SMALL)
    response = api_client_as(person).get("/api/v1/templates")
    if person == "anonymous":
        assert response.status_code == 401
        return
    assert response.status_code == 200
    names = [t["name"] for t in response.json()]
    built_in = [t.name for t in built_in_templates()]
    # The outsider's token is for their own workspace: no "Ours" there.
    assert names == (built_in if person == "outsider" else [*built_in, "Ours"])
    first = response.json()[0]
    assert first["built_in"] is True and first["content"]["stakeholders"]


@pytest.mark.parametrize("person", PEOPLE)
def test_create_engagement_from_a_template(api_client_as, workspace, person):
    response = _post(api_client_as(person), f"/api/v1/templates/{FINANCE.id}/engagements", BODY)
    expected = {"anonymous": 401, "viewer": 403}.get(person, 201)
    assert response.status_code == expected
    if expected != 201:
        assert not Engagement.objects.exists()
        return
    engagement = Engagement.objects.get(id=response.json()["id"])
    assert response.json()["name"] == "Finance close"
    assert response.json()["adoption_mode"] == "mandatory"
    sponsor = engagement.stakeholders.get(role="executive_sponsor")
    assert (sponsor.name, sponsor.email, sponsor.title) == (
        "Nora Quist",
        "nora@harbor.example",
        "Chief Financial Officer",
    )


def test_another_workspaces_template_is_not_found(api_client_as, workspace, other_workspace):
    theirs = services.create_template(other_workspace, name="Theirs", content=SMALL)
    client = api_client_as("owner")
    assert client.get(f"/api/v1/templates/{theirs.id}").status_code == 404
    assert _post(client, f"/api/v1/templates/{theirs.id}/engagements", BODY).status_code == 404
    assert client.delete(f"/api/v1/templates/{theirs.id}").status_code == 404
    assert EngagementTemplate.objects.filter(id=theirs.id).exists()
    assert not Engagement.objects.exists()


@pytest.mark.parametrize(
    ("change", "path"),
    [
        ({"kickoff_date": "2027-09-01"}, ["kickoff_date"]),
        ({"sponsor": {"name": "AP clerks"}}, ["sponsor", "name"]),
    ],
)
def test_errors_name_the_api_fields(api_client_as, workspace, change, path):
    url = f"/api/v1/templates/{FINANCE.id}/engagements"
    response = _post(api_client_as("member"), url, {**BODY, **change})
    assert response.status_code == 422
    assert [e["path"] for e in response.json()["errors"]] == [path]
    assert not Engagement.objects.exists()


@pytest.mark.parametrize("person", PEOPLE)
def test_save_as_template_and_delete(api_client_as, workspace, engagement, person):
    client = api_client_as(person)
    response = _post(client, f"/api/v1/engagements/{engagement.id}/template", {"name": "Mine"})
    expected = {"anonymous": 401, "viewer": 403, "outsider": 404}.get(person, 201)
    assert response.status_code == expected
    if person not in WRITERS:
        assert not EngagementTemplate.objects.exists()
        return
    template_id = response.json()["id"]
    assert response.json()["built_in"] is False
    assert client.delete(f"/api/v1/templates/{FINANCE.id}").status_code == 404
    assert client.delete(f"/api/v1/templates/{template_id}").status_code == 204
    assert not EngagementTemplate.objects.exists()


def test_a_viewer_cannot_delete(api_client_as, workspace, viewer):
    template = services.create_template(workspace, name="Ours", content=SMALL)
    assert api_client_as("viewer").delete(f"/api/v1/templates/{template.id}").status_code == 403
    assert EngagementTemplate.objects.filter(id=template.id).exists()
