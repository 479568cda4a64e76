import json

import pytest
from django.urls import reverse

from changeready.landscape.labels import QUESTIONS_BY_SLUG
from changeready.landscape.overview import answers_as
from changeready.landscape.presets import RELATION_PRESETS, RELATION_PRESETS_BY_SLUG
from changeready.landscape.tests.test_access import STAKEHOLDER_FORM

pytestmark = pytest.mark.django_db


def create_url(engagement, query=""):
    return reverse("stakeholder_create", args=[engagement.id]) + query


def test_adding_under_daily_use_fills_the_typical_values(client_as, engagement):
    form = client_as("member").get(create_url(engagement, "?question=daily")).context["form"]
    assert form["relation"].value() == "daily_user"
    assert form["role"].value() == "daily_user"
    assert (form["influence"].value(), form["interest"].value(), form["impact"].value()) == (
        2,
        4,
        5,
    )
    assert form["desired_engagement"].value() == "supportive"


def test_the_filled_values_are_shown_checked_and_stay_changeable(client_as, engagement):
    content = client_as("member").get(create_url(engagement, "?question=approved")).content
    assert b'value="5" class="choice-row" required id="id_influence_4" checked' in content
    assert b'name="impact" value="1"' in content
    assert b'name="impact" value="5"' in content


def test_did_not_want_it_offers_a_leader_who_is_not_filed_as_approving_it(client_as, engagement):
    client = client_as("member")
    form = client.get(create_url(engagement, "?question=opposed")).context["form"]
    # Under "who did not want it" nothing is guessed, but the leader is offered.
    assert form["relation"].value() in ("", None)
    assert "opposed_leader" in dict(form.fields["relation"].choices)
    leader = RELATION_PRESETS_BY_SLUG["opposed_leader"]
    assert not answers_as(QUESTIONS_BY_SLUG["approved"], leader.role, leader.opposed_purchase)
    assert answers_as(QUESTIONS_BY_SLUG["opposed"], leader.role, leader.opposed_purchase)
    assert leader.role not in ("economic_buyer", "executive_sponsor")


def test_a_leader_who_opposed_it_is_saved_from_the_preset(client_as, engagement):
    client = client_as("member")
    url = create_url(engagement, "?relation=opposed_leader")
    form = client.get(url).context["form"]
    assert form["opposed_purchase"].value() is True
    data = {
        **STAKEHOLDER_FORM,
        "kind": "person",
        "headcount": "",
        "name": "Dr Ines Park, Chief Medical Officer",
        "relation": "opposed_leader",
        **{name: str(form[name].value()) for name in ("role", "influence", "interest", "impact")},
        "desired_engagement": form["desired_engagement"].value(),
        "opposed_purchase": "on",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    saved = engagement.stakeholders.get(name__startswith="Dr Ines")
    assert (saved.role, saved.opposed_purchase, saved.influence) == ("people_manager", True, 5)


def test_the_users_own_values_win_over_the_chosen_relation(client_as, engagement):
    data = {**STAKEHOLDER_FORM, "relation": "economic_buyer", "influence": "1"}
    assert client_as("member").post(create_url(engagement), data).status_code == 302
    saved = engagement.stakeholders.get()
    assert (saved.role, saved.influence) == ("daily_user", 1)


def test_an_unknown_relation_is_refused_in_words(client_as, engagement):
    data = {**STAKEHOLDER_FORM, "relation": "janitor"}
    response = client_as("member").post(create_url(engagement), data)
    assert "relation" in response.context["form"].errors
    assert not engagement.stakeholders.exists()


def test_the_script_reads_every_preset_from_the_select(client_as, engagement):
    content = client_as("member").get(create_url(engagement)).content.decode()
    form = client_as("member").get(create_url(engagement)).context["form"]
    presets = json.loads(form.fields["relation"].widget.attrs["data-relation-presets"])
    assert presets == {preset.slug: preset.values() for preset in RELATION_PRESETS}
    assert "data-relation-presets=" in content
    assert "js/landscape.js" in content


@pytest.mark.parametrize("preset", RELATION_PRESETS, ids=lambda preset: preset.slug)
def test_every_preset_is_a_valid_stakeholder(client_as, engagement, preset):
    values = {name: str(value) for name, value in preset.values().items()}
    values["opposed_purchase"] = "on" if preset.opposed_purchase else ""
    data = {**STAKEHOLDER_FORM, **values, "relation": preset.slug}
    assert client_as("member").post(create_url(engagement), data).status_code == 302
