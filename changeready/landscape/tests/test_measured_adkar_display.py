"""ADKAR scores a survey measured from fewer than 3 responses are not shown on the
landscape's pages, nor sent by the API, the engagement file or the playbook
(they would be one or two people's answers); the assessment uses them."""

import datetime

import pytest
from django.urls import reverse

from changeready.handoff.exports import render_export
from changeready.landscape.tests.factories import StakeholderFactory
from changeready.landscape.tests.test_access import STAKEHOLDER_FORM

pytestmark = pytest.mark.django_db


def measured(engagement, responses: int):
    return StakeholderFactory(
        engagement=engagement,
        name="Night shift",
        adkar_awareness=1.5,
        adkar_desire=4.5,
        adkar_knowledge=2.5,
        adkar_measured_on=datetime.date(2027, 3, 1),
        adkar_responses=responses,
        adkar_source="survey",
        adkar_assessed_on=datetime.date(2027, 3, 1),
    )


def detail(client, stakeholder):
    url = reverse("stakeholder", args=[stakeholder.engagement_id, stakeholder.id])
    return client.get(url).content.decode()


@pytest.mark.parametrize("responses", [1, 2])
def test_scores_from_too_few_responses_are_not_shown(client_as, engagement, responses):
    stakeholder = measured(engagement, responses)
    body = detail(client_as("viewer"), stakeholder)
    plural = "s" if responses != 1 else ""
    assert f"Measured from {responses} response{plural} — shown at 3" in body
    assert "Awareness 1.5" not in body and "Desire 4.5" not in body


def test_scores_from_three_responses_are_shown(client_as, engagement):
    body = detail(client_as("viewer"), measured(engagement, 3))
    assert "Awareness 1.5 · Desire 4.5 · Knowledge 2.5" in body
    assert "shown at 3" not in body


def test_the_teams_own_estimate_is_always_shown(client_as, engagement):
    stakeholder = StakeholderFactory(engagement=engagement, adkar_awareness=2)
    assert "Awareness 2" in detail(client_as("viewer"), stakeholder)


def test_the_assessment_still_uses_withheld_scores(client_as, engagement):
    stakeholder = measured(engagement, 1)
    body = detail(client_as("viewer"), stakeholder)
    assert "barrier: awareness" in body


def test_the_edit_form_neither_shows_nor_drops_withheld_scores(client_as, engagement):
    stakeholder = measured(engagement, 2)
    url = reverse("stakeholder_edit", args=[engagement.id, stakeholder.id])
    client = client_as("member")
    body = client.get(url).content.decode()
    assert "Measured from 2 responses — shown at 3" in body
    assert 'name="adkar_awareness"' not in body and "4.5" not in body

    data = {**STAKEHOLDER_FORM, "name": "Night shift", "version": stakeholder.version}
    assert client.post(url, data).status_code == 302
    stakeholder.refresh_from_db()
    assert (stakeholder.adkar_awareness, stakeholder.adkar_desire) == (1.5, 4.5)
    assert stakeholder.headcount == 120  # the other fields were saved


# --- where a score leaves the server: the API, the engagement file, the playbook ---


def test_the_api_withholds_scores_from_too_few_responses(api_client_as, engagement):
    stakeholder = measured(engagement, 1)
    client = api_client_as("viewer")

    one = client.get(f"/api/v1/stakeholders/{stakeholder.id}").json()
    listed = client.get(f"/api/v1/engagements/{engagement.id}/stakeholders").json()["items"]

    for body in (one, listed[0]):
        assert body["adkar"] == dict.fromkeys(
            ["awareness", "desire", "knowledge", "ability", "reinforcement"]
        )
        assert body["adkar_withheld"] is True
        # The day of the last answer would tell whose answer it was.
        assert (body["adkar_source"], body["adkar_assessed_on"]) == ("survey", None)


def test_the_api_shows_scores_from_three_responses(api_client_as, engagement):
    stakeholder = measured(engagement, 3)

    body = api_client_as("viewer").get(f"/api/v1/stakeholders/{stakeholder.id}").json()

    assert (body["adkar"]["awareness"], body["adkar_withheld"]) == (1.5, False)
    assert body["adkar_assessed_on"] == "2027-03-01"


def test_the_engagement_file_withholds_scores_from_too_few_responses(api_client_as, engagement):
    measured(engagement, 2)
    client = api_client_as("viewer")

    document = client.get(f"/api/v1/engagements/{engagement.id}/export?format=json").json()

    (stakeholder,) = document["stakeholders"]
    assert "adkar" not in stakeholder
    assert "adkar_assessed_on" not in stakeholder


def test_the_engagement_file_carries_scores_from_three_responses(api_client_as, engagement):
    measured(engagement, 3)
    client = api_client_as("viewer")

    document = client.get(f"/api/v1/engagements/{engagement.id}/export?format=json").json()

    assert document["stakeholders"][0]["adkar"] == {"awareness": 2, "desire": 5, "knowledge": 3}


@pytest.mark.parametrize(("fmt", "table"), [("md", "plan"), ("csv", "stakeholders")])
def test_playbook_exports_carry_no_withheld_score(engagement, fmt, table):
    measured(engagement, 1)

    content = render_export(
        engagement, fmt, as_of=datetime.date(2027, 3, 2), table=table
    ).content.decode()

    assert "Night shift" in content
    assert "1.5" not in content and "4.5" not in content
