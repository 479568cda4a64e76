import datetime

import pytest
from django.urls import reverse

from changeready.assessment.models import AssessmentSnapshot
from changeready.engagements.tests.factories import EngagementFactory
from changeready.landscape.tests.factories import ResistancePointFactory, StakeholderFactory
from changeready.planning.tests.factories import AdoptionTargetFactory
from changeready.portfolio import insights, services
from changeready.portfolio.tests.builders import AS_OF, at_risk_engagement, ready_engagement

pytestmark = pytest.mark.django_db

MONDAY = AS_OF  # 22 Feb 2027 is a Monday


def day(weeks, days=0):
    return MONDAY + datetime.timedelta(weeks=weeks, days=days)


def test_calendar_rows_are_the_coming_weeks_with_their_go_lives(workspace):
    ready_engagement(workspace, "This week", go_live_date=day(0, 3))
    at_risk_engagement(workspace, "In three weeks", go_live_date=day(3, 1))
    EngagementFactory(workspace=workspace, name="Slipped", go_live_date=day(-1), phase="test")
    EngagementFactory(
        workspace=workspace, name="Just live", go_live_date=day(-2), phase="activation"
    )
    EngagementFactory(workspace=workspace, name="Long live", go_live_date=day(-10), phase="closed")
    EngagementFactory(workspace=workspace, name="Far away", go_live_date=day(12))
    calendar = services.go_live_calendar(workspace, AS_OF + datetime.timedelta(days=2))
    assert len(calendar.weeks) == 12
    assert calendar.weeks[0].monday == MONDAY
    rows = {
        w.weeks_ahead: [(r.engagement.name, r.readiness_band) for r in w.rows]
        for w in calendar.weeks
    }
    assert rows[0] == [("This week", "ready")]
    assert rows[3] == [("In three weeks", "at_risk")]
    assert sum(len(w.rows) for w in calendar.weeks) == 2
    assert [r.engagement.name for r in calendar.overdue] == ["Slipped"]
    assert [r.engagement.name for r in calendar.recently_live] == ["Just live"]


def test_calendar_page_names_the_band_in_text_not_only_colour(client_as, workspace):
    at_risk_engagement(workspace, "Bravo", go_live_date=day(1))
    response = client_as("viewer").get(
        reverse("portfolio_calendar", args=[workspace.slug]), {"as_of": AS_OF.isoformat()}
    )
    body = response.content.decode()
    assert '<li class="band-at_risk">' in body
    # Score 92 on its own, lowered to at risk by a warning (opposition not mapped).
    assert "92 at risk" in body
    assert "Next week" in body


def snapshot(engagement, taken_on, score, band):
    AssessmentSnapshot.objects.create(
        engagement=engagement,
        taken_on=taken_on,
        readiness_score=score,
        readiness_band=band,
        assessment={},
    )


@pytest.fixture
def history(workspace):
    """Three live engagements with known resistance, snapshots and week-8 adoption."""
    as_of = datetime.date(2027, 6, 30)
    go_live = datetime.date(2027, 4, 5)  # week 8 starts 31 May
    first = EngagementFactory(workspace=workspace, name="First", go_live_date=go_live)
    second = EngagementFactory(workspace=workspace, name="Second", go_live_date=go_live)
    recent = EngagementFactory(workspace=workspace, name="Recent", go_live_date=as_of)
    for engagement in (first, second, recent):
        users = StakeholderFactory(engagement=engagement, name="Users", role="daily_user")
        ResistancePointFactory(
            stakeholder=users, source="habit", strategy="coach", status="resolved"
        )
    ResistancePointFactory(
        stakeholder=first.stakeholders.get(), source="habit", strategy="educate", status="open"
    )
    ResistancePointFactory(
        stakeholder=first.stakeholders.get(), source="loss_of_authority", strategy="", status="open"
    )
    # First: 85 at go-live (an older 60 before it, a later 30 after it), 70 % and 90 % at week 8.
    snapshot(first, go_live - datetime.timedelta(days=20), 60, "at_risk")
    snapshot(first, go_live, 85, "ready")
    snapshot(first, go_live + datetime.timedelta(days=3), 30, "not_ready")
    other_group = StakeholderFactory(engagement=first, name="Clerks", role="daily_user")
    AdoptionTargetFactory(
        stakeholder=first.stakeholders.get(name="Users"), week=8, target_pct=80, actual_pct=70
    )
    AdoptionTargetFactory(stakeholder=other_group, week=8, target_pct=80, actual_pct=90)
    manager = StakeholderFactory(
        engagement=first, name="Boss", kind="person", role="people_manager"
    )
    AdoptionTargetFactory(
        stakeholder=manager, week=8, target_pct=80, actual_pct=5
    )  # not a daily-user group
    # Second: 45 the day before go-live, 40 % at week 8.
    snapshot(second, go_live - datetime.timedelta(days=1), 45, "not_ready")
    AdoptionTargetFactory(
        stakeholder=second.stakeholders.get(), week=8, target_pct=80, actual_pct=40
    )
    return as_of


def test_insights_numbers_on_a_hand_built_dataset(workspace, history):
    result = insights.portfolio_insights(workspace, history)
    assert [(s.source, s.engagements, s.points, s.resolved) for s in result.sources] == [
        ("habit", 3, 4, 3),
        ("loss_of_authority", 1, 1, 0),
    ]
    assert [
        (label, [(o.strategy, o.resolved, o.total) for o in outcomes])
        for label, outcomes in result.strategies
    ] == [("Habit", [("coach", 3, 3), ("educate", 0, 1)])]
    assert [
        (o.engagement.name, o.readiness_at_go_live, o.adoption_at_week_8) for o in result.outcomes
    ] == [
        ("First", 85, 80.0),
        ("Second", 45, 40.0),
    ]
    assert result.incomplete == []  # Recent is not live for eight weeks yet
    assert (result.adoption_when_ready, result.adoption_when_not_ready) == (80.0, 40.0)


def test_ready_at_go_live_is_the_snapshots_band_not_its_score(workspace, history):
    # First's 85 at go-live had a warning open: at risk, so not "ready at go-live".
    AssessmentSnapshot.objects.filter(readiness_score=85).update(readiness_band="at_risk")
    result = insights.portfolio_insights(workspace, history)
    assert (result.adoption_when_ready, result.adoption_when_not_ready) == (None, 60.0)


def test_insights_page_draws_the_scatter_and_the_table(
    client_as, workspace, history, django_assert_num_queries
):
    client = client_as("viewer")
    url = reverse("portfolio_insights", args=[workspace.slug])
    # session, user, membership, resistance points, engagements with their figures, switcher
    with django_assert_num_queries(6):
        response = client.get(url, {"as_of": history.isoformat()})
    body = " ".join(response.content.decode().split())
    assert "<svg" in body and "First: readiness 85 at go-live, 80% adoption at week 8" in body
    assert "Engagements ready at go-live reached 80.0% at week 8; the others 40.0%." in body
    assert '<th scope="rowgroup" rowspan="2">Habit</th>' in body


PAGES_WITH_AS_OF = ["workspace", "portfolio_calendar", "portfolio_insights"]


@pytest.mark.parametrize("page", PAGES_WITH_AS_OF)
@pytest.mark.parametrize("as_of", ["0001-01-01", "9999-12-31", "someday"])
def test_an_unusable_as_of_is_a_400(client_as, workspace, page, as_of):
    at_risk_engagement(workspace, "Rollout")
    response = client_as("member").get(reverse(page, args=[workspace.slug]), {"as_of": as_of})
    assert response.status_code == 400


@pytest.mark.parametrize("page", PAGES_WITH_AS_OF)
@pytest.mark.parametrize("as_of", ["1970-01-01", "2199-12-31"])
def test_the_bounds_of_as_of_are_served(client_as, workspace, page, as_of):
    at_risk_engagement(workspace, "Rollout")
    response = client_as("member").get(reverse(page, args=[workspace.slug]), {"as_of": as_of})
    assert response.status_code == 200


@pytest.mark.parametrize(
    "url", ["/api/v1/portfolio", "/api/v1/engagements/{engagement}/assessment"]
)
@pytest.mark.parametrize(("as_of", "status"), [("0001-01-01", 422), ("2199-12-31", 200)])
def test_the_api_bounds_as_of(api_client_as, workspace, url, as_of, status):
    engagement = at_risk_engagement(workspace, "Rollout")
    response = api_client_as("member").get(url.format(engagement=engagement.id), {"as_of": as_of})
    assert response.status_code == status
    if status == 422:
        assert response.json()["errors"][0]["path"] == ["query", "as_of"]
