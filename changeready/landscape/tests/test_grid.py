"""The landscape grid: each row saved on its own through the stakeholder services."""

import pytest
from django.urls import reverse

from changeready.activity.models import ActivityEvent
from changeready.conftest import PEOPLE, WRITERS
from changeready.engagements.tests.factories import EngagementFactory
from changeready.landscape.models import Stakeholder, WorkspacePhrase
from changeready.landscape.tests.factories import StakeholderFactory

pytestmark = pytest.mark.django_db

ROW_HEADER = {"X-Grid-Row": "true"}


def grid_url(engagement):
    return reverse("landscape_grid", args=[engagement.id])


def create_url(engagement):
    return reverse("landscape_grid_row_create", args=[engagement.id])


def row_url(stakeholder):
    return reverse("landscape_grid_row", args=[stakeholder.engagement_id, stakeholder.id])


def row_data(**changes):
    """A grid row as the browser posts it."""
    data = {
        "row": "1",
        "name": "Ward nurses",
        "kind": "group",
        "relation": "daily_user",
        "headcount": "2300",
        "success_definition": "Charting done before the end of the shift.",
        "resistance_triggers": "Alerts that interrupt care at the bedside.",
        "influence": "2",
        "interest": "4",
        "impact": "5",
        "engagement_level": "neutral",
        "desired_engagement": "supportive",
    }
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def snapshot():
    return sorted(Stakeholder.objects.values_list("id", "name", "version"))


def test_a_new_row_is_created_through_the_service_and_comes_back_saved(client_as, engagement):
    response = client_as("member").post(
        create_url(engagement), row_data(row="4"), headers=ROW_HEADER
    )
    assert response.status_code == 200
    stakeholder = engagement.stakeholders.get()
    assert (stakeholder.name, stakeholder.kind, stakeholder.role, stakeholder.headcount) == (
        "Ward nurses",
        "group",
        "daily_user",
        2300,
    )
    assert (stakeholder.influence, stakeholder.interest, stakeholder.impact) == (2, 4, 5)
    assert stakeholder.resistance_triggers == "Alerts that interrupt care at the bedside."
    # The service recorded it, as it does for the detailed form.
    assert ActivityEvent.objects.filter(obj_id=stakeholder.id, verb="created").exists()
    html = response.content.decode()
    # The row answers alone, now pointing at the stored stakeholder, with its version.
    assert html.lstrip().startswith('<tr id="row-4"')
    assert 'data-state="saved"' in html
    assert row_url(stakeholder) in html
    assert 'name="version" value="1"' in html
    assert reverse("stakeholder_edit", args=[engagement.id, stakeholder.id]) in html
    assert 'aria-label="Influence, row 4"' in html


def test_a_failing_row_shows_its_errors_and_keeps_what_was_typed(client_as, engagement):
    response = client_as("member").post(
        create_url(engagement),
        row_data(row="2", kind="person", name="", relation="", headcount="12"),
        headers=ROW_HEADER,
    )
    assert response.status_code == 200
    assert not Stakeholder.objects.exists()
    form = response.context["form"]
    assert set(form.errors) == {"name", "relation", "headcount"}
    html = response.content.decode()
    assert 'data-state="failed"' in html
    assert "Choose how they relate to the change." in html
    # What was typed stays in the cells, and each error is tied to its cell.
    assert 'value="Alerts that interrupt care at the bedside."' in html
    assert 'value="12"' in html
    assert 'aria-describedby="r2-name_error"' in html
    assert 'id="r2-name_error"' in html
    assert 'aria-invalid="true"' in html
    # Still a new row: it posts to the create address again.
    assert f'action="{create_url(engagement)}"' in html


def test_the_model_rules_apply_per_row(client_as, engagement):
    """Headcount is for groups: the service's validation answers in the row's cell."""
    response = client_as("member").post(
        create_url(engagement), row_data(kind="person", name="Dr Okafor"), headers=ROW_HEADER
    )
    assert not Stakeholder.objects.exists()
    assert response.context["form"].errors["headcount"] == ["Headcount applies to groups only."]


def test_a_duplicate_name_is_refused_in_its_row(client_as, engagement):
    StakeholderFactory(engagement=engagement, name="Ward nurses")
    response = client_as("member").post(
        create_url(engagement), row_data(name="ward NURSES"), headers=ROW_HEADER
    )
    assert engagement.stakeholders.count() == 1
    assert "already exists" in response.content.decode()
    assert 'value="ward NURSES"' in response.content.decode()


def test_a_preset_that_opposed_the_purchase_marks_it_and_reads_back(client_as, engagement):
    client = client_as("member")
    client.post(
        create_url(engagement),
        row_data(name="Dr Okafor", kind="person", headcount="", relation="opposed_leader"),
        headers=ROW_HEADER,
    )
    stakeholder = engagement.stakeholders.get()
    assert (stakeholder.role, stakeholder.opposed_purchase) == ("people_manager", True)
    response = client.get(grid_url(engagement))
    row = response.context["rows"][0]
    assert row["relation"].value() == "opposed_leader"


def test_an_existing_row_saves_on_the_version_it_was_based_on(client_as, engagement):
    stakeholder = StakeholderFactory(engagement=engagement, name="Pickers", role="daily_user")
    response = client_as("member").post(
        row_url(stakeholder),
        row_data(row="1", name="Pickers", version="1", influence="4", headcount="120"),
        headers=ROW_HEADER,
    )
    stakeholder.refresh_from_db()
    assert (stakeholder.influence, stakeholder.headcount, stakeholder.version) == (4, 120, 2)
    html = response.content.decode()
    assert 'data-state="saved"' in html
    assert 'name="version" value="2"' in html
    event = ActivityEvent.objects.get(obj_id=stakeholder.id, verb="updated")
    assert "influence" in str(event.changes)


def test_a_row_based_on_an_old_version_is_refused_and_keeps_its_values(client_as, engagement):
    stakeholder = StakeholderFactory(engagement=engagement, name="Pickers")
    stakeholder.notes = "Someone else's edit."
    stakeholder.version = 2
    stakeholder.save()
    response = client_as("member").post(
        row_url(stakeholder),
        row_data(name="Pickers on the night shift", version="1"),
        headers=ROW_HEADER,
    )
    stakeholder.refresh_from_db()
    assert stakeholder.name == "Pickers"
    assert stakeholder.notes == "Someone else's edit."
    html = response.content.decode()
    assert "changed by someone else" in html
    assert 'value="Pickers on the night shift"' in html
    assert 'data-state="failed"' in html


def test_without_the_script_a_saved_row_returns_to_the_grid(client_as, engagement):
    response = client_as("member").post(create_url(engagement), row_data(row="1"))
    assert response.status_code == 302
    assert response.url == grid_url(engagement) + "#row-1"
    assert engagement.stakeholders.filter(name="Ward nurses").exists()


def test_without_the_script_a_failing_row_is_shown_in_the_whole_grid(client_as, engagement):
    existing = StakeholderFactory(engagement=engagement, name="Pickers")
    response = client_as("member").post(row_url(existing), row_data(row="1", name="", version="1"))
    assert response.status_code == 200
    rows = response.context["rows"]
    # The failing row in its place, then the blank row to add one.
    assert len(rows) == 2
    assert rows[0].errors["name"]
    assert rows[0].instance.pk == existing.pk
    assert not rows[1].is_bound
    assert "Row 1 not saved" in response.content.decode()


@pytest.mark.parametrize("person", PEOPLE)
def test_the_grid_page_for_every_person(client_as, engagement, person):
    StakeholderFactory(engagement=engagement, name="Pickers")
    response = client_as(person).get(grid_url(engagement))
    if person == "anonymous":
        assert response.status_code == 302
        return
    if person == "outsider":
        assert response.status_code == 404
        return
    assert response.status_code == 200
    html = response.content.decode()
    assert "Pickers" in html
    if person in WRITERS:
        assert "data-grid-form" in html
    else:
        # A viewer reads the same table, without a single field to type in.
        assert "data-grid-form" not in html
        assert "<input" not in html.split('id="landscape-grid"')[1].split("</table>")[0]
        assert "landscape-grid.js" not in html


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("existing", [False, True], ids=["create", "update"])
def test_row_saves_are_for_writers_of_the_workspace(client_as, engagement, person, existing):
    stakeholder = StakeholderFactory(engagement=engagement, name="Pickers")
    url = row_url(stakeholder) if existing else create_url(engagement)
    before = snapshot()
    response = client_as(person).post(
        url, row_data(name="Pickers renamed", version="1"), headers=ROW_HEADER
    )
    if person in WRITERS:
        assert response.status_code == 200
        assert engagement.stakeholders.filter(name="Pickers renamed").exists()
        return
    expected = {"anonymous": 302, "outsider": 404, "viewer": 403}[person]
    assert response.status_code == expected
    assert snapshot() == before


def test_grid_pages_refuse_other_methods(client_as, engagement):
    stakeholder = StakeholderFactory(engagement=engagement)
    client = client_as("owner")
    assert client.post(grid_url(engagement)).status_code == 405
    assert client.get(create_url(engagement)).status_code == 405
    assert client.get(row_url(stakeholder)).status_code == 405


def test_a_row_of_another_engagement_is_not_found(client_as, engagement, workspace):
    """A stakeholder id is only looked up inside the engagement of the address."""
    sibling = EngagementFactory(workspace=workspace)
    stakeholder = StakeholderFactory(engagement=engagement, name="Pickers")
    before = snapshot()
    url = reverse("landscape_grid_row", args=[sibling.id, stakeholder.id])
    response = client_as("owner").post(url, row_data(version="1"), headers=ROW_HEADER)
    assert response.status_code == 404
    assert snapshot() == before


def test_suggested_phrases_are_offered_per_role_with_the_workspace_s_own(
    client_as, engagement, workspace
):
    WorkspacePhrase.objects.create(
        workspace=workspace,
        role="daily_user",
        field="resistance_triggers",
        text="Badge readers on the ward fail at shift change.",
    )
    WorkspacePhrase.objects.create(
        workspace=EngagementFactory().workspace,
        role="daily_user",
        field="resistance_triggers",
        text="Another workspace's phrase.",
    )
    html = client_as("member").get(grid_url(engagement)).content.decode()
    daily = html.split('<datalist id="phrases-resistance_triggers-daily_user">')[1]
    daily = daily.split("</datalist>")[0]
    assert "Badge readers on the ward fail at shift change." in daily
    assert "Slower than the old way in the first weeks." in daily
    assert "Loses approvals or visibility they have today." not in daily
    assert "Another workspace" not in html


def _grid_with(engagement, count, start=0):
    for number in range(start, start + count):
        StakeholderFactory(
            engagement=engagement,
            name=f"Stakeholder {number}",
            kind="person" if number % 2 else "group",
            role="people_manager" if number % 3 else "daily_user",
        )


@pytest.mark.parametrize("person", ["member", "viewer"])
def test_a_50_row_grid_costs_no_more_queries_than_a_1_row_grid(
    client_as, engagement, person, django_assert_max_num_queries
):
    client = client_as(person)
    _grid_with(engagement, 1)
    client.get(grid_url(engagement))  # the session and caches settle
    with django_assert_max_num_queries(12) as small:
        client.get(grid_url(engagement))
    _grid_with(engagement, 49, start=1)
    with django_assert_max_num_queries(len(small.captured_queries)) as large:
        response = client.get(grid_url(engagement))
    assert response.content.decode().count("Stakeholder ") >= 50
    assert len(large.captured_queries) == len(small.captured_queries)


def test_saving_a_row_of_a_50_row_grid_costs_a_bounded_number_of_queries(
    client_as, engagement, django_assert_max_num_queries
):
    _grid_with(engagement, 50)
    stakeholder = engagement.stakeholders.get(name="Stakeholder 7")
    client = client_as("member")
    with django_assert_max_num_queries(20):
        response = client.post(
            row_url(stakeholder),
            row_data(name="Stakeholder 7", kind="person", headcount="", version="1"),
            headers=ROW_HEADER,
        )
    assert 'data-state="saved"' in response.content.decode()
