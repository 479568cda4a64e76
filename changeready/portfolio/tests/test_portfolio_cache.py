"""Today's portfolio section comes from the cache, and never outlives what it shows.

Each test asks for the page, changes something the way the app does, and
asks again: the second page must equal one rendered with an empty cache,
and differ from the first (so a stale section would fail the test).
"""

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse

from changeready.assessment import services as assessment_services
from changeready.assessment.services import ReadinessSummary
from changeready.engagements.services import (
    create_engagement,
    delete_engagement,
    update_engagement,
)
from changeready.handoff.services import undo_handoff_acceptance
from changeready.landscape import services as landscape
from changeready.planning import item_edits
from changeready.planning.tests.factories import PlanItemFactory
from changeready.portfolio import services, views
from changeready.portfolio.tests.builders import (
    AS_OF,
    GO_LIVE,
    at_risk_engagement,
    not_ready_engagement,
    ready_engagement,
)
from changeready.workspaces.models import Membership
from changeready.workspaces.services import change_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def alpha(workspace, today_is):
    engagement = ready_engagement(workspace, "Alpha", arr="100000")  # with one plan item
    not_ready_engagement(workspace, "Charlie", go_live_date=GO_LIVE - timedelta(weeks=2))
    return engagement


def _page(client, **params) -> str:
    response = client.get(reverse("workspace", args=["acme"]), params)
    assert response.status_code == 200
    # The form tokens differ on every response; the rest must not.
    return re.sub(r"[A-Za-z0-9]{64}", "token", response.content.decode())


def _fresh_page(client, **params) -> str:
    cache.clear()
    return _page(client, **params)


def _pickers(engagement):
    return engagement.stakeholders.get(name="Pickers")


CHANGES = {
    "renamed": lambda e: update_engagement(e, expected_version=None, name="Alpha Two"),
    "new ARR": lambda e: update_engagement(e, expected_version=None, arr="250000"),
    "readiness": lambda e: landscape.update_stakeholder(
        e.stakeholders.get(name="Buyer"), expected_version=None, engagement_level="neutral"
    ),
    "resistance point": lambda e: landscape.create_resistance_point(
        e, stakeholder=_pickers(e), source="lack_of_awareness", severity=5, description="Unheard."
    ),
    "plan item done": lambda e: item_edits.set_item_status(
        e.plan_items.get(), "done", expected_version=None
    ),
    "handoff undone": lambda e: undo_handoff_acceptance(e),
    "new engagement": lambda e: create_engagement(
        workspace=e.workspace, name="Newcomer", customer="Contoso", go_live_date=GO_LIVE
    ),
    "deleted": lambda e: delete_engagement(e),
}


@pytest.mark.parametrize("refreshed", [False, True], ids=["before its refresh", "refreshed"])
@pytest.mark.parametrize("change", list(CHANGES))
def test_a_change_through_the_services_shows_on_the_next_request(
    client_as, alpha, change, refreshed, django_capture_on_commit_callbacks
):
    client = client_as("member")
    before = _page(client)
    assert _page(client) == before  # from the cache
    # With the commit's callbacks run, the stored readiness is refreshed after the change.
    with django_capture_on_commit_callbacks(execute=refreshed):
        CHANGES[change](alpha)
    after = _page(client)
    assert after != before
    assert after == _fresh_page(client)


def test_each_change_is_seen_in_turn(client_as, alpha):
    client = client_as("member")
    assert "0 of 1 done" in _page(client)
    item_edits.set_item_status(alpha.plan_items.get(), "done", expected_version=None)
    assert "1 of 1 done" in _page(client)
    item_edits.set_item_status(alpha.plan_items.get(), "planned", expected_version=None)
    assert "0 of 1 done" in _page(client)


def test_a_refresh_of_the_stored_readiness_shows_on_the_next_request(client_as, alpha, monkeypatch):
    call_command("refresh_readiness")
    client = client_as("member")
    before = _page(client)
    assert "92 ready" in before
    # A refresh that stores other figures for the same versions (as a changed
    # rule would): the page must read them, not keep the ones it showed.
    monkeypatch.setattr(
        assessment_services,
        "readiness_summary",
        lambda assessment: ReadinessSummary(7, "not_ready", ("no_sponsor",)),
    )
    call_command("refresh_readiness")
    after = _page(client)
    assert "92 ready" not in after
    assert after.count("7 not ready") == 2
    assert after == _fresh_page(client)


def test_a_new_day_shows_on_the_next_request(client_as, alpha, today_is):
    client = client_as("member")
    assert "in 6 wk" in _page(client)
    today_is(AS_OF + timedelta(weeks=1))
    after = _page(client)
    assert "in 6 wk" not in after
    assert "in 5 wk" in after
    assert after == _fresh_page(client)


def test_each_query_has_its_own_section(client_as, workspace, today_is):
    for i in range(60):
        builder = (ready_engagement, at_risk_engagement, not_ready_engagement)[i % 3]
        builder(workspace, f"Engagement {i:03}", arr=str(1000 * i))
    client = client_as("viewer")
    queries = [
        {},
        {"page": "2"},
        {"sort": "name"},
        {"sort": "name", "dir": "desc"},
        {"sort": "name", "page": "2"},
        {"band": "ready"},
        {"cs": "Cara Diaz"},
        {"window": "past"},
    ]
    fresh = {}
    for query in queries:
        fresh[str(query)] = _fresh_page(client, **query)
    assert len(set(fresh.values())) == len(queries)
    for query in queries:  # each kept in turn, none answering for another
        _page(client, **query)
    for query in queries:
        assert _page(client, **query) == fresh[str(query)]


def test_a_page_out_of_range_shows_the_last_page_and_is_not_kept(client_as, workspace, today_is):
    for i in range(60):
        ready_engagement(workspace, f"Engagement {i:03}")
    client = client_as("viewer")
    assert "Engagements 51–60 of 60" in _page(client, page="99")
    assert "Engagements 1–50 of 60" in _page(client)
    no_filters = services.parse_filters({})

    def kept(page_number):
        return cache.get(f"portfolio:{workspace.pk}:{views._section_part(no_filters, page_number)}")

    assert kept("99") is None
    assert kept("") is not None


def test_the_section_is_the_same_for_every_role_and_the_rest_is_each_ones(client_as, alpha):
    viewer, owner = client_as("viewer"), client_as("owner")
    seen_by_viewer = _page(viewer)
    seen_by_owner = _page(owner)  # the section kept for the viewer's request
    assert "New engagement" in seen_by_owner
    assert "Import an engagement file" in seen_by_owner
    assert "New engagement" not in seen_by_viewer
    assert "Import an engagement file" not in seen_by_viewer
    section = re.compile(r'<section class="totals".*</table>', re.S)
    assert section.search(seen_by_owner).group() == section.search(seen_by_viewer).group()


def test_a_role_changed_shows_on_the_next_request(client_as, alpha, member):
    client = client_as("member")
    assert "New engagement" in _page(client)
    change_role(Membership.objects.get(user=member), "viewer")
    assert "New engagement" not in _page(client)


def test_another_workspace_never_gets_this_ones_section(client_as, alpha, outsider):
    assert "Alpha" in _page(client_as("owner"))
    response = client_as("outsider").get(reverse("workspace", args=["rival"]))
    assert "Alpha" not in response.content.decode()
    assert "No engagements yet" in response.content.decode()


def test_a_look_ahead_date_is_rendered_not_kept(client_as, alpha):
    client = client_as("member")
    today = _page(client)
    ahead = _page(client, as_of=(AS_OF + timedelta(weeks=1)).isoformat())
    assert "Assessed as of 1 Mar 2027, not today." in ahead
    assert "in 5 wk" in ahead
    assert _page(client) == today


@pytest.mark.parametrize("count", [3, 60])
def test_a_warm_request_reads_the_stamp_and_the_cache(
    client_as, workspace, today_is, count, django_assert_num_queries
):
    for i in range(count):
        engagement = (ready_engagement, at_risk_engagement, not_ready_engagement)[i % 3](
            workspace, f"Engagement {i:03}", arr=str(1000 * i)
        )
        PlanItemFactory(engagement=engagement, status="done")
    call_command("refresh_readiness")
    client = client_as("member")
    url = reverse("workspace", args=[workspace.slug])
    client.get(url)  # the first visit stores the workspace in the session
    cache.clear()
    # session, user, membership, the stamp, engagements with their stored
    # readiness, plan progress, the layout's workspace switcher.
    with django_assert_num_queries(7):
        first = client.get(url)
    # session, user, membership, the stamp, the switcher: the section is kept.
    with django_assert_num_queries(5):
        second = client.get(url)
    assert f"<dd>{count}</dd>" in second.content.decode()
    assert re.sub(r"[A-Za-z0-9]{64}", "", first.content.decode()) == re.sub(
        r"[A-Za-z0-9]{64}", "", second.content.decode()
    )


def _calendar(client) -> str:
    response = client.get(reverse("portfolio_calendar", args=["acme"]))
    assert response.status_code == 200
    return re.sub(r"[A-Za-z0-9]{64}", "token", response.content.decode())


@pytest.mark.parametrize("change", ["renamed", "readiness", "new engagement", "deleted"])
def test_the_calendar_shows_a_change_on_the_next_request(client_as, alpha, change):
    client = client_as("viewer")
    before = _calendar(client)
    assert _calendar(client) == before
    CHANGES[change](alpha)
    after = _calendar(client)
    assert after != before
    cache.clear()
    assert _calendar(client) == after


def test_the_calendar_follows_the_day(client_as, alpha, today_is):
    client = client_as("viewer")
    assert "In 6 weeks" in _calendar(client)
    today_is(AS_OF + timedelta(weeks=1))
    after = _calendar(client)
    assert "In 5 weeks" in after
    cache.clear()
    assert _calendar(client) == after


def test_a_warm_calendar_reads_the_stamp_and_the_cache(client_as, alpha, django_assert_num_queries):
    client = client_as("member")
    url = reverse("portfolio_calendar", args=["acme"])
    client.get(url)
    # session, user, membership, the stamp, the switcher
    with django_assert_num_queries(5):
        response = client.get(url)
    assert "Alpha" in response.content.decode()


def test_a_kept_section_stays_escaped(client_as, workspace, today_is):
    ready_engagement(workspace, "<script>alert(1)</script>", customer='"><img src=x>')
    client = client_as("viewer")
    for page in (_page(client), _page(client)):  # rendered, then from the cache
        assert "<script>alert(1)</script>" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
        assert '"><img src=x>' not in page
    for calendar in (_calendar(client), _calendar(client)):
        assert "<script>alert(1)</script>" not in calendar
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in calendar
