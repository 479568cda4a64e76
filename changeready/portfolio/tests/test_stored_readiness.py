"""The stored readiness the portfolio reads equals a fresh assessment after every kind of change."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse

from changeready.assessment.models import StoredReadiness
from changeready.assessment.services import assess_engagement, readiness_summary, today
from changeready.engagements.models import Engagement
from changeready.engagements.services import update_engagement
from changeready.handoff.services import undo_handoff_acceptance
from changeready.landscape import services as landscape
from changeready.planning import adoption, item_edits
from changeready.planning.regeneration import regenerate_plan
from changeready.planning.tests.factories import PlanItemFactory
from changeready.portfolio import services
from changeready.portfolio.tests.builders import (
    AS_OF,
    GO_LIVE,
    at_risk_engagement,
    not_ready_engagement,
    ready_engagement,
)
from changeready.usage import kpis

pytestmark = pytest.mark.django_db


def _stored_equals_fresh(engagement, as_of):
    stored = StoredReadiness.objects.get(engagement=engagement)
    fresh = readiness_summary(assess_engagement(engagement, as_of))
    engagement.refresh_from_db()
    assert stored.as_of == as_of
    # Stored for the current version, so the portfolio uses it rather than assessing.
    assert stored.version == engagement.updated_at
    assert (stored.score, stored.band, tuple(stored.critical_codes)) == (
        fresh.score,
        fresh.band,
        fresh.critical_codes,
    )
    return stored


def _pickers(engagement):
    return engagement.stakeholders.get(name="Pickers")


CHANGES = {
    "engagement": lambda e: update_engagement(e, expected_version=None, opposition_reviewed=False),
    "stakeholder": lambda e: landscape.update_stakeholder(
        e.stakeholders.get(name="Buyer"), expected_version=None, engagement_level="resistant"
    ),
    "stakeholder added": lambda e: landscape.create_stakeholder(
        e, name="Security", kind="person", role="it_security", influence=5
    ),
    "stakeholder deleted": lambda e: landscape.delete_stakeholder(e.stakeholders.get(name="Buyer")),
    "resistance point": lambda e: landscape.create_resistance_point(
        e, stakeholder=_pickers(e), source="lack_of_awareness", severity=5, description="Unheard."
    ),
    "plan item": lambda e: item_edits.set_item_status(
        e.plan_items.get(), "skipped", expected_version=None
    ),
    "adoption actual": lambda e: adoption.set_actual(
        e.adoption_targets.get(), 1.0, expected_version=None
    ),
    "kpi": lambda e: kpis.create_kpi(
        e,
        name="Pick accuracy",
        unit="%",
        baseline=98,
        target=99.5,
        due_week=1,
        values=[{"week": 1, "value": 90}],
    ),
    "handoff": lambda e: undo_handoff_acceptance(e),
    "regeneration": lambda e: regenerate_plan(e),
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_each_kind_of_change_stores_what_a_fresh_assessment_says(
    workspace, change, django_capture_on_commit_callbacks
):
    engagement = ready_engagement(workspace, "Alpha", go_live_date=today() + timedelta(weeks=2))
    with django_capture_on_commit_callbacks(execute=True):
        update_engagement(engagement, expected_version=None, cs_owner_name="Cara Diaz")
    before = _stored_equals_fresh(engagement, today())
    engagement.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        CHANGES[change](engagement)
    after = _stored_equals_fresh(engagement, today())
    assert after.version > before.version
    # The portfolio shows the stored figures, the same as a fresh assessment.
    row = services.portfolio(workspace, today()).rows[0]
    assert (row.readiness_score, row.readiness_band, row.critical_codes) == (
        after.score,
        after.band,
        tuple(after.critical_codes),
    )


def test_the_daily_command_follows_the_calendar(workspace):
    engagement = ready_engagement(workspace, "Alpha", handoff_accepted_at=None)
    # A week before go-live CS has not accepted the handoff: a warning; on go-live day, critical.
    call_command("refresh_readiness", as_of=(GO_LIVE - timedelta(days=7)).isoformat())
    assert _stored_equals_fresh(engagement, GO_LIVE - timedelta(days=7)).band == "at_risk"
    call_command("refresh_readiness", as_of=GO_LIVE.isoformat())
    assert _stored_equals_fresh(engagement, GO_LIVE).band == "not_ready"


def test_the_daily_command_stores_every_engagement_in_chunks(workspace, monkeypatch):
    monkeypatch.setattr("changeready.assessment.services.REFRESH_CHUNK", 2)
    built = [ready_engagement(workspace, f"E{i}") for i in range(3)]
    built.append(not_ready_engagement(workspace, "Zulu"))
    call_command("refresh_readiness", as_of=AS_OF.isoformat())
    for engagement in built:
        _stored_equals_fresh(engagement, AS_OF)


def test_a_bad_as_of_is_a_clear_error(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--as-of must be a date"):
        call_command("refresh_readiness", as_of="tomorrow")


def test_the_portfolio_reads_the_stored_readiness_only_when_it_fits(workspace):
    engagement = ready_engagement(workspace, "Alpha")
    call_command("refresh_readiness", as_of=AS_OF.isoformat())
    # Mark the stored row so it can be told from an assessment (no real change moves it).
    StoredReadiness.objects.update(score=7, band="not_ready", critical_codes=["no_sponsor"])
    row = services.portfolio(workspace, AS_OF).rows[0]
    assert (row.readiness_score, row.readiness_band, row.critical_codes) == (
        7,
        "not_ready",
        ("no_sponsor",),
    )
    # Another day, or another version of the engagement: assessed, not read.
    assert services.portfolio(workspace, AS_OF + timedelta(days=1)).rows[0].readiness_score != 7
    cache.clear()
    Engagement.objects.filter(pk=engagement.pk).update(
        updated_at=engagement.updated_at + timedelta(seconds=1)
    )
    row = services.portfolio(workspace, AS_OF).rows[0]
    assert (row.readiness_score, row.readiness_band) == (92, "ready")


def _build(workspace, count):
    builders = (ready_engagement, at_risk_engagement, not_ready_engagement)
    for i in range(count):
        # From 14 weeks before AS_OF (live long enough for the insights) to 11 weeks after.
        go_live = AS_OF + timedelta(days=-98 + 175 * i // count)
        engagement = builders[i % 3](
            workspace, f"Engagement {i:03}", arr=str(1000 * i), go_live_date=go_live
        )
        PlanItemFactory(engagement=engagement, status="done")
    call_command("refresh_readiness", as_of=AS_OF.isoformat())


@pytest.mark.parametrize("count", [3, 60])
def test_stored_readiness_query_budget(client_as, workspace, count, django_assert_num_queries):
    _build(workspace, count)
    client = client_as("member")
    client.get(reverse("workspace", args=[workspace.slug]))  # stores the workspace in the session
    cache.clear()  # nothing assessed is held in the cache: every figure is the stored one
    params = {"as_of": AS_OF.isoformat()}
    # session, user, membership, engagements with their readiness, plan progress,
    # the layout's workspace switcher.
    with django_assert_num_queries(6):
        response = client.get(reverse("workspace", args=[workspace.slug]), params)
    assert response.context["portfolio"].totals.engagements == count
    # session, user, membership, engagements with their readiness, plan progress, switcher.
    with django_assert_num_queries(6):
        response = client.get(reverse("portfolio_calendar", args=[workspace.slug]), params)
    calendar = response.context["calendar"]
    shown = calendar.overdue + calendar.recently_live + [r for w in calendar.weeks for r in w.rows]
    assert len(shown) == count
    # session, user, membership, resistance points, go-live outcomes, switcher.
    with django_assert_num_queries(6):
        response = client.get(reverse("portfolio_insights", args=[workspace.slug]), params)
    insights = response.context["insights"]
    assert insights.incomplete + insights.outcomes
    # engagements with their readiness, plan progress
    with django_assert_num_queries(2):
        body = services.portfolio_body(workspace, AS_OF)
    assert len(body["engagements"]) == count
    # The figures are those of a fresh assessment.
    for entry in body["engagements"][:6]:
        own = assess_engagement(Engagement.objects.get(pk=entry["id"]), AS_OF)
        assert entry["readiness"] == {"score": own.readiness.score, "band": own.readiness.band}


def test_an_engagement_deleted_meanwhile_is_skipped(workspace):
    from changeready.assessment.services import store_readiness

    kept = ready_engagement(workspace, "Alpha")
    gone = not_ready_engagement(workspace, "Zulu")
    assessments = {str(e.id): assess_engagement(e, AS_OF) for e in (kept, gone)}
    versions = {str(e.id): e.updated_at for e in (kept, gone)}
    gone.delete()
    store_readiness(assessments, versions, AS_OF)
    assert list(StoredReadiness.objects.values_list("engagement_id", flat=True)) == [kept.id]
