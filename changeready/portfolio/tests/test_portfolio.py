from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse

from changeready.assessment.services import assess_engagement
from changeready.conftest import PEOPLE
from changeready.engagements.models import Engagement
from changeready.landscape import services as landscape_services
from changeready.planning.tests.factories import PlanItemFactory
from changeready.portfolio import services
from changeready.portfolio.tests.builders import (
    AS_OF,
    GO_LIVE,
    at_risk_engagement,
    not_ready_engagement,
    ready_engagement,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_bands(workspace):
    return {
        "ready": ready_engagement(workspace, "Alpha", arr="100000"),
        "at_risk": at_risk_engagement(
            workspace, "Bravo", arr="250000.50", go_live_date=GO_LIVE + timedelta(weeks=3)
        ),
        "not_ready": not_ready_engagement(
            workspace, "Charlie", arr="40000", go_live_date=GO_LIVE - timedelta(weeks=2)
        ),
        "no_arr": not_ready_engagement(workspace, "Delta"),
    }


def test_every_row_and_arr_at_risk_equal_each_engagements_own_assessment(workspace, three_bands):
    result = services.portfolio(workspace, AS_OF)
    assert {row.readiness_band for row in result.rows} == {"ready", "at_risk", "not_ready"}
    expected_arr = {"ready": Decimal(0), "at_risk": Decimal(0), "not_ready": Decimal(0)}
    for row in result.rows:
        own = assess_engagement(row.engagement, AS_OF)
        assert (row.readiness_score, row.readiness_band) == (
            own.readiness.score,
            own.readiness.band,
        )
        assert list(row.critical_codes) == list(
            dict.fromkeys(f.code for f in own.findings if f.severity == "critical")
        )
        expected_arr[own.readiness.band] += row.engagement.arr or 0
    # ARR at risk is that of the not-ready engagements; ARR to watch, of those at risk.
    assert result.totals.arr_at_risk == expected_arr["not_ready"] == Decimal("40000")
    assert result.totals.arr_watch == expected_arr["at_risk"] == Decimal("250000.50")
    assert (result.totals.ready, result.totals.at_risk, result.totals.not_ready) == (1, 1, 2)


def test_the_bands_come_from_the_built_engagements(workspace, three_bands):
    rows = {row.engagement.name: row for row in services.portfolio(workspace, AS_OF).rows}
    assert rows["Alpha"].readiness_band == "ready"
    assert rows["Bravo"].readiness_band == "at_risk"
    assert rows["Charlie"].readiness_band == "not_ready"
    assert "landscape_missing_role" in rows["Charlie"].critical_codes
    assert rows["Alpha"].critical_codes == ()


def test_api_body_has_the_reference_shape(workspace, three_bands):
    body = services.portfolio_body(workspace, AS_OF)
    assert set(body) == {"engagements", "totals"}
    assert body["totals"] == {
        "ready": 1,
        "at_risk": 1,
        "not_ready": 2,
        "arr_at_risk": 40000,
        "arr_watch": 250000.5,
    }
    alpha = next(e for e in body["engagements"] if e["name"] == "Alpha")
    assert alpha == {
        "id": str(three_bands["ready"].id),
        "name": "Alpha",
        "customer": three_bands["ready"].customer,
        "readiness": {
            "score": assess_engagement(three_bands["ready"], AS_OF).readiness.score,
            "band": "ready",
        },
        "go_live_date": "2027-04-05",
        "weeks_to_go_live": 6,
        "critical": [],
        "arr": 100000,
    }
    delta = next(e for e in body["engagements"] if e["name"] == "Delta")
    assert delta["arr"] is None
    assert "landscape_missing_role" in delta["critical"]


def test_plan_progress_and_handoff_status(workspace):
    engagement = not_ready_engagement(workspace, "Echo", go_live_date=AS_OF - timedelta(days=20))
    PlanItemFactory(engagement=engagement, status="done")
    PlanItemFactory(engagement=engagement, status="planned")
    PlanItemFactory(engagement=engagement, status="skipped")
    not_ready_engagement(workspace, "Foxtrot")
    rows = {row.engagement.name: row for row in services.portfolio(workspace, AS_OF).rows}
    assert (rows["Echo"].plan_items, rows["Echo"].plan_items_done) == (2, 1)
    assert rows["Echo"].handoff_label == "not yet"
    assert rows["Foxtrot"].plan_items == 0
    assert rows["Foxtrot"].handoff_label == "n.a."
    Engagement.objects.filter(pk=engagement.pk).update(handoff_accepted_at="2027-03-01T10:00Z")
    rows = {row.engagement.name: row for row in services.portfolio(workspace, AS_OF).rows}
    assert rows["Echo"].handoff_label == "accepted"


def names(result):
    return [row.engagement.name for row in result.rows]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["Charlie", "Alpha", "Delta", "Bravo"]),
        ({"sort": "name"}, ["Alpha", "Bravo", "Charlie", "Delta"]),
        ({"sort": "name", "dir": "desc"}, ["Delta", "Charlie", "Bravo", "Alpha"]),
        ({"sort": "readiness"}, ["Charlie", "Delta", "Bravo", "Alpha"]),
        ({"sort": "readiness", "dir": "desc"}, ["Alpha", "Bravo", "Delta", "Charlie"]),
        ({"sort": "arr", "dir": "desc"}, ["Bravo", "Alpha", "Charlie", "Delta"]),
        ({"sort": "go_live", "dir": "desc"}, ["Bravo", "Delta", "Alpha", "Charlie"]),
        ({"sort": "nonsense"}, ["Charlie", "Alpha", "Delta", "Bravo"]),
    ],
)
def test_sorting(workspace, three_bands, params, expected):
    assert names(services.portfolio(workspace, AS_OF, services.parse_filters(params))) == expected


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"band": "ready"}, ["Alpha"]),
        ({"band": "not_ready"}, ["Charlie", "Delta"]),
        ({"phase": "test"}, ["Bravo"]),
        ({"lead": "Lee Park"}, ["Alpha", "Delta"]),
        ({"cs": "Cara Diaz"}, ["Alpha", "Bravo"]),
        ({"window": "next_4"}, []),
        ({"window": "next_8"}, ["Alpha", "Delta"]),
        ({"window": "next_12"}, ["Alpha", "Delta", "Bravo"]),
        ({"window": "past"}, ["Charlie"]),
        ({"window": "someday", "band": "purple"}, ["Charlie", "Alpha", "Delta", "Bravo"]),
        ({"lead": "Lee Park", "band": "ready"}, ["Alpha"]),
    ],
)
def test_filters(workspace, three_bands, params, expected):
    Engagement.objects.filter(name__in=["Alpha", "Delta"]).update(delivery_lead_name="Lee Park")
    Engagement.objects.filter(name="Bravo").update(phase="test")
    # Charlie went live two weeks before the reference go-live: after AS_OF + 4 weeks.
    Engagement.objects.filter(name="Charlie").update(go_live_date=AS_OF - timedelta(days=1))
    result = services.portfolio(workspace, AS_OF, services.parse_filters(params))
    assert names(result) == expected
    assert result.totals.engagements == len(expected)


def test_portfolio_page_shows_rows_totals_and_current_sort(client_as, workspace, three_bands):
    url = reverse("workspace", args=[workspace.slug])
    response = client_as("viewer").get(
        url, {"as_of": AS_OF.isoformat(), "sort": "readiness", "dir": "desc"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert (
        '<th scope="col" aria-sort="descending">'
        '<a href="?sort=readiness&amp;as_of=2027-02-22">Readiness'
    ) in body
    assert 'aria-sort="none"' in body
    assert "A landscape question has no answer" in body
    assert "<dt>ARR at risk</dt><dd>40,000</dd>" in body
    assert "<dt>ARR to watch</dt><dd>250,000.50</dd>" in body
    assert '<option value="readiness" selected>' in body
    assert '<label for="filter-lead">' in body
    assert [row.engagement.name for row in response.context["portfolio"].rows] == [
        "Alpha",
        "Bravo",
        "Delta",
        "Charlie",
    ]


def test_new_workspace_shows_the_empty_state(client_as, workspace, owner):
    response = client_as("owner").get(reverse("workspace", args=[workspace.slug]))
    assert "No engagements yet" in response.content.decode()
    assert "Create your first engagement" in response.content.decode()


def test_no_match_offers_to_clear_the_filters(client_as, workspace, three_bands):
    response = client_as("member").get(
        reverse("workspace", args=[workspace.slug]), {"phase": "closed"}
    )
    assert "No engagement matches these filters" in response.content.decode()


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("name", ["workspace", "portfolio_calendar", "portfolio_insights"])
def test_portfolio_pages_access(client_as, workspace, engagement, person, name):
    response = client_as(person).get(reverse(name, args=[workspace.slug]))
    expected = {"anonymous": 302, "outsider": 404}.get(person, 200)
    assert response.status_code == expected
    if expected == 200:
        assert engagement.name in response.content.decode() or name != "workspace"


@pytest.mark.parametrize("name", ["workspace", "portfolio_calendar", "portfolio_insights"])
def test_portfolio_pages_refuse_writes(client_as, workspace, owner, name):
    response = client_as("owner").post(reverse(name, args=[workspace.slug]))
    assert response.status_code == 405


def test_outsider_never_sees_another_workspaces_engagements(client_as, workspace, outsider):
    not_ready_engagement(workspace, "Secret rollout")
    response = client_as("outsider").get(reverse("workspace", args=["rival"]))
    assert response.status_code == 200
    assert "Secret rollout" not in response.content.decode()


def _build(workspace, count):
    builders = (ready_engagement, at_risk_engagement, not_ready_engagement)
    for i in range(count):
        engagement = builders[i % 3](workspace, f"Engagement {i:03}", arr=str(1000 * i))
        PlanItemFactory(engagement=engagement, status="done")


@pytest.mark.parametrize("count", [3, 60])
def test_portfolio_page_query_budget(client_as, workspace, count, django_assert_num_queries):
    _build(workspace, count)
    client = client_as("member")
    url = reverse("workspace", args=[workspace.slug])
    client.get(url)  # the first visit stores the workspace in the session
    cache.clear()
    # session, user, membership, engagements, snapshot dates, six loader
    # queries, plan progress, the layout's workspace switcher.
    with django_assert_num_queries(13):
        response = client.get(url, {"as_of": AS_OF.isoformat()})
    assert len(response.context["portfolio"].rows) == count
    # Nothing changed since: the readiness is reused, the assessment is not redone.
    with django_assert_num_queries(6):
        response = client.get(url, {"as_of": AS_OF.isoformat()})
    assert len(response.context["portfolio"].rows) == count


@pytest.mark.parametrize("count", [3, 60])
def test_api_body_query_budget(workspace, count, django_assert_num_queries):
    _build(workspace, count)
    # engagements, snapshot dates, six loader queries, plan progress
    with django_assert_num_queries(9):
        body = services.portfolio_body(workspace, AS_OF)
    assert len(body["engagements"]) == count


def test_a_change_through_the_services_is_seen_at_once(workspace):
    engagement = ready_engagement(workspace, "Alpha")
    assert services.portfolio(workspace, AS_OF).rows[0].readiness_band == "ready"
    landscape_services.update_stakeholder(
        engagement.stakeholders.get(name="Buyer"), expected_version=None, engagement_level="neutral"
    )
    row = services.portfolio(workspace, AS_OF).rows[0]
    own = assess_engagement(engagement, AS_OF)
    assert (row.readiness_score, row.readiness_band) == (own.readiness.score, "not_ready")
    assert "no_sponsor" in row.critical_codes


def test_readiness_is_reassessed_for_another_day(workspace):
    ready_engagement(workspace, "Alpha", handoff_accepted_at=None)
    assert services.portfolio(workspace, AS_OF).rows[0].readiness_band == "ready"
    # A week before go-live CS has not accepted the handoff: a warning lowers the band;
    # from go-live day on it is critical. The score stays what it was.
    week_before = services.portfolio(workspace, GO_LIVE - timedelta(days=7)).rows[0]
    live = services.portfolio(workspace, GO_LIVE).rows[0]
    assert (week_before.readiness_band, live.readiness_band) == ("at_risk", "not_ready")
    assert week_before.readiness_score == live.readiness_score == 92


def test_no_band_of_0_sits_beside_money(client_as, workspace):
    # Two engagements at risk (a warning each), none not ready: the money is to watch.
    at_risk_engagement(workspace, "Bravo", arr="120000")
    at_risk_engagement(workspace, "Kilo", arr="120000")
    totals = services.portfolio(workspace, AS_OF).totals
    assert (totals.not_ready, totals.arr_at_risk) == (0, 0)
    assert (totals.at_risk, totals.arr_watch) == (2, Decimal("240000"))
    body = client_as("viewer").get(
        reverse("workspace", args=[workspace.slug]), {"as_of": AS_OF.isoformat()}
    )
    page = body.content.decode()
    assert "<dt>ARR at risk</dt><dd>0</dd>" in page
    assert "<dt>ARR to watch</dt><dd>240,000</dd>" in page


def test_a_large_portfolio_is_paged_and_totals_cover_every_engagement(client_as, workspace):
    _build(workspace, 60)
    client = client_as("viewer")
    url = reverse("workspace", args=[workspace.slug])
    first = client.get(url, {"as_of": AS_OF.isoformat(), "sort": "name"})
    assert len(first.context["rows"]) == 50
    assert first.context["portfolio"].totals.engagements == 60
    assert "Engagements 1–50 of 60" in first.content.decode()
    next_link = first.context["page_links"]["next"]
    assert "sort=name" in next_link
    assert "as_of=" in next_link
    second = client.get(url + next_link)
    names = [row["name"] for row in second.context["rows"]]
    assert names == [f"Engagement {i:03}" for i in range(50, 60)]
    assert second.context["portfolio"].totals.engagements == 60
    assert "next" not in second.context["page_links"]


def test_a_page_number_out_of_range_shows_the_last_page(client_as, workspace):
    _build(workspace, 60)
    response = client_as("member").get(
        reverse("workspace", args=[workspace.slug]), {"as_of": AS_OF.isoformat(), "page": "99"}
    )
    assert response.status_code == 200
    assert response.context["page"].number == 2
