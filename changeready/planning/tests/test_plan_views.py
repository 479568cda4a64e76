"""The plan pages: who may do what, what each action does, htmx partials, query budgets."""

import datetime

import pytest
from django.urls import reverse

from changeready.conftest import PEOPLE, WRITERS
from changeready.core.weeks import plan_week
from changeready.engagements.tests.factories import EngagementFactory
from changeready.landscape.tests.factories import StakeholderFactory
from changeready.planning import item_edits, regeneration
from changeready.planning.models import AdoptionTarget, PlanItem, PlanState
from changeready.planning.tests.factories import PlanItemFactory

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


@pytest.fixture
def planned(engagement):
    """An engagement with one daily-user group and a generated plan."""
    StakeholderFactory(engagement=engagement, name="Pickers", role="daily_user")
    regeneration.regenerate_plan(engagement)
    return engagement


def plan_state_of(engagement):
    """Everything a write could change, to assert that nothing did."""
    items = sorted(
        PlanItem.objects.filter(engagement=engagement).values_list(
            "id", "week", "title", "status", "owner", "version"
        )
    )
    targets = sorted(
        AdoptionTarget.objects.filter(engagement=engagement).values_list(
            "id", "target_pct", "actual_pct", "version"
        )
    )
    state = list(
        PlanState.objects.filter(engagement=engagement).values_list(
            "dismissed_keys", "adoption_target_pct", "adoption_target_week"
        )
    )
    version = type(engagement).objects.filter(pk=engagement.pk).values_list("version")
    return items, targets, state, list(version)


def expected_status(person, ok):
    return {"anonymous": 302, "outsider": 404, "viewer": 403}.get(person, ok)


# --- reading ------------------------------------------------------------------


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("name", ["plan", "plan_generate", "adoption"])
def test_read_pages_access(client_as, planned, person, name):
    before = plan_state_of(planned)
    response = client_as(person).get(reverse(name, args=[planned.id]))
    assert response.status_code == {"anonymous": 302, "outsider": 404}.get(person, 200)
    assert plan_state_of(planned) == before


def test_plan_preview_on_get_writes_nothing(client_as, engagement):
    StakeholderFactory(engagement=engagement, name="Pickers")
    response = client_as("member").get(reverse("plan_generate", args=[engagement.id]))
    assert response.status_code == 200
    assert b"Will be added" in response.content
    assert not PlanItem.objects.exists()
    assert not PlanState.objects.exists()


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("name", ["plan_settings", "plan_item_create"])
def test_write_forms_are_for_writers(client_as, planned, person, name):
    response = client_as(person).get(reverse(name, args=[planned.id]))
    assert response.status_code == expected_status(person, 200)


@pytest.mark.parametrize("name", ["plan_generate", "plan_settings", "plan_item_create"])
def test_plan_sub_pages_say_which_engagement_they_belong_to(client_as, planned, name):
    response = client_as("member").get(reverse(name, args=[planned.id]))
    assert b'<p class="eyebrow">Northwind \xc2\xb7 WMS rollout</p>' in response.content
    assert response.content.count(b"<h1>") == 1


def test_empty_plan_explains_generation(client_as, engagement):
    response = client_as("member").get(reverse("plan", args=[engagement.id]))
    assert b"No activation plan yet" in response.content
    assert reverse("plan_generate", args=[engagement.id]).encode() in response.content


def test_viewer_sees_the_plan_without_edit_controls(client_as, planned):
    response = client_as("viewer").get(reverse("plan", args=[planned.id]))
    body = response.content.decode()
    assert "Go-live week" in body
    assert "Regenerate" not in body
    assert "/edit/" not in body


def test_timeline_spans_the_window_and_marks_go_live(client_as, planned):
    response = client_as("member").get(reverse("plan", args=[planned.id]))
    weeks = [week.number for week in response.context["weeks"]]
    assert weeks == list(range(-8, 13))
    assert [week.number for week in response.context["weeks"] if week.is_go_live] == [0]


def test_items_outside_the_window_are_shown_in_their_own_week_only(client_as, planned):
    PlanItemFactory(engagement=planned, week=40, title="Late review")
    PlanItemFactory(engagement=planned, week=-9, title="Early call")
    response = client_as("member").get(reverse("plan", args=[planned.id]))
    weeks = response.context["weeks"]
    assert [week.number for week in weeks] == [-9, *range(-8, 13), 40]
    assert [week.number for week in weeks if week.outside_plan] == [-9, 40]
    assert b"Late review" in response.content
    assert response.content.count(b"Outside the plan") == 2


def test_the_move_control_shows_the_real_week_of_an_item_outside_the_plan(client_as, planned):
    late = PlanItemFactory(engagement=planned, week=20, title="Late review")
    response = client_as("member").get(reverse("plan", args=[planned.id]))
    select = response.content.decode().split(f'id="move-{late.id}"')[1].split("</select>")[0]
    assert select.count(" selected") == 1
    assert '<option value="20" selected>Week 20 (outside the plan: stays here)</option>' in select


def test_moving_an_item_outside_the_plan_to_its_own_week_keeps_it(client_as, planned):
    late = PlanItemFactory(engagement=planned, week=20, title="Late review")
    client_as("member").post(
        reverse("plan_item_move", args=[planned.id, late.id]),
        {"week": 20, "version": late.version},
    )
    late.refresh_from_db()
    assert late.week == 20


@pytest.mark.parametrize("week", [-9, 13, 40])
def test_an_item_cannot_be_added_outside_the_plan(client_as, planned, week):
    before = plan_state_of(planned)
    response = client_as("member").post(
        reverse("plan_item_create", args=[planned.id]),
        {
            "week": week,
            "title": "Keep me",
            "kind": "training",
            "owner_role": "delivery",
            "status": "planned",
        },
    )
    assert response.status_code == 200
    [message] = response.context["form"].errors["week"]
    side = "before the plan starts" if week < 0 else "after the plan ends"
    assert message.startswith(f"Week {week:+d} is {side}: the plan runs from week -8 to week +12")
    assert b'value="Keep me"' in response.content
    assert plan_state_of(planned) == before


def test_an_item_cannot_be_moved_outside_the_plan(client_as, planned):
    item = _item(planned)
    before = plan_state_of(planned)
    response = client_as("member").post(
        reverse("plan_item_move", args=[planned.id, item.id]),
        {"week": 30, "version": item.version},
        headers=HTMX,
    )
    assert "Week +30 is after the plan ends" in response.context["notice"]
    assert plan_state_of(planned) == before


def test_an_item_outside_the_plan_can_be_edited_where_it_is(client_as, planned):
    late = PlanItemFactory(engagement=planned, week=20, title="Late review")
    client_as("member").post(
        reverse("plan_item_edit", args=[planned.id, late.id]),
        {
            "week": 20,
            "title": "Late review with the sponsor",
            "kind": "checkpoint",
            "owner_role": "delivery",
            "status": "planned",
            "version": late.version,
        },
    )
    late.refresh_from_db()
    assert (late.week, late.title) == (20, "Late review with the sponsor")


def test_filters_by_audience_reach_the_group_of_a_person(client_as, planned):
    group = planned.stakeholders.get(name="Pickers")
    person = StakeholderFactory(engagement=planned, name="Ana", kind="person", group=group)
    direct = PlanItemFactory(engagement=planned, title="For Ana only")
    direct.audience.add(person)
    unrelated = PlanItemFactory(engagement=planned, title="For nobody")
    response = client_as("member").get(
        reverse("plan", args=[planned.id]), {"audience": str(person.id)}
    )
    titles = {item.title for week in response.context["weeks"] for item in week.items}
    assert "For Ana only" in titles
    assert unrelated.title not in titles
    group_items = set(planned.plan_items.filter(audience=group).values_list("title", flat=True))
    assert group_items <= titles


def test_filters_by_owner_and_owner_role(client_as, planned):
    PlanItemFactory(engagement=planned, title="Kim's", owner="Kim", owner_role="champion")
    client = client_as("member")
    url = reverse("plan", args=[planned.id])
    titles = lambda response: {i.title for w in response.context["weeks"] for i in w.items}  # noqa: E731
    assert titles(client.get(url, {"owner": "Kim"})) == {"Kim's"}
    unowned = titles(client.get(url, {"owner": "-"}))
    assert "Kim's" not in unowned and unowned
    assert titles(client.get(url, {"owner_role": "champion"})) >= {"Kim's"}
    # a bad filter value is ignored, not an error
    assert client.get(url, {"audience": "not-a-uuid"}).status_code == 200


# --- writing: the access matrix -------------------------------------------------


def _item(planned):
    return planned.plan_items.order_by("week", "title").first()


WRITES = {
    "generate": lambda e: (reverse("plan_generate", args=[e.id]), {}),
    "create": lambda e: (
        reverse("plan_item_create", args=[e.id]),
        {
            "week": 2,
            "title": "New",
            "kind": "training",
            "owner_role": "delivery",
            "status": "planned",
        },
    ),
    "edit": lambda e: (
        reverse("plan_item_edit", args=[e.id, _item(e).id]),
        {
            "week": 2,
            "title": "Changed",
            "kind": "training",
            "owner_role": "delivery",
            "status": "planned",
            "version": _item(e).version,
        },
    ),
    "move": lambda e: (
        reverse("plan_item_move", args=[e.id, _item(e).id]),
        {"week": 9, "version": _item(e).version},
    ),
    "status": lambda e: (
        reverse("plan_item_status", args=[e.id, _item(e).id]),
        {"status": "done", "version": _item(e).version},
    ),
    "delete": lambda e: (reverse("plan_item_delete", args=[e.id, _item(e).id]), {}),
    "settings": lambda e: (
        reverse("plan_settings", args=[e.id]),
        {
            "adoption_target_pct": 70,
            "adoption_target_week": 6,
            "version": e.version,
        },
    ),
    "target": lambda e: (
        reverse("adoption_target", args=[e.id, e.adoption_targets.get(week=3).id]),
        {"target_pct": 33, "actual_pct": 12, "version": 1},
    ),
    "bulk_owner": lambda e: (
        reverse("plan_bulk_owner", args=[e.id]),
        {
            "owner": "Sam Okafor",
            "items": [str(pk) for pk in e.plan_items.values_list("id", flat=True)[:3]],
        },
    ),
}


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("action", sorted(WRITES))
def test_write_access_matrix(client_as, planned, person, action):
    if action == "generate":
        StakeholderFactory(engagement=planned, name="Late arrivals")
    url, data = WRITES[action](planned)
    before = plan_state_of(planned)

    response = client_as(person).post(url, data)

    assert response.status_code == expected_status(person, 302)
    changed = plan_state_of(planned) != before
    assert changed == (person in WRITERS), action


def test_other_workspace_items_are_404_even_through_my_engagement(client_as, planned, outsider):
    from changeready.engagements.tests.factories import EngagementFactory

    foreign = PlanItemFactory(
        engagement=EngagementFactory(workspace=outsider.memberships.get().workspace)
    )
    response = client_as("owner").post(
        reverse("plan_item_status", args=[planned.id, foreign.id]), {"status": "done"}
    )
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.status == "planned"


# --- writing: what each action does ---------------------------------------------


def test_add_item_in_a_week_without_js(client_as, planned):
    group = planned.stakeholders.get()
    response = client_as("member").post(
        reverse("plan_item_create", args=[planned.id]) + "?owner_role=champion",
        {
            "week": 3,
            "title": "Lunch and learn",
            "kind": "training",
            "owner_role": "champion",
            "owner": "Kim",
            "audience": [group.id],
            "status": "planned",
        },
    )
    item = planned.plan_items.get(title="Lunch and learn")
    assert response.status_code == 302
    assert response.url.startswith(reverse("plan", args=[planned.id]) + "?owner_role=champion")
    assert response.url.endswith(f"#item-{item.id}")
    assert item.origin == "manual"
    assert list(item.audience.all()) == [group]


def test_invalid_item_keeps_input_and_shows_error_next_to_field(client_as, planned):
    response = client_as("member").post(
        reverse("plan_item_create", args=[planned.id]),
        {"week": 500, "title": "Keep me", "kind": "training", "owner_role": "delivery"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["week"]
    assert b'value="Keep me"' in response.content


def test_htmx_edit_returns_the_form_partial_then_the_timeline(client_as, planned):
    item = _item(planned)
    client = client_as("member")
    form = client.get(reverse("plan_item_edit", args=[planned.id, item.id]), headers=HTMX)
    assert form.templates[0].name == "planning/_item_form.html"
    assert b"<html" not in form.content

    response = client.post(
        reverse("plan_item_edit", args=[planned.id, item.id]),
        {
            "week": item.week,
            "title": "Renamed",
            "kind": item.kind,
            "owner_role": item.owner_role,
            "status": "planned",
            "version": item.version,
        },
        headers=HTMX,
    )
    assert response.status_code == 200
    assert response.templates[0].name == "planning/_timeline.html"
    body = response.content.decode()
    assert 'id="plan-timeline"' in body
    # focus goes back to the edited item
    assert f'id="item-{item.id}"' in body and "autofocus" in body
    item.refresh_from_db()
    assert (item.title, item.edited_by_hand) == ("Renamed", True)


def test_stale_edit_is_refused_with_the_typed_values_kept(client_as, planned):
    item = _item(planned)
    stale_version = item.version
    item_edits.update_item(item, expected_version=stale_version, title="Their title")

    response = client_as("member").post(
        reverse("plan_item_edit", args=[planned.id, item.id]),
        {
            "week": item.week,
            "title": "My title",
            "kind": item.kind,
            "owner_role": item.owner_role,
            "status": "planned",
            "version": stale_version,
        },
        headers=HTMX,
    )

    assert response.status_code == 200
    assert response["HX-Retarget"] == f"#item-{item.id}"
    body = response.content.decode()
    assert "changed by someone else" in body
    assert 'value="My title"' in body
    assert "Their title" in body
    item.refresh_from_db()
    assert item.title == "Their title"


def test_stale_move_is_refused_and_reported(client_as, planned):
    item = _item(planned)
    stale_version = item.version
    item_edits.set_item_status(item, "done", expected_version=stale_version)
    response = client_as("member").post(
        reverse("plan_item_move", args=[planned.id, item.id]),
        {"week": 11, "version": stale_version},
        headers=HTMX,
    )
    assert "changed by someone else" in response.content.decode()
    item.refresh_from_db()
    assert item.week != 11


def test_delete_generated_item_is_not_brought_back(client_as, planned):
    item = _item(planned)
    client = client_as("member")
    confirm = client.get(reverse("plan_item_delete", args=[planned.id, item.id]))
    assert b"Delete item" in confirm.content
    client.post(reverse("plan_item_delete", args=[planned.id, item.id]))
    client.post(reverse("plan_generate", args=[planned.id]))
    assert not planned.plan_items.filter(generation_key=item.generation_key).exists()


def test_status_buttons_mark_done_and_reopen(client_as, planned):
    item = _item(planned)
    client = client_as("member")
    url = reverse("plan_item_status", args=[planned.id, item.id])
    client.post(url, {"status": "done", "version": item.version})
    item.refresh_from_db()
    assert item.status == "done"
    client.post(url, {"status": "planned", "version": item.version})
    item.refresh_from_db()
    assert item.status == "planned"


def test_settings_change_the_ramp(client_as, planned):
    client_as("member").post(*WRITES["settings"](planned))
    planned.refresh_from_db()
    assert planned.plan_state.adoption_target_pct == 70


# --- query budget -----------------------------------------------------------------


@pytest.mark.parametrize("size", [10, 300])
def test_plan_page_query_budget(client_as, engagement, size, django_assert_num_queries):
    groups = [StakeholderFactory(engagement=engagement, name=f"Group {i}") for i in range(5)]
    for i in range(size):
        item = PlanItemFactory(engagement=engagement, week=i % 17 - 4, owner=f"Owner {i % 3}")
        item.audience.add(groups[i % 5])
    client = client_as("member")
    # session, user, memberships (tenancy's and the layout's workspace
    # switcher's), engagement, named owners, filter stakeholders, items (with
    # resistance points), audiences, commitments, plan state, "has items".
    with django_assert_num_queries(11):
        response = client.get(reverse("plan", args=[engagement.id]))
    assert response.context["item_count"] == size


# --- the plan a team runs each week ---------------------------------------------------


def test_bulk_assign_names_one_owner_for_the_ticked_items_and_marks_them_hand_work(
    client_as, planned
):
    chosen = list(planned.plan_items.filter(origin__startswith="generated")[:2])
    other = planned.plan_items.exclude(id__in=[item.id for item in chosen]).first()
    response = client_as("member").post(
        reverse("plan_bulk_owner", args=[planned.id]),
        {"owner": "  Sam Okafor ", "items": [str(item.id) for item in chosen]},
    )
    assert response.status_code == 302
    for item in chosen:
        item.refresh_from_db()
        assert (item.owner, item.edited_by_hand) == ("Sam Okafor", True)
    other.refresh_from_db()
    assert other.owner != "Sam Okafor"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"owner": "Sam"}, "Tick at least one item"),
        ({"owner": "", "items": ["ITEM"]}, "Name the owner"),
        ({"owner": "Sam", "items": ["ITEM", "FOREIGN"]}, "must belong to this plan"),
    ],
)
def test_bulk_assign_refuses_in_words_and_changes_nothing(
    client_as, planned, other_workspace, data, message
):
    item = _item(planned)
    foreign = PlanItemFactory(engagement=EngagementFactory(workspace=other_workspace))
    items = [
        {"ITEM": str(item.id), "FOREIGN": str(foreign.id)}[key] for key in data.get("items", [])
    ]
    before = plan_state_of(planned)
    response = client_as("member").post(
        reverse("plan_bulk_owner", args=[planned.id]), {**data, "items": items}, headers=HTMX
    )
    assert message in response.context["notice"]
    assert plan_state_of(planned) == before


def test_the_plan_reads_by_phase_with_one_line_per_item(client_as, planned):
    response = client_as("member").get(reverse("plan", args=[planned.id]))
    keys = [section.key for section in response.context["sections"]]
    assert keys == ["prepare", "go_live", "hypercare", "reinforce"]
    body = response.content.decode()
    assert "Prepare: weeks −8 to −1" in body
    assert body.count('class="plan-item plan-line') == planned.plan_items.count()
    assert "nothing planned" in body


def test_filter_by_workstream_and_group_by_owner(client_as, planned):
    response = client_as("member").get(
        reverse("plan", args=[planned.id]), {"workstream": "handoff"}
    )
    shown = [item for week in response.context["weeks"] for item in week.items]
    assert shown and {item.workstream for item in shown} == {"handoff"}

    response = client_as("member").get(reverse("plan", args=[planned.id]), {"view": "owner"})
    titles = [section.title for section in response.context["sections"]]
    assert titles[-1] == "No named owner"


def test_this_week_and_next_shows_what_a_member_runs_now(client_as, planned):
    this_week = plan_week(planned.go_live_date, datetime.date.today())
    PlanItemFactory(engagement=planned, week=this_week, title="Now", owner="Sam")
    PlanItemFactory(engagement=planned, week=this_week + 1, title="Next", owner="Sam")
    PlanItemFactory(engagement=planned, week=this_week + 2, title="Later", owner="Sam")
    response = client_as("member").get(
        reverse("plan", args=[planned.id]), {"view": "now", "owner": "Sam"}
    )
    sections = response.context["sections"]
    shown = [item.title for section in sections for w in section.weeks for item in w.items]
    assert shown == ["Now", "Next"]
    assert sections[0].title.startswith("This week")


def test_the_preview_is_a_summary_with_its_button_on_top(client_as, planned):
    StakeholderFactory(engagement=planned, name="Late arrivals")
    response = client_as("member").get(reverse("plan_generate", args=[planned.id]))
    body = response.content.decode()
    assert body.index("Regenerate the plan</button>") < body.index("What changes")
    by_phase, by_workstream = response.context["counts"]
    assert sum(row.added for row in by_phase) == len(response.context["preview"].items_to_add)
    assert sum(row.added for row in by_workstream) == sum(row.added for row in by_phase)
