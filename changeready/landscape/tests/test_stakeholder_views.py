import pytest
from django.urls import reverse

from changeready.landscape.models import ResistancePoint, Stakeholder
from changeready.landscape.tests.factories import ResistancePointFactory, StakeholderFactory
from changeready.landscape.tests.test_access import POINT_FORM, STAKEHOLDER_FORM

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def create_url(engagement, question=""):
    base = reverse("stakeholder_create", args=[engagement.id])
    return f"{base}?question={question}" if question else base


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"influence": "0"}, "influence"),
        ({"interest": "6"}, "interest"),
        ({"impact": "high"}, "impact"),
        ({"kind": "robot"}, "kind"),
        ({"role": "janitor"}, "role"),
        ({"engagement_level": "angry"}, "engagement_level"),
        ({"desired_engagement": "ecstatic"}, "desired_engagement"),
        ({"involvement": ["lunch"]}, "involvement"),
        ({"adkar_desire": "7"}, "adkar_desire"),
        ({"adkar_awareness": "0"}, "adkar_awareness"),
        ({"headcount": "-3"}, "headcount"),
        ({"email": "not-an-email"}, "email"),
        ({"name": ""}, "name"),
        ({"kind": "person", "headcount": "12"}, "headcount"),
        ({"kind": "group", "headcount": "", "is_champion": "on"}, "is_champion"),
    ],
)
def test_invalid_stakeholder_is_refused_with_the_field_named(client_as, engagement, changes, field):
    data = {**STAKEHOLDER_FORM, **changes}
    response = client_as("member").post(create_url(engagement), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert f'id="id_{field}_error"' in response.content.decode()
    assert not Stakeholder.objects.exists()


def test_a_group_cannot_belong_to_a_group(client_as, engagement):
    parent = StakeholderFactory(engagement=engagement, name="Warehouse staff")
    data = {**STAKEHOLDER_FORM, "group": str(parent.id)}
    response = client_as("member").post(create_url(engagement), data)
    assert "group" in response.context["form"].errors
    assert Stakeholder.objects.count() == 1


def test_group_choices_are_this_engagements_groups_only(client_as, engagement):
    ours = StakeholderFactory(engagement=engagement, name="Pickers")
    StakeholderFactory(engagement=engagement, name="Marcus", kind="person")
    foreign = StakeholderFactory(name="Foreign group")
    response = client_as("member").get(create_url(engagement))
    choices = list(response.context["form"].fields["group"].queryset)
    assert choices == [ours]
    data = {**STAKEHOLDER_FORM, "kind": "person", "headcount": "", "group": str(foreign.id)}
    response = client_as("member").post(create_url(engagement), data)
    assert "group" in response.context["form"].errors
    assert not engagement.stakeholders.filter(name="Packers").exists()


def test_a_person_joins_a_group_and_may_be_a_champion(client_as, engagement):
    group = StakeholderFactory(engagement=engagement, name="Shift leads")
    data = {
        **STAKEHOLDER_FORM,
        "kind": "person",
        "name": "Tom Avery",
        "headcount": "",
        "group": str(group.id),
        "is_champion": "on",
        "authority_decreases": "on",
        "involvement": ["design", "discovery"],
        "adkar_awareness": "4.0",
    }
    response = client_as("member").post(create_url(engagement), data)
    assert response.status_code == 302
    tom = engagement.stakeholders.get(name="Tom Avery")
    assert (tom.group, tom.is_champion, tom.authority_decreases) == (group, True, True)
    # Involvement is stored in the domain's order, whatever order the form sent.
    assert tom.involvement == ["discovery", "design"]
    assert tom.adkar_awareness == 4.0 and tom.adkar_desire is None


def test_duplicate_name_is_reported_on_the_form(client_as, engagement):
    StakeholderFactory(engagement=engagement, name="packers")
    response = client_as("member").post(create_url(engagement), STAKEHOLDER_FORM)
    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    assert engagement.stakeholders.count() == 1


def test_add_under_a_question_preselects_its_role(client_as, engagement):
    client = client_as("member")
    form = client.get(create_url(engagement, "approved")).context["form"]
    assert form["role"].value() == "economic_buyer"
    form = client.get(create_url(engagement, "opposed")).context["form"]
    assert form["opposed_purchase"].value() is True


def test_concurrent_edit_is_refused_and_keeps_what_was_typed(client_as, engagement):
    stakeholder = StakeholderFactory(engagement=engagement, name="Pickers")
    url = reverse("stakeholder_edit", args=[engagement.id, stakeholder.id])
    client = client_as("member")
    first = {**STAKEHOLDER_FORM, "name": "First writer", "version": 1}
    second = {**STAKEHOLDER_FORM, "name": "Second writer", "version": 1}
    assert client.post(url, first).status_code == 302
    response = client.post(url, second)
    assert response.status_code == 200
    body = response.content.decode()
    assert "changed by someone else" in body
    assert 'value="Second writer"' in body
    stakeholder.refresh_from_db()
    assert (stakeholder.name, stakeholder.version) == ("First writer", 2)


def test_measured_fractional_adkar_survives_an_edit(client_as, engagement):
    stakeholder = StakeholderFactory(engagement=engagement, name="Pickers", adkar_desire=3.4)
    url = reverse("stakeholder_edit", args=[engagement.id, stakeholder.id])
    client = client_as("member")
    form = client.get(url).context["form"]
    data = {**STAKEHOLDER_FORM, "name": "Pickers", "version": 1}
    data["adkar_desire"] = form["adkar_desire"].value()
    assert client.post(url, data).status_code == 302
    stakeholder.refresh_from_db()
    assert stakeholder.adkar_desire == 3.4


def test_htmx_form_is_a_partial_that_swaps_itself_until_saved(client_as, engagement):
    client = client_as("member")
    response = client.get(create_url(engagement, "daily"), **HTMX)
    body = response.content.decode()
    assert "<html" not in body and 'hx-post="' in body
    response = client.post(
        create_url(engagement, "daily"), {**STAKEHOLDER_FORM, "name": ""}, **HTMX
    )
    assert response.status_code == 200
    assert "<html" not in response.content.decode()
    assert "HX-Retarget" not in response
    response = client.post(create_url(engagement, "daily"), STAKEHOLDER_FORM, **HTMX)
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#questions"
    body = response.content.decode()
    assert 'id="questions"' in body and "Packers" in body and "<html" not in body
    # The swap replaces the focused button: the saved stakeholder's name takes the focus.
    packers = Stakeholder.objects.get(name="Packers")
    assert body.count("autofocus") == 1
    link = reverse("stakeholder", args=[engagement.id, packers.id])
    assert f'tabindex="-1" autofocus><a href="{link}"' in body


def test_plain_form_page_has_no_htmx_attributes(client_as, engagement):
    body = client_as("member").get(create_url(engagement)).content.decode()
    assert "<html" in body and "hx-post" not in body


def test_delete_asks_for_confirmation_first(client_as, engagement):
    stakeholder = StakeholderFactory(engagement=engagement, name="Pickers")
    ResistancePointFactory(stakeholder=stakeholder)
    response = client_as("member").get(
        reverse("stakeholder_delete", args=[engagement.id, stakeholder.id])
    )
    assert "cannot be undone" in response.content.decode()
    assert "1 resistance point" in response.content.decode()
    assert Stakeholder.objects.filter(pk=stakeholder.pk).exists()


@pytest.mark.parametrize(
    ("question", "role"), [("daily", "daily_user"), ("manage", "people_manager")]
)
def test_adding_from_a_question_starts_from_its_role(client_as, engagement, question, role):
    url = reverse("stakeholder_create", args=[engagement.id]) + f"?question={question}"
    assert client_as("member").get(url).context["form"]["role"].value() == role


def test_someone_who_opposed_it_has_no_relation_until_one_is_chosen(client_as, engagement):
    url = reverse("stakeholder_create", args=[engagement.id]) + "?question=opposed"
    client = client_as("member")
    form = client.get(url).context["form"]
    assert form["role"].value() == ""
    assert form["opposed_purchase"].value() is True
    response = client.post(url, {**STAKEHOLDER_FORM, "role": "", "opposed_purchase": "on"})
    assert response.context["form"].errors["role"] == ["Choose how they relate to the change."]
    assert b'value="Packers"' in response.content
    assert not Stakeholder.objects.exists()


def test_nobody_opposed_is_recorded_and_can_be_undone(client_as, engagement):
    client = client_as("member")
    url = reverse("opposition_reviewed", args=[engagement.id])
    page = reverse("landscape", args=[engagement.id])
    assert "We asked: nobody opposed it" in client.get(page).content.decode()
    client.post(url, {"reviewed": "yes"})
    engagement.refresh_from_db()
    assert engagement.opposition_reviewed
    assert "Recorded: nobody opposed the purchase" in client.get(page).content.decode()
    response = client.post(url, {"reviewed": "no"}, **HTMX)
    assert response["HX-Retarget"] == "#questions"
    engagement.refresh_from_db()
    assert not engagement.opposition_reviewed


def test_viewer_sees_everything_but_no_edit_controls(client_as, engagement):
    stakeholder = StakeholderFactory(
        engagement=engagement, name="Pickers", success_definition="No paper pick lists."
    )
    ResistancePointFactory(stakeholder=stakeholder, severity=4)
    client = client_as("viewer")
    pages = {
        "landscape": reverse("landscape", args=[engagement.id]),
        "resistors": reverse("resistors", args=[engagement.id]),
        "detail": reverse("stakeholder", args=[engagement.id, stakeholder.id]),
    }
    for body in (client.get(page).content.decode() for page in pages.values()):
        assert "Pickers" in body
        assert "/edit/" not in body and "/delete/" not in body
        assert "stakeholders/new/" not in body and "resistance-points/new/" not in body
        assert "hx-post" not in body
    assert "No paper pick lists." in client.get(pages["detail"]).content.decode()
    member_body = client_as("member").get(pages["landscape"]).content.decode()
    assert "/edit/" in member_body and "stakeholders/new/" in member_body


# --- Resistance points -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"severity": "0"}, "severity"),
        ({"severity": "6"}, "severity"),
        ({"source": "grumpiness"}, "source"),
        ({"source": ""}, "source"),
        ({"strategy": "bribe"}, "strategy"),
        ({"status": "forgotten"}, "status"),
        ({"due_week": "99"}, "due_week"),
    ],
)
def test_invalid_resistance_point_is_refused(client_as, engagement, changes, field):
    stakeholder = StakeholderFactory(engagement=engagement)
    data = {**POINT_FORM, "stakeholder": str(stakeholder.id), **changes}
    response = client_as("member").post(
        reverse("resistance_point_create", args=[engagement.id]), data
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not ResistancePoint.objects.exists()


@pytest.mark.parametrize(
    ("due_week", "side"),
    [
        ("-9", "before the plan starts"),
        ("40", "after the plan ends"),
        ("60", "after the plan ends"),
    ],
)
def test_a_due_week_outside_the_plan_is_refused_in_words(client_as, engagement, due_week, side):
    stakeholder = StakeholderFactory(engagement=engagement)
    data = {**POINT_FORM, "stakeholder": str(stakeholder.id), "due_week": due_week}
    response = client_as("member").post(
        reverse("resistance_point_create", args=[engagement.id]), data
    )
    assert response.context["form"].errors["due_week"] == [
        f"Week {int(due_week):+d} is {side}: the plan runs from week -8 to week +12 around "
        "go-live (week 0). Choose a week in that range, or move the kickoff or renewal date "
        "of the engagement."
    ]
    assert not ResistancePoint.objects.exists()


def test_a_due_week_already_outside_the_plan_may_stay(client_as, engagement):
    point = ResistancePointFactory(
        stakeholder=StakeholderFactory(engagement=engagement), due_week=20
    )
    data = {
        **POINT_FORM,
        "stakeholder": str(point.stakeholder_id),
        "due_week": "20",
        "version": point.version,
        "severity": "5",
    }
    response = client_as("member").post(
        reverse("resistance_point_edit", args=[engagement.id, point.id]), data
    )
    assert response.status_code == 302
    point.refresh_from_db()
    assert (point.due_week, point.severity) == (20, 5)


def test_resistance_point_cannot_name_another_engagements_stakeholder(client_as, engagement):
    stranger = StakeholderFactory(name="Stranger")
    data = {**POINT_FORM, "stakeholder": str(stranger.id)}
    response = client_as("member").post(
        reverse("resistance_point_create", args=[engagement.id]), data
    )
    assert "stakeholder" in response.context["form"].errors
    assert not ResistancePoint.objects.exists()


def test_add_point_for_a_resistor_preselects_them_and_ignores_strangers(client_as, engagement):
    ours = StakeholderFactory(engagement=engagement, name="Tom")
    stranger = StakeholderFactory(name="Stranger")
    url = reverse("resistance_point_create", args=[engagement.id])
    client = client_as("member")
    assert client.get(f"{url}?stakeholder={ours.id}").context["form"]["stakeholder"].value() == (
        ours.id
    )
    form = client.get(f"{url}?stakeholder={stranger.id}").context["form"]
    assert form["stakeholder"].value() is None
    assert client.get(f"{url}?stakeholder=not-a-uuid").status_code == 200


def test_concurrent_point_edit_is_refused(client_as, engagement):
    point = ResistancePointFactory(stakeholder=StakeholderFactory(engagement=engagement))
    url = reverse("resistance_point_edit", args=[engagement.id, point.id])
    client = client_as("member")
    data = {**POINT_FORM, "stakeholder": str(point.stakeholder_id), "version": 1}
    assert client.post(url, {**data, "owner": "First"}).status_code == 302
    response = client.post(url, {**data, "owner": "Second"})
    assert "changed by someone else" in response.content.decode()
    assert 'value="Second"' in response.content.decode()
    point.refresh_from_db()
    assert point.owner == "First"


def test_htmx_point_save_refreshes_the_register(client_as, engagement):
    stakeholder = StakeholderFactory(engagement=engagement, name="Tom", opposed_purchase=True)
    url = reverse("resistance_point_create", args=[engagement.id])
    data = {**POINT_FORM, "stakeholder": str(stakeholder.id)}
    response = client_as("member").post(url, data, **HTMX)
    assert response["HX-Retarget"] == "#register"
    assert "Lena Kovacs" in response.content.decode()
    # The resistor whose point was saved takes the focus the swap removed.
    body = response.content.decode()
    assert body.count("autofocus") == 1
    assert f'id="r-{stakeholder.id}-title" tabindex="-1" autofocus>' in body


def test_strategy_and_owner_entered_on_an_open_point_plan_it_through_the_form(
    client_as, engagement
):
    point = ResistancePointFactory(stakeholder=StakeholderFactory(engagement=engagement))
    url = reverse("resistance_point_edit", args=[engagement.id, point.id])
    data = {
        **POINT_FORM,
        "stakeholder": str(point.stakeholder_id),
        "status": "open",
        "version": point.version,
    }
    response = client_as("member").post(url, data)
    assert response.status_code == 302
    point.refresh_from_db()
    assert point.status == "planned"
