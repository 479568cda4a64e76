import datetime

import pytest
from django.urls import reverse

from changeready.conftest import PEOPLE, WRITERS
from changeready.engagements.models import Engagement
from changeready.engagements.tests.factories import EngagementFactory

VALID_FORM = {
    "name": "Field service rollout",
    "customer": "Contoso Utilities",
    "product": "FieldPro",
    "phase": "discovery",
    "kickoff_date": "2027-01-04",
    "go_live_date": "2027-03-01",
    "change_summary": "Engineers move from paper job sheets to the mobile app.",
    "delivery_lead_name": "Priya Raman",
    "delivery_lead_email": "priya@vendor.example",
    "cs_owner_name": "",
    "cs_owner_email": "",
    "arr": "120000",
    "renewal_date": "",
}


def expected_status(person, *, write):
    if person == "anonymous":
        return 302
    if person == "outsider":
        return 404
    if write and person not in WRITERS:
        return 403
    return 200


@pytest.mark.parametrize("person", PEOPLE)
def test_engagement_page_access(client_as, engagement, person):
    response = client_as(person).get(reverse("engagement", args=[engagement.id]))
    assert response.status_code == expected_status(person, write=False)
    if response.status_code == 200:
        assert engagement.name in response.content.decode()


@pytest.mark.parametrize("person", PEOPLE)
def test_create_engagement_access(client_as, workspace, person):
    response = client_as(person).post(
        reverse("engagement_create", args=[workspace.slug]), VALID_FORM
    )
    created = Engagement.objects.filter(workspace=workspace, name=VALID_FORM["name"])
    if person in WRITERS:
        assert response.status_code == 302
        assert created.count() == 1
        assert response.url == reverse("engagement", args=[created.get().id])
    else:
        assert response.status_code == expected_status(person, write=True)
        assert not created.exists()


@pytest.mark.parametrize("person", PEOPLE)
def test_edit_engagement_access(client_as, engagement, person):
    data = {**VALID_FORM, "name": "Renamed", "version": engagement.version}
    response = client_as(person).post(reverse("engagement_edit", args=[engagement.id]), data)
    engagement.refresh_from_db()
    if person in WRITERS:
        assert response.status_code == 302
        assert engagement.name == "Renamed"
        assert engagement.version == 2
    else:
        assert response.status_code == expected_status(person, write=True)
        assert engagement.name == "WMS rollout"


@pytest.mark.parametrize("person", PEOPLE)
def test_delete_engagement_access(client_as, engagement, person):
    response = client_as(person).post(reverse("engagement_delete", args=[engagement.id]))
    still_there = Engagement.objects.filter(id=engagement.id).exists()
    if person in WRITERS:
        assert response.status_code == 302
        assert not still_there
    else:
        assert response.status_code == expected_status(person, write=True)
        assert still_there


@pytest.mark.parametrize("person", PEOPLE)
def test_edit_and_delete_pages_are_for_writers_only(client_as, engagement, person):
    """They exist only to write: a viewer is refused the form too, and told why."""
    for name in ("engagement_edit", "engagement_delete"):
        response = client_as(person).get(reverse(name, args=[engagement.id]))
        assert response.status_code == expected_status(person, write=True)
        if person == "viewer":
            assert "Viewers can look but not change anything." in response.content.decode()


def test_delete_asks_for_confirmation_first(client_as, engagement):
    response = client_as("member").get(reverse("engagement_delete", args=[engagement.id]))
    assert "cannot be undone" in response.content.decode()
    assert Engagement.objects.filter(id=engagement.id).exists()


@pytest.mark.parametrize("person", PEOPLE)
def test_workspace_home_lists_only_its_engagements(
    client_as, workspace, engagement, other_workspace, person
):
    EngagementFactory(workspace=other_workspace, name="Secret rival project")
    response = client_as(person).get(reverse("workspace", args=[workspace.slug]))
    assert response.status_code == expected_status(person, write=False)
    if response.status_code == 200:
        body = response.content.decode()
        assert "WMS rollout" in body
        assert "Secret rival project" not in body


def test_invalid_form_keeps_input_and_names_the_field(client_as, workspace):
    data = {**VALID_FORM, "kickoff_date": "2027-05-01", "go_live_date": "2027-03-01"}
    response = client_as("member").post(reverse("engagement_create", args=[workspace.slug]), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert "kickoff_date" in form.errors
    assert 'value="Field service rollout"' in response.content.decode()
    assert not Engagement.objects.exists()


def test_concurrent_edit_is_refused_and_keeps_what_was_typed(client_as, engagement):
    stale_version = engagement.version
    client = client_as("member")
    first = {**VALID_FORM, "name": "First writer", "version": stale_version}
    second = {**VALID_FORM, "name": "Second writer", "version": stale_version}
    assert client.post(reverse("engagement_edit", args=[engagement.id]), first).status_code == 302
    response = client.post(reverse("engagement_edit", args=[engagement.id]), second)
    assert response.status_code == 200
    assert "changed by someone else" in response.content.decode()
    assert 'value="Second writer"' in response.content.decode()
    engagement.refresh_from_db()
    assert engagement.name == "First writer"


def test_weeks_to_go_live_on_the_engagement_page(client_as, engagement):
    engagement.go_live_date = datetime.date.today() + datetime.timedelta(weeks=3)
    engagement.save()
    response = client_as("member").get(reverse("engagement", args=[engagement.id]))
    assert response.context["weeks_to_go_live"] == 3


def test_overview_shows_readiness_and_the_critical_findings_first(client_as, engagement):
    response = client_as("viewer").get(reverse("engagement", args=[engagement.id]))
    body = response.content.decode()
    # An empty landscape answers none of the landscape questions: critical.
    assert response.context["readiness"].band == "not_ready"
    assert "A landscape question has no answer" in body
    assert reverse("assessment", args=[engagement.id]) in body
    assert response.context["finding_counts"]["critical"] >= 1


def test_the_form_saves_the_adoption_mode_and_blackout_lines(client_as, engagement):
    data = {
        **VALID_FORM,
        "version": engagement.version,
        "adoption_mode": "mandatory",
        "blackout_periods": "2026-12-21 to 2027-01-03 Holidays\n\n2027-03-29 to 2027-04-02",
    }
    response = client_as("member").post(reverse("engagement_edit", args=[engagement.id]), data)
    assert response.status_code == 302
    engagement.refresh_from_db()
    assert engagement.adoption_mode == "mandatory"
    assert engagement.blackout_periods == [
        {"start": "2026-12-21", "end": "2027-01-03", "label": "Holidays"},
        {"start": "2027-03-29", "end": "2027-04-02", "label": ""},
    ]
    page = client_as("member").get(reverse("engagement_edit", args=[engagement.id]))
    assert "2026-12-21 to 2027-01-03 Holidays" in page.content.decode()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("from Christmas to New Year", "Line 1: write a period as"),
        ("2027-01-03 to 2026-12-21 Backwards", "Period 1: the end (2026-12-21) is before"),
        ("2027-02-30 to 2027-03-02 Close", "Line 1: 2027-02-30 or 2027-03-02 is not a date."),
    ],
)
def test_a_bad_blackout_line_is_explained_and_the_input_kept(client_as, engagement, text, message):
    data = {**VALID_FORM, "version": engagement.version, "blackout_periods": text}
    response = client_as("member").post(reverse("engagement_edit", args=[engagement.id]), data)
    assert response.status_code == 200
    [error] = response.context["form"].errors["blackout_periods"]
    assert error.startswith(message)
    assert text in response.content.decode()
    engagement.refresh_from_db()
    assert engagement.blackout_periods == []
