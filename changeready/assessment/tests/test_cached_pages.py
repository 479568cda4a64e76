"""The overview and the assessment page keep their heavy sections in the cache:
a change through any service shows on the next request, and nothing that
differs by reader or workspace is kept."""

import datetime

import pytest
from django.urls import reverse

from changeready.assessment import services
from changeready.engagements import services as engagement_services
from changeready.engagements.tests.factories import EngagementFactory
from changeready.landscape import services as landscape_services
from changeready.landscape.tests.factories import StakeholderFactory


def content(response) -> str:
    """The page below the layout (whose CSRF token is new on each request)."""
    assert response.status_code == 200
    return response.content.decode().split('<main id="main"', 1)[1]


def overview(client, engagement) -> str:
    return content(client.get(reverse("engagement", args=[engagement.id])))


def assessment_page(client, engagement, **params) -> str:
    return content(client.get(reverse("assessment", args=[engagement.id]), params))


def landscape_count(body: str, question: str) -> str:
    """The number the overview's landscape summary gives for a question."""
    return body.split(f"<dt>{question}</dt><dd>", 1)[1].split("</dd>", 1)[0]


def test_a_new_stakeholder_shows_on_both_pages_at_once(client_as, engagement):
    client = client_as("member")
    StakeholderFactory(engagement=engagement, name="Pickers", role="daily_user")
    assert "Pickers" in assessment_page(client, engagement)
    before = overview(client, engagement)
    assert "Warehouse managers" not in assessment_page(client, engagement)  # cached now

    landscape_services.create_stakeholder(
        engagement, name="Warehouse managers", role="people_manager", headcount=12
    )

    assert "Warehouse managers" in assessment_page(client, engagement)
    after = overview(client, engagement)
    assert after != before
    assert "Stakeholder landscape" in after


def test_a_renamed_stakeholder_is_not_shown_by_its_old_name(client_as, engagement):
    client = client_as("viewer")
    pickers = StakeholderFactory(engagement=engagement, name="Pickers", role="daily_user")
    assert "Pickers" in assessment_page(client, engagement)

    landscape_services.update_stakeholder(pickers, expected_version=None, name="Packers")

    body = assessment_page(client, engagement)
    assert "Packers" in body and "Pickers" not in body


def test_a_deleted_stakeholder_leaves_the_overview_counts(client_as, engagement):
    client = client_as("member")
    managers = StakeholderFactory(engagement=engagement, role="people_manager")
    StakeholderFactory(engagement=engagement, role="daily_user")
    question = "Who will manage it?"
    assert landscape_count(overview(client, engagement), question) == "1"

    landscape_services.delete_stakeholder(managers)

    assert landscape_count(overview(client, engagement), question) == "0"


def test_an_edit_of_the_engagement_shows_on_the_overview(client_as, engagement):
    client = client_as("member")
    StakeholderFactory(engagement=engagement, role="daily_user")
    question = "Who did not want it?"
    assert landscape_count(overview(client, engagement), question) == "0"

    landscape_services.set_opposition_reviewed(engagement, True)
    engagement_services.update_engagement(
        engagement, expected_version=None, change_summary="Pickers scan instead of writing."
    )

    body = overview(client, engagement)
    assert landscape_count(body, question) == "nobody"
    assert "Pickers scan instead of writing." in body


def test_a_renamed_engagement_shows_its_new_name_on_both_pages(client_as, engagement):
    client = client_as("viewer")
    assert "WMS rollout" in overview(client, engagement)
    assert "WMS rollout" in assessment_page(client, engagement)

    engagement_services.update_engagement(
        engagement, expected_version=None, name="Warehouse go-live", customer="Northwind Traders"
    )

    for body in (overview(client, engagement), assessment_page(client, engagement)):
        assert "Warehouse go-live" in body and "Northwind Traders" in body
        assert "WMS rollout" not in body


def test_the_weeks_to_go_live_count_down_with_the_day(client_as, engagement, monkeypatch):
    client = client_as("member")
    today = services.today()
    engagement_services.update_engagement(
        engagement, expected_version=None, go_live_date=today + datetime.timedelta(weeks=3)
    )
    assert "(in 3 weeks)" in overview(client, engagement)

    monkeypatch.setattr(services, "today", lambda: today + datetime.timedelta(weeks=1))
    assert "(in 2 weeks)" in overview(client, engagement)


def test_the_refreshed_snapshot_shows_in_the_history(
    client_as, engagement, django_capture_on_commit_callbacks
):
    """The snapshot is written once the change commits, after `updated_at` moved."""
    client = client_as("member")
    services.record_snapshot(engagement.id, on=services.today() - datetime.timedelta(days=1))
    body = assessment_page(client, engagement)
    assert "The history fills in" in body  # one point

    with django_capture_on_commit_callbacks(execute=True):
        landscape_services.create_stakeholder(engagement, name="Pickers", role="daily_user")
    assert "The history fills in" not in assessment_page(client, engagement)


def test_todays_snapshot_clears_the_stale_assessment(client_as, engagement):
    """A snapshot moves no `updated_at`: its days are part of the version."""
    client = client_as("member")
    stale = "The assessment is out of date"
    engagement.phase = "activation"
    engagement.go_live_date = services.today() - datetime.timedelta(days=60)
    engagement.save()
    assert stale in assessment_page(client, engagement)

    services.record_snapshot(engagement.id)

    assert stale not in assessment_page(client, engagement)


def test_a_snapshot_rewritten_for_the_same_day_shows_its_score(client_as, engagement):
    client = client_as("member")
    yesterday = services.today() - datetime.timedelta(days=1)
    services.record_snapshot(engagement.id, on=yesterday)
    services.record_snapshot(engagement.id, on=services.today())
    first = assessment_page(client, engagement)

    # The same days, yesterday's score changed: the chart must follow.
    StakeholderFactory(engagement=engagement, role="executive_sponsor", influence=5)
    services.record_snapshot(engagement.id, on=yesterday)

    assert assessment_page(client, engagement) != first


def test_a_past_day_and_today_are_kept_apart(client_as, engagement, monkeypatch):
    client = client_as("member")
    StakeholderFactory(engagement=engagement, role="daily_user")  # the breakdown's link
    today = services.today()
    past = assessment_page(
        client, engagement, as_of=(today - datetime.timedelta(days=7)).isoformat()
    )
    assert "not today" in past and "?as_of=" in past
    now = assessment_page(client, engagement)
    assert "not today" not in now and "?as_of=" not in now

    # The next day, the page cached as today's is a past day's.
    monkeypatch.setattr(services, "today", lambda: today + datetime.timedelta(days=1))
    body = assessment_page(client, engagement, as_of=today.isoformat())
    assert "not today" in body and f"?as_of={today.isoformat()}" in body


@pytest.mark.parametrize("first", ["member", "viewer"])
def test_a_viewer_never_gets_a_writers_buttons(client_as, engagement, first):
    edit = reverse("engagement_edit", args=[engagement.id])
    delete = reverse("engagement_delete", args=[engagement.id])
    bodies = {}
    for person in (first, {"member": "viewer", "viewer": "member"}[first]):
        bodies[person] = overview(client_as(person), engagement)
    assert edit in bodies["member"] and delete in bodies["member"]
    assert edit not in bodies["viewer"] and delete not in bodies["viewer"]
    assert "You are a viewer in this workspace" in bodies["viewer"]
    assert "You are a viewer in this workspace" not in bodies["member"]


def test_one_workspaces_sections_never_reach_another(client_as, engagement, other_workspace):
    StakeholderFactory(engagement=engagement, name="Acme pickers", role="daily_user")
    theirs = EngagementFactory(workspace=other_workspace, name="Rival rollout")
    StakeholderFactory(engagement=theirs, name="Rival pickers", role="daily_user")
    ours, outsider = client_as("member"), client_as("outsider")
    assert "Acme pickers" in assessment_page(ours, engagement)
    overview(ours, engagement)

    # With our sections cached, the outsider still gets a 404 for our engagement
    # and only their own names on theirs.
    for name in ("engagement", "assessment"):
        assert outsider.get(reverse(name, args=[engagement.id])).status_code == 404
    body = assessment_page(outsider, theirs)
    assert "Rival pickers" in body and "Acme pickers" not in body
    assert "Rival rollout" in overview(outsider, theirs)


def test_what_is_read_back_from_the_cache_stays_escaped(client_as, engagement):
    hostile = '<script>alert("x")</script>'
    engagement_services.update_engagement(engagement, expected_version=None, name=hostile)
    StakeholderFactory(engagement=engagement, name=hostile, role="daily_user")
    client = client_as("member")
    for _ in range(2):  # rendered, then read back from the cache
        for body in (overview(client, engagement), assessment_page(client, engagement)):
            assert hostile not in body
            assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in body
            assert "&amp;lt;" not in body  # escaped once, not twice
