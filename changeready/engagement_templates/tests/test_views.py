"""The template pages: who may see and use them, and the whole round trip in the browser's forms."""

import pytest
from django.urls import reverse

from changeready.conftest import PEOPLE, WRITERS
from changeready.engagement_templates import services
from changeready.engagement_templates.content import built_in_templates
from changeready.engagement_templates.models import EngagementTemplate
from changeready.engagements.models import Engagement

EHR = next(t for t in built_in_templates() if t.slug == "ehr-go-live")
FORM = {
    "customer": "Riverside Health",
    "go_live_date": "2027-03-01",
    "sponsor_name": "Dana Whitfield",
}
SMALL = {"stakeholders": [{"key": "a", "kind": "group", "name": "Agents", "role": "daily_user"}]}


@pytest.fixture
def saved(workspace):
    return services.create_template(workspace, name="Our contact centre", content=SMALL)


@pytest.fixture
def theirs(other_workspace):
    return services.create_template(other_workspace, name="Rival template", content=SMALL)


def _start_url(workspace, template):
    return reverse("engagement_from_template", args=[workspace.slug, template.id])


@pytest.mark.parametrize("person", PEOPLE)
def test_the_list_shows_built_in_and_own_templates_to_members(client_as, workspace, saved, person):
    response = client_as(person).get(reverse("engagement_templates", args=[workspace.slug]))
    expected = {"anonymous": 302, "outsider": 404}.get(person, 200)
    assert response.status_code == expected
    if expected == 200:
        page = response.content.decode()
        assert "EHR go-live" in page and "Our contact centre" in page
        assert "Inpatient nurses" in page
        # Only writers are offered to start or delete.
        assert ("Use EHR go-live" in page) == (person in WRITERS)
        assert ("Delete<span" in page) == (person in WRITERS)


@pytest.mark.parametrize("person", PEOPLE)
def test_starting_from_a_template_needs_a_writer_of_the_workspace(client_as, workspace, person):
    client = client_as(person)
    url = _start_url(workspace, EHR)
    get_status = client.get(url).status_code
    response = client.post(url, FORM)
    expected = {"anonymous": 302, "outsider": 404, "viewer": 403}.get(person)
    if expected:
        assert get_status == expected and response.status_code == expected
        assert not Engagement.objects.exists()
    else:
        assert get_status == 200
        engagement = Engagement.objects.get()
        assert response.status_code == 302
        assert response["Location"] == reverse("landscape", args=[engagement.id])
        assert engagement.workspace == workspace
        assert engagement.stakeholders.filter(name="Dana Whitfield").exists()


def test_the_form_offers_the_user_as_delivery_lead(client_as, workspace, member):
    page = client_as("member").get(_start_url(workspace, EHR)).content.decode()
    assert 'value="member@acme.example"' in page
    client_as("member").post(_start_url(workspace, EHR), FORM | {"delivery_lead_name": "Mo"})
    assert Engagement.objects.get().delivery_lead_name == "Mo"


def test_another_workspaces_template_is_not_found(client_as, workspace, theirs):
    client = client_as("owner")
    assert client.get(_start_url(workspace, theirs)).status_code == 404
    assert client.post(_start_url(workspace, theirs), FORM).status_code == 404
    delete = reverse("engagement_template_delete", args=[workspace.slug, theirs.id])
    assert client.post(delete).status_code == 404
    assert EngagementTemplate.objects.filter(id=theirs.id).exists()
    assert not Engagement.objects.exists()


def test_a_refused_form_keeps_what_was_typed(client_as, workspace):
    data = FORM | {"kickoff_date": "2027-06-01", "name": "Wave one"}
    response = client_as("member").post(_start_url(workspace, EHR), data)
    assert response.status_code == 200
    assert response.context["form"].errors["kickoff_date"]
    page = response.content.decode()
    assert 'value="Wave one"' in page and 'value="Riverside Health"' in page
    assert not Engagement.objects.exists()


@pytest.mark.parametrize("person", PEOPLE)
def test_deleting_a_template_is_for_writers_after_confirming(client_as, workspace, saved, person):
    client = client_as(person)
    url = reverse("engagement_template_delete", args=[workspace.slug, saved.id])
    get_status = client.get(url).status_code
    response = client.post(url)
    expected = {"anonymous": 302, "outsider": 404, "viewer": 403}.get(person)
    if expected:
        assert get_status == expected and response.status_code == expected
        assert EngagementTemplate.objects.filter(id=saved.id).exists()
    else:
        assert get_status == 200
        assert response.status_code == 302
        assert not EngagementTemplate.objects.filter(id=saved.id).exists()


def test_a_built_in_template_cannot_be_deleted(client_as, workspace):
    url = reverse("engagement_template_delete", args=[workspace.slug, EHR.id])
    assert client_as("owner").post(url).status_code == 404


@pytest.mark.parametrize("person", PEOPLE)
def test_save_as_template_is_for_writers(client_as, workspace, engagement, person):
    client = client_as(person)
    url = reverse("engagement_save_as_template", args=[engagement.id])
    get_status = client.get(url).status_code
    response = client.post(url, {"name": "Our WMS", "industry": "warehousing"})
    expected = {"anonymous": 302, "outsider": 404, "viewer": 403}.get(person)
    if expected:
        assert get_status == expected and response.status_code == expected
        assert not EngagementTemplate.objects.exists()
    else:
        assert get_status == 200
        assert response.status_code == 302
        template = EngagementTemplate.objects.get()
        assert (template.workspace, template.name, template.industry) == (
            workspace,
            "Our WMS",
            "warehousing",
        )


def test_round_trip_in_the_browser_forms(client_as, workspace):
    client = client_as("member")
    client.post(_start_url(workspace, EHR), FORM)
    first = Engagement.objects.get()
    response = client.post(
        reverse("engagement_save_as_template", args=[first.id]), {"name": "Our EHR"}
    )
    assert response.status_code == 302
    template = EngagementTemplate.objects.get(name="Our EHR")
    assert "Dana" not in str(template.content)
    # A second template of the same name is refused on its field.
    again = client.post(
        reverse("engagement_save_as_template", args=[first.id]), {"name": "Our EHR"}
    )
    assert again.status_code == 200 and again.context["form"].errors["name"]

    client.post(
        _start_url(workspace, template),
        FORM | {"customer": "Lakeside", "sponsor_name": "Sam Ortiz"},
    )
    second = Engagement.objects.get(customer="Lakeside")
    assert second.name == "Our EHR"
    assert sorted(second.stakeholders.values_list("role", flat=True)) == sorted(
        first.stakeholders.values_list("role", flat=True)
    )
    assert second.stakeholders.get(role="executive_sponsor").name == "Sam Ortiz"
