"""Who made a change: every web view and API handler names the signed-in person.

One web write and one API write per app; each asserts the event's actor, and
so fails if a view or handler stops passing it (the event then reads
"changeready", the automatic actor).
"""

import json

import pytest
from django.urls import reverse
from django.utils.html import escape

from changeready.activity.models import ActivityEvent
from changeready.engagement_file.tests.test_api_and_views import EXAMPLE
from changeready.engagements.tests.test_engagement_views import VALID_FORM
from changeready.landscape.tests.factories import StakeholderFactory
from changeready.landscape.tests.test_access import STAKEHOLDER_FORM
from changeready.planning import item_edits, rules_library
from changeready.planning.tests.factories import AdoptionTargetFactory, PlanItemFactory
from changeready.surveys import services as survey_services
from changeready.surveys.links import SurveyLink
from changeready.surveys.tests.factories import SurveyFactory, answers

pytestmark = pytest.mark.django_db


def post_json(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def patch_json(client, url, body):
    return client.patch(url, json.dumps(body), content_type="application/json")


def latest(**filters) -> ActivityEvent:
    return ActivityEvent.objects.filter(**filters).latest("created_at")


def assert_by(event: ActivityEvent, user) -> None:
    assert event.actor == user
    assert event.actor_label == user.display_name
    assert str(event).startswith(user.display_name + " ")


# --- engagements ------------------------------------------------------------------


def test_engagement_created_in_the_browser_names_the_member(client_as, member, workspace):
    response = client_as("member").post(
        reverse("engagement_create", args=[workspace.slug]), VALID_FORM
    )
    assert response.status_code == 302
    assert_by(latest(obj_type="engagement", verb="created"), member)


def test_engagement_changed_through_the_api_names_the_token_owner(
    api_client_as, member, engagement
):
    response = patch_json(
        api_client_as("member"), f"/api/v1/engagements/{engagement.id}", {"phase": "test"}
    )
    assert response.status_code == 200, response.content
    assert_by(latest(obj_type="engagement", verb="updated"), member)


# --- landscape -------------------------------------------------------------------


def test_stakeholder_added_in_the_browser_names_the_member(client_as, member, engagement):
    response = client_as("member").post(
        reverse("stakeholder_create", args=[engagement.id]), STAKEHOLDER_FORM
    )
    assert response.status_code == 302
    assert_by(latest(obj_type="stakeholder", verb="created"), member)


def test_resistance_point_added_through_the_api_names_the_token_owner(
    api_client_as, member, engagement
):
    pickers = StakeholderFactory(engagement=engagement, name="Pickers")
    response = post_json(
        api_client_as("member"),
        f"/api/v1/engagements/{engagement.id}/resistance",
        {"stakeholder": str(pickers.id), "source": "habit", "severity": 3},
    )
    assert response.status_code == 201, response.content
    assert_by(latest(obj_type="resistance_point", verb="created"), member)


# --- planning --------------------------------------------------------------------


def test_plan_item_marked_done_in_the_browser_names_the_member(client_as, member, engagement):
    item = PlanItemFactory(engagement=engagement, title="Kick-off email")
    client_as("member").post(
        reverse("plan_item_status", args=[engagement.id, item.id]),
        {"status": "done", "version": item.version},
    )
    event = latest(obj_type="plan_item")
    assert_by(event, member)
    assert event.summary == "changed plan item “Kick-off email”: status Planned → Done"


def test_plan_item_moved_through_the_api_names_the_token_owner(api_client_as, member, engagement):
    item = PlanItemFactory(engagement=engagement, title="Kick-off email", week=1)
    response = patch_json(api_client_as("member"), f"/api/v1/plan-items/{item.id}", {"week": 3})
    assert response.status_code == 200, response.content
    event = latest(obj_type="plan_item")
    assert_by(event, member)
    assert event.changes == {"week": [1, 3]}


def test_plan_regenerated_through_the_api_is_one_event_with_counts(
    api_client_as, member, engagement
):
    StakeholderFactory(engagement=engagement, name="Pickers", headcount=40)
    response = api_client_as("member").post(f"/api/v1/engagements/{engagement.id}/plan/generate")
    assert response.status_code == 200, response.content
    added = len(response.json()["items"])
    event = ActivityEvent.objects.get(obj_type="plan")
    assert_by(event, member)
    assert event.verb == "generated"
    assert f"{added} added, 0 removed" in event.summary
    assert not ActivityEvent.objects.filter(obj_type="plan_item").exists()

    # Nothing to change: a second regeneration leaves no event.
    api_client_as("member").post(f"/api/v1/engagements/{engagement.id}/plan/generate")
    assert ActivityEvent.objects.filter(obj_type="plan").count() == 1


def test_adoption_target_edits_name_the_person_and_the_values(client_as, member, engagement):
    pickers = StakeholderFactory(engagement=engagement, name="Pickers")
    target = AdoptionTargetFactory(stakeholder=pickers, week=4, target_pct=60.0)
    client_as("member").post(
        reverse("adoption_target", args=[engagement.id, target.id]),
        {"target_pct": "70", "actual_pct": "55", "version": target.version},
    )
    summaries = [e.summary for e in ActivityEvent.objects.filter(obj_type="adoption_target")]
    assert sorted(summaries) == [
        "changed adoption target “Pickers, week 4”: actual % — → 55.0",
        "changed adoption target “Pickers, week 4”: target % 60.0 → 70.0",
    ]
    assert all(e.actor == member for e in ActivityEvent.objects.filter(obj_type="adoption_target"))


def test_a_deleted_plan_item_keeps_its_id_and_title(engagement, member):
    item = PlanItemFactory(engagement=engagement, title="Floor walk")
    item_id = item.id
    item_edits.delete_item(item, actor=member)
    event = latest(obj_type="plan_item", verb="deleted")
    assert (event.obj_id, event.label) == (item_id, "Floor walk")
    assert_by(event, member)


# --- the playbook: workspace events, in no engagement ----------------------------------


def test_rule_library_edits_are_workspace_events(client_as, owner, workspace):
    key = rules_library.rule_library(workspace)[0].key
    title = rules_library.rule_library(workspace)[0].rule.title
    client_as("owner").post(reverse("rule_toggle", args=[workspace.slug, key]))
    client_as("owner").post(reverse("rule_reset", args=[workspace.slug, key]))
    events = list(ActivityEvent.objects.for_workspace(workspace))
    assert [(e.verb, e.engagement_id) for e in events] == [("reset", None), ("updated", None)]
    assert [e.summary for e in events] == [
        f"reset to built-in plan rule “{title}”",
        f"changed plan rule “{title}”: enabled yes → no",
    ]
    assert all(e.actor == owner for e in events)

    response = client_as("owner").get(reverse("workspace_activity", args=[workspace.slug]))
    assert f"changed plan rule “{title}”" in response.content.decode()


# --- surveys ---------------------------------------------------------------------------


def test_survey_closed_in_the_browser_names_the_member(client_as, member, engagement):
    survey = SurveyFactory(engagement=engagement, mode="shared")
    client_as("member").post(reverse("survey_close", args=[engagement.id, survey.id]))
    event = latest(obj_type="survey", verb="closed")
    assert_by(event, member)


def test_survey_created_through_the_api_names_the_token_owner(api_client_as, member, engagement):
    nurses = StakeholderFactory(engagement=engagement, name="Nurses")
    response = post_json(
        api_client_as("member"),
        f"/api/v1/engagements/{engagement.id}/surveys",
        {"stakeholders": [str(nurses.id)]},
    )
    assert response.status_code == 201, response.content
    assert_by(latest(obj_type="survey", verb="created"), member)


def test_survey_results_are_recorded_without_anyone_or_their_scores(engagement):
    nurses = StakeholderFactory(engagement=engagement, name="Nurses")
    survey = SurveyFactory(engagement=engagement, mode="shared", stakeholders=[nurses])
    survey_services.record_response(SurveyLink(survey=survey, respondent=None), answers(default=2))
    events = list(ActivityEvent.objects.filter(engagement=engagement))
    assert len(events) == 1, [str(e) for e in events]
    assert events[0].actor is None
    assert events[0].actor_label == "changeready"
    assert events[0].summary == (
        "applied the results of pulse survey “How ready are you for FieldPro?”: "
        "1 response; ADKAR scores of 1 stakeholder updated"
    )
    assert events[0].changes == {}


# --- the engagement file ------------------------------------------------------------------


def test_an_imported_engagement_file_is_one_event_naming_the_token_owner(
    api_client_as, member, workspace
):
    response = api_client_as("member").post(
        "/api/v1/engagements/import", EXAMPLE.read_bytes(), content_type="application/json"
    )
    assert response.status_code == 201, response.content
    event = ActivityEvent.objects.get(workspace=workspace)
    assert event.verb == "imported"
    assert_by(event, member)


# --- the activity page ----------------------------------------------------------------------


def test_the_activity_page_shows_the_persons_name(client_as, member, engagement):
    client_as("member").post(reverse("stakeholder_create", args=[engagement.id]), STAKEHOLDER_FORM)
    response = client_as("member").get(reverse("engagement_activity", args=[engagement.id]))
    assert f"<strong>{escape(member.display_name)}</strong> added stakeholder “Packers”" in (
        response.content.decode()
    )
