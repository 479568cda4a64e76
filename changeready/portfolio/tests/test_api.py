from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import RequestFactory

from changeready.api.rendering import json_body
from changeready.assessment.services import assess_engagement
from changeready.conftest import PEOPLE
from changeready.engagements.services import delete_engagement, update_engagement
from changeready.landscape import services as landscape
from changeready.portfolio import services
from changeready.portfolio.api import PortfolioOut
from changeready.portfolio.tests.builders import (
    AS_OF,
    at_risk_engagement,
    not_ready_engagement,
    ready_engagement,
)
from changeready.web.api import api

pytestmark = pytest.mark.django_db
URL = "/api/v1/portfolio"


@pytest.fixture
def engagements(workspace, other_workspace):
    not_ready_engagement(other_workspace, "Rival secret", arr="999")
    return [
        ready_engagement(workspace, "Alpha", arr="100000"),
        at_risk_engagement(workspace, "Bravo", arr="2500.50"),
        not_ready_engagement(workspace, "Charlie"),
    ]


@pytest.mark.parametrize("person", PEOPLE)
def test_portfolio_access(api_client_as, engagements, person):
    response = api_client_as(person).get(URL, {"as_of": AS_OF.isoformat()})
    expected = {"anonymous": 401}.get(person, 200)
    assert response.status_code == expected
    if person == "outsider":  # their own workspace, never ours
        assert [e["name"] for e in response.json()["engagements"]] == ["Rival secret"]
    elif expected == 200:
        assert "Rival secret" not in response.content.decode()


def test_portfolio_agrees_with_each_engagements_own_assessment(api_client_as, engagements):
    body = api_client_as("viewer").get(URL, {"as_of": AS_OF.isoformat()}).json()
    for engagement in engagements:
        row = next(e for e in body["engagements"] if e["id"] == str(engagement.id))
        own = assess_engagement(engagement, AS_OF)
        assert row["readiness"] == {"score": own.readiness.score, "band": own.readiness.band}
        assert row["critical"] == list(
            dict.fromkeys(f.code for f in own.findings if f.severity == "critical")
        )
    # Charlie, the one not ready, has no ARR; Bravo's is to watch.
    assert body["totals"] == {
        "ready": 1,
        "at_risk": 1,
        "not_ready": 1,
        "arr_at_risk": 0,
        "arr_watch": 2500.5,
    }


def test_bad_as_of_is_a_422_naming_the_parameter(api_client_as, engagements):
    response = api_client_as("member").get(URL, {"as_of": "soon"})
    assert response.status_code == 422
    assert any("as_of" in error["path"] for error in response.json()["errors"])


def test_portfolio_is_documented(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/portfolio" in schema["paths"]


def test_the_body_is_written_as_the_apis_renderer_writes_it(workspace, engagements):
    body = services.portfolio_body(workspace, AS_OF)
    data = PortfolioOut.model_validate(body).model_dump()
    expected = api.create_response(RequestFactory().get("/"), data, status=200)
    assert json_body(PortfolioOut, body) == expected.content
    assert len(body["engagements"]) == 3


def test_todays_body_is_kept_until_something_changes(
    api_client_as, engagements, today_is, django_assert_num_queries
):
    client = api_client_as("viewer")
    first = client.get(URL).content
    # the token, its workspace, the stamp
    with django_assert_num_queries(3):
        assert client.get(URL).content == first
    alpha = engagements[0]
    changes = [
        lambda: update_engagement(alpha, expected_version=None, name="Alpha Two"),
        lambda: landscape.update_stakeholder(
            alpha.stakeholders.get(name="Buyer"), expected_version=None, engagement_level="neutral"
        ),
        lambda: delete_engagement(alpha),
        lambda: today_is(AS_OF + timedelta(weeks=1)),
    ]
    before = first
    for change in changes:
        change()
        after = client.get(URL).content
        assert after != before
        cache.clear()
        assert client.get(URL).content == after
        before = after


def test_a_look_ahead_body_is_written_not_kept(api_client_as, engagements, today_is):
    client = api_client_as("viewer")
    ahead = client.get(URL, {"as_of": (AS_OF + timedelta(weeks=1)).isoformat()}).json()
    today = client.get(URL).json()
    assert [e["weeks_to_go_live"] for e in ahead["engagements"]] != [
        e["weeks_to_go_live"] for e in today["engagements"]
    ]
