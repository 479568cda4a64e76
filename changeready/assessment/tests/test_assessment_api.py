import datetime
import json

import jsonschema
import pytest

from changeready.assessment import services
from changeready.conftest import PEOPLE
from changeready.landscape import services as landscape_services
from changeready.landscape.tests.factories import ResistancePointFactory, StakeholderFactory


def url(engagement, **query):
    suffix = "?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else ""
    return f"/api/v1/engagements/{engagement.id}/assessment{suffix}"


@pytest.mark.parametrize("person", PEOPLE)
def test_assessment_api_access(api_client_as, engagement, person):
    response = api_client_as(person).get(url(engagement))
    expected = {"anonymous": 401, "outsider": 404}.get(person, 200)
    assert response.status_code == expected
    assert response["Content-Type"].startswith("application/json")


def test_unknown_engagement_is_a_404_like_a_foreign_one(api_client_as, engagement):
    response = api_client_as("owner").get(
        "/api/v1/engagements/00000000-0000-0000-0000-000000000000/assessment"
    )
    assert response.status_code == 404


def test_body_is_the_assessment_as_of_the_given_day(api_client_as, engagement):
    shift_leads = StakeholderFactory(
        engagement=engagement,
        name="Shift leads",
        role="people_manager",
        influence=4,
        impact=4,
        engagement_level="resistant",
        desired_engagement="leading",
        authority_decreases=True,
    )
    ResistancePointFactory(stakeholder=shift_leads, severity=4, source="loss_of_authority")
    response = api_client_as("viewer").get(url(engagement, as_of="2027-02-22"))
    body = response.json()
    expected = services.assessment_body(
        engagement,
        services.assess_engagement(engagement, datetime.date(2027, 2, 22)),
    )
    assert body == json.loads(json.dumps(expected))
    assert body["as_of"] == "2027-02-22"
    assert body["engagement_id"] == str(engagement.id)
    (stakeholder,) = body["stakeholders"]
    assert stakeholder["resistor"] is True
    assert set(stakeholder["terms"]) >= {
        "consequence",
        "engagement",
        "resistance",
        "signals",
        "barrier",
        "not_involved",
    }
    codes = {finding["code"] for finding in body["findings"]}
    assert "resistor_without_plan" in codes
    # v2: the people they stand for, their themes, and why the band is what it is.
    assert stakeholder["people"] == 10  # a group without headcount
    assert stakeholder["themes"] == []
    readiness = body["readiness"]
    assert set(readiness) == {"score", "band", "capped_by", "adoption_risk", "blocking_risk"}
    critical = [f["code"] for f in body["findings"] if f["severity"] == "critical"]
    if readiness["capped_by"]:
        assert readiness["capped_by"] == list(dict.fromkeys(critical))


def test_themes_and_capped_by_in_the_body(api_client_as, engagement):
    StakeholderFactory(
        engagement=engagement,
        name="Pickers",
        headcount=420,
        resistance_triggers="Pick rates used against us; scanners slower than paper.",
    )
    body = api_client_as("viewer").get(url(engagement, as_of="2027-02-22")).json()
    (pickers,) = body["stakeholders"]
    assert pickers["people"] == 420
    assert pickers["themes"] == [
        {"code": "data_use", "matched": ["Pick rates", "used against"]},
        {"code": "hardware", "matched": ["scanners"]},
        {"code": "workload", "matched": ["slower"]},
    ]
    assert pickers["adoption"]["weight"] == 420 * 3
    # No sponsor and more: the findings name what lowered the band.
    assert "no_sponsor" in body["readiness"]["capped_by"] or body["readiness"]["score"] < 50


def test_body_matches_its_documented_schema(api_client_as, engagement, client):
    StakeholderFactory(engagement=engagement, name="Pickers")
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/engagements/{engagement_id}/assessment"]["get"]
    body_schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
    resolver_root = {"components": schema["components"], **body_schema}
    body = api_client_as("member").get(url(engagement)).json()
    jsonschema.validate(body, resolver_root)


def test_bad_as_of_is_a_422_with_its_path(api_client_as, engagement):
    response = api_client_as("owner").get(url(engagement, as_of="soon"))
    assert response.status_code == 422
    assert response.json()["errors"][0]["path"] == ["query", "as_of"]


def test_a_second_call_is_served_from_the_cache_and_equals_the_first(
    api_client_as, engagement, django_assert_max_num_queries, monkeypatch
):
    StakeholderFactory(engagement=engagement, name="Pickers", role="daily_user")
    client = api_client_as("member")
    first = client.get(url(engagement, as_of="2027-02-22"))

    def no_rendering(*args, **kwargs):
        raise AssertionError("the body was written again")

    monkeypatch.setattr(services, "assessment_body", no_rendering)
    # The token and its workspace, the engagement, the snapshot dates (the version).
    with django_assert_max_num_queries(5):
        again = client.get(url(engagement, as_of="2027-02-22"))
    assert again.status_code == 200 and again.content == first.content
    assert again["Content-Type"] == first["Content-Type"] == "application/json; charset=utf-8"
    assert again.json()["as_of"] == "2027-02-22"


def test_a_change_through_a_service_is_in_the_next_body(api_client_as, engagement):
    client = api_client_as("member")
    before = client.get(url(engagement)).json()
    landscape_services.create_stakeholder(engagement, name="Pickers", role="daily_user")
    after = client.get(url(engagement)).json()
    assert [s["name"] for s in before["stakeholders"]] == []
    assert [s["name"] for s in after["stakeholders"]] == ["Pickers"]


def test_the_cached_body_is_what_the_schema_writes_of_a_fresh_assessment(engagement):
    StakeholderFactory(engagement=engagement, name="Pickers", role="daily_user")
    as_of = datetime.date(2027, 2, 22)
    rendered = []

    def render(body: dict) -> bytes:
        rendered.append(body)
        return json.dumps(body, default=str).encode()

    content = services.cached_assessment_body(engagement, as_of, render)
    fresh = services.assessment_body(engagement, services.assess_engagement(engagement, as_of))
    assert rendered == [fresh]
    # A hit renders nothing and gives the same bytes.
    assert services.cached_assessment_body(engagement, as_of, render) == content
    assert len(rendered) == 1
