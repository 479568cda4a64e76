"""Suggested phrases: offered on the stakeholder form, and the workspace's own library."""

import pytest
from django.urls import reverse

from changeready.conftest import PEOPLE, WRITERS
from changeready.landscape.models import WorkspacePhrase
from changeready.landscape.suggestions import BUILT_IN_PHRASES, Phrase, phrase_offers
from changeready.landscape.tests.test_access import STAKEHOLDER_FORM

pytestmark = pytest.mark.django_db

# Session, user, the layout's membership, the page's membership, the phrases.
QUERIES = 5
PHRASE_FORM = {
    "field": "resistance_triggers",
    "role": "daily_user",
    "industry": "healthcare",
    "text": "Night shift has no super-user on the ward.",
}


@pytest.fixture
def phrase(workspace):
    return WorkspacePhrase.objects.create(workspace=workspace, **PHRASE_FORM)


def page_url(workspace):
    return reverse("workspace_phrases", args=[workspace.slug])


def test_every_built_in_phrase_is_for_a_known_role_field_and_industry():
    from changeready.core.model import ROLES
    from changeready.landscape.suggestions import INDUSTRY_LABELS, PHRASE_FIELD_LABELS

    for built_in in BUILT_IN_PHRASES:
        assert built_in.role in ROLES
        assert built_in.field in PHRASE_FIELD_LABELS
        assert built_in.industry in INDUSTRY_LABELS
    roles = {built_in.role for built_in in BUILT_IN_PHRASES}
    assert roles == set(ROLES)


def test_offers_put_the_workspaces_own_first_and_mark_what_fits_the_role():
    own = Phrase("daily_user", "", "success_definition", "Own words first.")
    offers = phrase_offers([own], "daily_user")["success_definition"]
    assert offers[0] == (own, True)
    fitting = {phrase.role for phrase, fits in offers if fits}
    assert fitting == {"daily_user"}
    assert any(not fits for _, fits in offers)


def test_a_phrase_for_any_role_fits_every_role():
    anyone = Phrase("", "", "resistance_triggers", "Go-live in the holidays.")
    for role in ("daily_user", "it_security"):
        assert (anyone, True) in phrase_offers([anyone], role)["resistance_triggers"]


def test_the_form_offers_phrases_for_the_role_as_buttons_and_hides_the_rest(
    client_as, engagement, phrase
):
    url = reverse("stakeholder_create", args=[engagement.id]) + "?question=daily"
    content = client_as("member").get(url).content.decode()
    assert 'data-append-phrase="Night shift has no super-user on the ward."' in content
    assert 'data-phrases-for="id_success_definition"' in content
    assert 'data-phrases-for="id_resistance_triggers"' in content
    # Another role's phrase is there for the script to show, hidden for now.
    assert '<li data-phrase-role="economic_buyer" hidden>' in content
    assert '<li data-phrase-role="daily_user">' in content


def test_another_workspaces_phrases_are_not_offered(client_as, engagement, other_workspace):
    WorkspacePhrase.objects.create(
        workspace=other_workspace, field="success_definition", text="Rival's secret phrase."
    )
    url = reverse("stakeholder_create", args=[engagement.id])
    assert "Rival" not in client_as("member").get(url).content.decode()


def test_a_phrase_is_only_a_start_the_saved_answer_is_what_was_typed(client_as, engagement):
    typed = "Slower than the old way in the first weeks, on the night shift at Ward 4."
    data = {**STAKEHOLDER_FORM, "resistance_triggers": typed}
    url = reverse("stakeholder_create", args=[engagement.id])
    assert client_as("member").post(url, data).status_code == 302
    assert engagement.stakeholders.get().resistance_triggers == typed


@pytest.mark.parametrize("person", PEOPLE)
def test_the_library_page_is_for_members_and_only_writers_see_the_form(
    client_as, workspace, phrase, person
):
    response = client_as(person).get(page_url(workspace))
    expected = {"anonymous": 302, "outsider": 404}.get(person, 200)
    assert response.status_code == expected
    if expected == 200:
        content = response.content.decode()
        assert phrase.text in content
        assert ("Add phrase" in content) == (person in WRITERS)


@pytest.mark.parametrize("person", PEOPLE)
def test_only_writers_add_phrases(client_as, workspace, person):
    data = {**PHRASE_FORM, "text": "Badge readers at the ward door."}
    response = client_as(person).post(page_url(workspace), data)
    added = WorkspacePhrase.objects.filter(text=data["text"]).exists()
    if person in WRITERS:
        assert response.status_code == 302
        assert added
    else:
        assert response.status_code == {"anonymous": 302, "outsider": 404}.get(person, 403)
        assert not added


@pytest.mark.parametrize("person", PEOPLE)
def test_only_writers_delete_phrases_after_confirming(client_as, workspace, phrase, person):
    url = reverse("workspace_phrase_delete", args=[workspace.slug, phrase.id])
    client = client_as(person)
    refused = {"anonymous": 302, "outsider": 404}.get(person, 403)
    confirm_page = client.get(url)
    assert confirm_page.status_code == (200 if person in WRITERS else refused)
    assert WorkspacePhrase.objects.filter(id=phrase.id).exists()
    response = client.post(url)
    assert response.status_code == (302 if person in WRITERS else refused)
    assert WorkspacePhrase.objects.filter(id=phrase.id).exists() == (person not in WRITERS)


def test_a_duplicate_phrase_is_refused_in_words_and_kept_on_the_form(client_as, workspace, phrase):
    response = client_as("member").post(page_url(workspace), PHRASE_FORM)
    assert response.status_code == 200
    assert "already has this phrase" in response.content.decode()
    assert PHRASE_FORM["text"] in response.content.decode()
    assert WorkspacePhrase.objects.count() == 1


def test_an_empty_phrase_is_refused(client_as, workspace):
    response = client_as("member").post(page_url(workspace), {**PHRASE_FORM, "text": ""})
    assert "text" in response.context["form"].errors
    assert not WorkspacePhrase.objects.exists()


def test_the_library_page_costs_a_fixed_number_of_queries(
    client_as, workspace, django_assert_num_queries
):
    client = client_as("member")
    with django_assert_num_queries(QUERIES):
        client.get(page_url(workspace))
    for number in range(20):
        WorkspacePhrase.objects.create(
            workspace=workspace, field="success_definition", text=f"P{number}"
        )
    with django_assert_num_queries(QUERIES):
        client.get(page_url(workspace))


def test_writers_reach_the_library_from_the_landscape(client_as, engagement):
    page = reverse("landscape", args=[engagement.id])
    link = reverse("workspace_phrases", args=[engagement.workspace.slug])
    assert link in client_as("member").get(page).content.decode()
