"""The surveys API with tokens: owner, member, viewer, outsider and no token."""

import json

import pytest
from django.core import mail

from changeready.conftest import PEOPLE, WRITERS
from changeready.engagements.tests.factories import EngagementFactory
from changeready.landscape.tests.factories import StakeholderFactory
from changeready.surveys.links import personal_url, shared_url
from changeready.surveys.models import Survey
from changeready.surveys.tests.factories import ResponseFactory, answers

pytestmark = pytest.mark.django_db


def post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def body_for(nurses, **extra):
    return {"stakeholders": [str(nurses.id)], **extra}


def expected(person, *, write):
    if person == "anonymous":
        return 401
    if person == "outsider":
        return 404
    if write and person not in WRITERS:
        return 403
    return 201 if write else 200


@pytest.mark.parametrize("person", PEOPLE)
def test_create_survey_access(api_client_as, engagement, nurses, person):
    response = post(
        api_client_as(person),
        f"/api/v1/engagements/{engagement.id}/surveys",
        body_for(nurses, respondents=[{"name": "Ana", "email": "ana@northwind.example"}]),
    )
    assert response.status_code == expected(person, write=True), response.content
    assert Survey.objects.exists() == (person in WRITERS)
    if person not in WRITERS:
        assert "message" in response.json()


@pytest.mark.parametrize("person", PEOPLE)
def test_read_survey_access(api_client_as, survey, person):
    response = api_client_as(person).get(f"/api/v1/surveys/{survey.id}")
    assert response.status_code == expected(person, write=False)
    if response.status_code == 200:
        assert response.json()["id"] == str(survey.id)


def test_create_with_respondents_returns_a_personal_url_each(
    api_client_as, engagement, nurses, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(
            api_client_as("member"),
            f"/api/v1/engagements/{engagement.id}/surveys",
            body_for(
                nurses,
                respondents=[
                    {"name": "Ana Ruiz", "email": "ana@northwind.example"},
                    {"email": "ben@northwind.example"},
                ],
                closes_on="2099-01-31",
            ),
        )
    assert response.status_code == 201, response.content
    data = response.json()
    survey = Survey.objects.get(id=data["id"])
    ana = survey.respondents.get(email="ana@northwind.example")
    assert data["status"] == "open"
    assert data["closes_on"] == "2099-01-31"
    assert data["url"] is None
    assert {"name": "Ana Ruiz", "email": "ana@northwind.example", "url": personal_url(ana)} in (
        data["invitations"]
    )
    assert len(data["invitations"]) == 2
    assert data["responses"] == 0
    assert data["stakeholders"] == [{"id": str(nurses.id), "name": "Ward nurses", "adkar": None}]
    assert len(mail.outbox) == 2


def test_create_without_respondents_returns_one_shared_url(api_client_as, engagement, nurses):
    response = post(
        api_client_as("owner"), f"/api/v1/engagements/{engagement.id}/surveys", body_for(nurses)
    )
    data = response.json()
    survey = Survey.objects.get(id=data["id"])
    assert data["url"] == shared_url(survey)
    assert data["invitations"] == []


def test_a_stakeholder_of_another_workspace_is_a_422_with_its_path(
    api_client_as, engagement, other_workspace
):
    stranger = StakeholderFactory(engagement=EngagementFactory(workspace=other_workspace))
    response = post(
        api_client_as("owner"),
        f"/api/v1/engagements/{engagement.id}/surveys",
        body_for(stranger),
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["path"] == ["stakeholders"]
    assert not Survey.objects.exists()


@pytest.mark.parametrize(
    "bad",
    [
        {"stakeholders": []},
        {"respondents": [{"email": "not-an-address"}]},
        {"closes_on": "2001-01-01"},
        {"unknown": 1},
    ],
)
def test_invalid_input_is_a_422(api_client_as, engagement, nurses, bad):
    response = post(
        api_client_as("owner"),
        f"/api/v1/engagements/{engagement.id}/surveys",
        body_for(nurses) | bad,
    )
    assert response.status_code == 422, response.content
    assert response.json()["errors"]
    assert not Survey.objects.exists()


def test_read_shows_the_result_only_from_three_responses(api_client_as, survey, nurses):
    client = api_client_as("viewer")
    ana, ben, cleo = survey.respondents.order_by("email")
    for respondent in (ana, ben):
        ResponseFactory(survey=survey, respondent=respondent, answers=answers(2))
    data = client.get(f"/api/v1/surveys/{survey.id}").json()
    assert (data["responses"], data["answered"], data["invited"]) == (2, 2, 3)
    assert data["stakeholders"][0]["adkar"] is None
    assert data["results_at"] == 3
    assert "invitations" not in data  # personal links are not handed out again
    ResponseFactory(survey=survey, respondent=cleo, answers=answers(5))
    data = client.get(f"/api/v1/surveys/{survey.id}").json()
    assert data["stakeholders"][0]["adkar"]["awareness"] == 3.0


def test_the_shared_url_is_read_back_by_writers_only(api_client_as, shared_survey):
    url = f"/api/v1/surveys/{shared_survey.id}"
    assert api_client_as("member").get(url).json()["url"] == shared_url(shared_survey)
    assert api_client_as("viewer").get(url).json()["url"] is None


def test_the_openapi_schema_documents_the_survey_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "post" in paths["/api/v1/engagements/{engagement_id}/surveys"]
    assert "get" in paths["/api/v1/surveys/{survey_id}"]
