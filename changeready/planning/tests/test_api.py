"""The plan's API: every operation against the six people, shapes, conflicts, bulk actuals."""

import json

import pytest
from django.db import connection

from changeready.conftest import PEOPLE, WRITERS
from changeready.core.model import FORMATS, WORKSTREAMS
from changeready.landscape.tests.factories import StakeholderFactory
from changeready.planning import regeneration
from changeready.planning.models import AdoptionTarget, PlanItem, PlanState
from changeready.planning.tests.example import create_example_engagement

pytestmark = pytest.mark.django_db


@pytest.fixture
def planned(engagement):
    StakeholderFactory(engagement=engagement, name="Pickers", role="daily_user")
    regeneration.regenerate_plan(engagement)
    item = engagement.plan_items.order_by("week", "title").first()
    target = engagement.adoption_targets.get(week=2)
    return {"engagement": engagement, "item": item, "target": target}


def snapshot(engagement):
    return (
        sorted(PlanItem.objects.filter(engagement=engagement).values_list("id", "version")),
        sorted(
            AdoptionTarget.objects.filter(engagement=engagement).values_list(
                "id", "version", "actual_pct"
            )
        ),
        list(PlanState.objects.filter(engagement=engagement).values_list("generated_at")),
    )


NEW_ITEM = {"week": 2, "title": "Lunch and learn", "kind": "training", "owner_role": "champion"}
OPERATIONS = [
    ("get", "/api/v1/engagements/{engagement}/plan", None, "read"),
    ("post", "/api/v1/engagements/{engagement}/plan/generate", None, "write"),
    ("post", "/api/v1/engagements/{engagement}/plan/items", NEW_ITEM, "write"),
    (
        "post",
        "/api/v1/engagements/{engagement}/plan/items/owners",
        {"owner": "Kim Park", "items": ["{item}"]},
        "write",
    ),
    ("patch", "/api/v1/plan-items/{item}", {"title": "Renamed"}, "write"),
    ("delete", "/api/v1/plan-items/{item}", None, "write"),
    ("patch", "/api/v1/adoption-targets/{target}", {"actual_pct": 30}, "write"),
    (
        "post",
        "/api/v1/engagements/{engagement}/plan/actuals",
        {"actuals": [{"stakeholder": "{stakeholder}", "week": 2, "actual_pct": 30}]},
        "write",
    ),
]
SUCCESS = {"get": 200, "post": 200, "patch": 200, "delete": 204}


def expected_status(method, path, person):
    if person == "anonymous":
        return 401
    if person == "outsider":
        return 404
    if person == "viewer" and method != "get":
        return 403
    return 201 if path.endswith("/items") else SUCCESS[method]


def fill(template, ids):
    if isinstance(template, str):
        return template.format(**ids)
    if isinstance(template, dict):
        return {key: fill(value, ids) for key, value in template.items()}
    if isinstance(template, list):
        return [fill(value, ids) for value in template]
    return template


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize(
    ("method", "path", "body", "kind"), OPERATIONS, ids=[f"{o[0]} {o[1]}" for o in OPERATIONS]
)
def test_operation_access(api_client_as, planned, person, method, path, body, kind):
    engagement = planned["engagement"]
    if path.endswith("/generate"):
        StakeholderFactory(engagement=engagement, name="Late arrivals")
    ids = {name: str(obj.id) for name, obj in planned.items()}
    ids["stakeholder"] = str(engagement.stakeholders.get(name="Pickers").id)
    before = snapshot(engagement)
    kwargs = {}
    if body is not None:
        kwargs = {"data": json.dumps(fill(body, ids)), "content_type": "application/json"}

    response = getattr(api_client_as(person), method)(fill(path, ids), **kwargs)

    assert response.status_code == expected_status(method, path, person), response.content
    changed = snapshot(engagement) != before
    assert changed == (kind == "write" and person in WRITERS)


def test_plan_shape_uses_the_engagement_file_names_with_ids(api_client_as, workspace, owner):
    example = create_example_engagement(workspace)
    response = api_client_as("owner").post(f"/api/v1/engagements/{example.id}/plan/generate")
    body = response.json()
    # Derived from the example's kickoff and renewal dates.
    assert (body["first_week"], body["last_week"]) == (-12, 43)
    linked = next(item for item in body["items"] if item["resistance_point"])
    assert set(linked) == {
        "id",
        "version",
        "week",
        "title",
        "description",
        "kind",
        "owner_role",
        "owner",
        "audience",
        "adkar_target",
        "resistance_point",
        "status",
        "origin",
        "reason",
        "workstream",
        "format",
    }
    assert linked["origin"].startswith("generated:")
    assert linked["workstream"] in WORKSTREAMS and linked["format"] in FORMATS
    stakeholder_ids = {str(s) for s in example.stakeholders.values_list("id", flat=True)}
    assert set(linked["audience"]) <= stakeholder_ids
    target = body["adoption_targets"][0]
    assert set(target) == {"id", "version", "stakeholder", "week", "target_pct", "actual_pct"}
    assert api_client_as("member").get(f"/api/v1/engagements/{example.id}/plan").json() == body


@pytest.mark.parametrize("groups", [1, 40])
def test_plan_read_query_budget(api_client_as, engagement, groups, django_assert_num_queries):
    for number in range(groups):
        StakeholderFactory(engagement=engagement, name=f"Group {number}", role="daily_user")
    regeneration.regenerate_plan(engagement)
    client = api_client_as("member")
    # token, membership, token last used, engagement, audiences, items, targets
    with django_assert_num_queries(QUERIES):
        response = client.get(f"/api/v1/engagements/{engagement.id}/plan")
    assert len(response.json()["adoption_targets"]) == groups * 12


QUERIES = 7


def test_patch_with_a_stale_if_match_is_409_and_changes_nothing(api_client_as, planned):
    item = planned["item"]
    client = api_client_as("member")
    url = f"/api/v1/plan-items/{item.id}"
    ok = client.patch(
        url,
        json.dumps({"owner": "Kim"}),
        content_type="application/json",
        headers={"If-Match": str(item.version)},
    )
    assert ok.status_code == 200 and ok.json()["version"] == item.version + 1
    stale = client.patch(
        url,
        json.dumps({"owner": "Lee"}),
        content_type="application/json",
        headers={"If-Match": str(item.version)},
    )
    assert stale.status_code == 409
    assert stale.json()["current_version"] == item.version + 1
    item.refresh_from_db()
    assert (item.owner, item.edited_by_hand) == ("Kim", True)


def test_an_item_outside_the_plan_is_422_in_words(api_client_as, planned):
    url = f"/api/v1/engagements/{planned['engagement'].id}/plan/items"
    response = api_client_as("member").post(
        url, json.dumps({**NEW_ITEM, "week": 40}), content_type="application/json"
    )
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["path"] == ["week"]
    assert error["message"].startswith("Week +40 is after the plan ends")
    assert not planned["engagement"].plan_items.filter(week=40).exists()


def test_invalid_item_is_422_with_field_paths(api_client_as, planned, engagement):
    client = api_client_as("member")
    url = f"/api/v1/engagements/{planned['engagement'].id}/plan/items"
    response = client.post(
        url, json.dumps({**NEW_ITEM, "week": 500}), content_type="application/json"
    )
    assert response.status_code == 422
    assert ["week"] in [error["path"] for error in response.json()["errors"]]
    foreign = StakeholderFactory(name="Elsewhere")
    response = client.post(
        url,
        json.dumps({**NEW_ITEM, "audience": [str(foreign.id)]}),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["path"] == ["audience"]
    assert not PlanItem.objects.filter(title="Lunch and learn").exists()


def test_deleted_generated_item_stays_deleted_through_the_api(api_client_as, planned):
    item = planned["item"]
    client = api_client_as("member")
    assert client.delete(f"/api/v1/plan-items/{item.id}").status_code == 204
    body = client.post(f"/api/v1/engagements/{planned['engagement'].id}/plan/generate").json()
    assert item.title not in {i["title"] for i in body["items"] if i["week"] == item.week}


def test_bulk_actuals_are_all_or_nothing_with_positions(api_client_as, planned):
    engagement = planned["engagement"]
    pickers = str(engagement.stakeholders.get(name="Pickers").id)
    response = api_client_as("member").post(
        f"/api/v1/engagements/{engagement.id}/plan/actuals",
        json.dumps(
            {
                "actuals": [
                    {"stakeholder": pickers, "week": 2, "actual_pct": 30},
                    {"stakeholder": pickers, "week": 60, "actual_pct": 30},
                ]
            }
        ),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["path"] == ["actuals", 1]
    assert not engagement.adoption_targets.exclude(actual_pct=None).exists()


def test_bulk_actuals_name_an_unknown_stakeholder_by_path(api_client_as, planned):
    engagement = planned["engagement"]
    stranger = StakeholderFactory(name="Pickers elsewhere", role="daily_user")
    response = api_client_as("member").post(
        f"/api/v1/engagements/{engagement.id}/plan/actuals",
        json.dumps({"actuals": [{"stakeholder": str(stranger.id), "week": 2, "actual_pct": 30}]}),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "path": ["actuals", 0, "stakeholder"],
            "message": "No such stakeholder in this engagement.",
        }
    ]


@pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="PostgreSQL's lower() folds Ä, so its uniqueness rule keeps the two names apart",
)
def test_bulk_actuals_land_on_the_stakeholder_sent_whatever_its_name(api_client_as, engagement):
    # SQLite's lower() folds only ASCII: both names may exist side by side.
    upper = StakeholderFactory(engagement=engagement, name="ÄRZTE", role="daily_user")
    lower = StakeholderFactory(engagement=engagement, name="ärzte", role="daily_user")
    regeneration.regenerate_plan(engagement)
    response = api_client_as("member").post(
        f"/api/v1/engagements/{engagement.id}/plan/actuals",
        json.dumps({"actuals": [{"stakeholder": str(lower.id), "week": 2, "actual_pct": 30}]}),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    figures = dict(
        engagement.adoption_targets.filter(week=2).values_list("stakeholder", "actual_pct")
    )
    assert figures == {upper.id: None, lower.id: 30.0}


def test_target_patch_marks_it_hand_set(api_client_as, planned):
    target = planned["target"]
    response = api_client_as("member").patch(
        f"/api/v1/adoption-targets/{target.id}",
        json.dumps({"target_pct": 61.5, "actual_pct": None}),
        content_type="application/json",
    )
    assert response.status_code == 200
    target.refresh_from_db()
    assert (target.target_pct, target.source, target.actual_pct) == (61.5, "manual", None)


def test_the_plan_is_in_the_openapi_schema(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/engagements/{engagement_id}/plan/generate" in paths
    assert "patch" in paths["/api/v1/plan-items/{item_id}"]
    assert "post" in paths["/api/v1/engagements/{engagement_id}/plan/items/owners"]


# --- bulk owner assignment ------------------------------------------------------


def owners_url(engagement):
    return f"/api/v1/engagements/{engagement.id}/plan/items/owners"


def post_json(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


def test_owners_by_ids_name_the_owner_and_make_the_items_hand_work(api_client_as, workspace):
    example = create_example_engagement(workspace)
    regeneration.regenerate_plan(example)
    first, second, untouched = example.plan_items.order_by("week", "title")[:3]
    PlanItem.objects.filter(pk=second.pk).update(owner="Kim Park")

    response = post_json(
        api_client_as("member"),
        owners_url(example),
        {"owner": "Kim Park", "items": [str(first.id), str(second.id), str(first.id)]},
    )

    assert response.status_code == 200, response.content
    assert response.json() == {"matched": 2, "changed": 1}
    first.refresh_from_db()
    assert (first.owner, first.edited_by_hand, first.version) == ("Kim Park", True, 2)
    untouched.refresh_from_db()
    assert untouched.owner != "Kim Park" and not untouched.edited_by_hand
    # Hand work: the next regeneration keeps the named owner.
    regeneration.regenerate_plan(example)
    first.refresh_from_db()
    assert first.owner == "Kim Park"


def test_owners_by_filter_pick_what_the_plan_page_would_show(api_client_as, workspace):
    example = create_example_engagement(workspace)
    regeneration.regenerate_plan(example)
    pickers = example.stakeholders.get(name="Pickers and packers")
    wanted = set(
        example.plan_items.filter(
            workstream="enablement", week__gte=-4, week__lte=4, audience=pickers
        ).values_list("id", flat=True)
    )
    assert wanted, "the example plan trains the pickers around go-live"

    response = post_json(
        api_client_as("owner"),
        owners_url(example),
        {
            "owner": "Dana Whitfield",
            "filter": {
                "workstream": "enablement",
                "audience": str(pickers.id),
                "first_week": -4,
                "last_week": 4,
            },
        },
    )

    assert response.status_code == 200, response.content
    assert response.json()["matched"] == len(wanted)
    assert set(example.plan_items.filter(owner="Dana Whitfield").values_list("id", flat=True)) == (
        wanted
    )


def test_owners_for_items_without_one_and_a_filter_matching_nothing(api_client_as, workspace):
    example = create_example_engagement(workspace)
    regeneration.regenerate_plan(example)
    ownerless = set(example.plan_items.filter(owner="").values_list("id", flat=True))
    before = snapshot(example)
    client = api_client_as("owner")

    nothing = post_json(
        client,
        owners_url(example),
        {"owner": "Kim Park", "filter": {"owner": "Nobody Here"}},
    )
    assert nothing.json() == {"matched": 0, "changed": 0}
    assert snapshot(example) == before

    response = post_json(client, owners_url(example), {"owner": "Kim", "filter": {"owner": "-"}})
    assert response.json() == {"matched": len(ownerless), "changed": len(ownerless)}
    assert not example.plan_items.filter(owner="").exists()


@pytest.mark.parametrize(
    ("body", "path"),
    [
        ({"owner": "Kim"}, ["items"]),
        ({"owner": "Kim", "items": ["{item}"], "filter": {}}, ["items"]),
        ({"owner": "Kim", "items": ["{foreign_item}"]}, ["items"]),
        ({"owner": "Kim", "filter": {"audience": "{foreign_stakeholder}"}}, ["filter", "audience"]),
        ({"owner": "  ", "items": ["{item}"]}, ["owner"]),
        ({"owner": "Kim", "items": []}, ["items"]),
        ({"owner": "Kim", "filter": {"workstream": "gardening"}}, ["filter", "workstream"]),
        ({"owner": "Kim", "filter": {"colour": "red"}}, ["filter", "colour"]),
    ],
)
def test_owners_refuse_bad_input_with_its_path_and_change_nothing(
    api_client_as, planned, other_workspace, body, path
):
    engagement = planned["engagement"]
    foreign = create_example_engagement(other_workspace)
    regeneration.regenerate_plan(foreign)
    ids = {
        "item": str(planned["item"].id),
        "foreign_item": str(foreign.plan_items.first().id),
        "foreign_stakeholder": str(foreign.stakeholders.first().id),
    }
    before = snapshot(engagement), snapshot(foreign)

    response = post_json(api_client_as("owner"), owners_url(engagement), fill(body, ids))

    assert response.status_code == 422, response.content
    assert path in [error["path"] for error in response.json()["errors"]]
    assert (snapshot(engagement), snapshot(foreign)) == before


def test_owners_take_a_fixed_number_of_queries(
    api_client_as, workspace, django_assert_max_num_queries
):
    example = create_example_engagement(workspace)
    regeneration.regenerate_plan(example)
    client = api_client_as("owner")

    with django_assert_max_num_queries(16):
        response = post_json(client, owners_url(example), {"owner": "Kim", "filter": {}})

    assert response.json()["changed"] == example.plan_items.count() > 20
