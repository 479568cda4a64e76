"""Emitting events from the app's writes, and what each kind of endpoint gets."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from django.conf import settings
from django.db import transaction

from changeready.assessment.events import publish_assessment_changes
from changeready.assessment.models import AssessmentSnapshot
from changeready.assessment.services import record_snapshot
from changeready.handoff import services as handoff
from changeready.integrations.models import WebhookDelivery
from changeready.integrations.services import create_endpoint, send_test_event
from changeready.planning.regeneration import regenerate_plan
from changeready.planning.tests.example import create_example_engagement

pytestmark = pytest.mark.django_db

TODAY = date(2027, 3, 22)
CRITICAL = {
    "code": "no_sponsor",
    "severity": "critical",
    "message": "No sponsor.",
    "subject_ids": [],
    "action": "Name one.",
}


def events_sent(endpoint=None) -> list[dict]:
    deliveries = WebhookDelivery.objects.order_by("created_at")
    if endpoint is not None:
        deliveries = deliveries.filter(endpoint=endpoint)
    return [json.loads(d.body) for d in deliveries]


def event_types(endpoint=None) -> list[str]:
    return [event["type"] for event in events_sent(endpoint)]


def _snapshot(engagement, on, band="ready", score=80, findings=()):
    return AssessmentSnapshot.objects.create(
        engagement=engagement,
        taken_on=on,
        readiness_score=score,
        readiness_band=band,
        assessment={"readiness": {"score": score, "band": band}, "findings": list(findings)},
    )


def _assessment(band="ready", score=80, findings=()):
    return {
        "readiness": {"score": score, "band": band, "capped_by": []},
        "findings": list(findings),
    }


def test_a_band_change_recorded_in_a_snapshot_is_readiness_changed(endpoint, engagement):
    _snapshot(engagement, TODAY - timedelta(days=1), band="ready", score=81)
    record_snapshot(engagement.id, on=TODAY)
    snapshot = AssessmentSnapshot.objects.get(taken_on=TODAY)
    assert snapshot.readiness_band != "ready"
    [event] = [e for e in events_sent() if e["type"] == "engagement.readiness_changed"]
    assert event["data"]["previous"] == {"score": 81, "band": "ready"}
    assert event["data"]["readiness"]["band"] == snapshot.readiness_band
    assert event["data"]["engagement"] == {
        "id": str(engagement.id),
        "name": "WMS rollout",
        "customer": "Northwind",
        "go_live_date": "2027-04-05",
        "url": f"{settings.SITE_URL}/engagements/{engagement.id}/assessment/",
    }


def test_the_same_band_sends_nothing(endpoint, engagement):
    publish_assessment_changes(engagement, TODAY, _assessment())
    _snapshot(engagement, TODAY - timedelta(days=3))
    publish_assessment_changes(engagement, TODAY, _assessment(score=75))
    assert event_types() == []


def test_the_first_snapshot_is_the_baseline_and_sends_nothing(endpoint, engagement):
    record_snapshot(engagement.id, on=TODAY)
    assert AssessmentSnapshot.objects.get().critical_count > 0
    assert event_types() == []


def test_a_new_critical_finding_is_raised_once(endpoint, engagement):
    _snapshot(engagement, TODAY - timedelta(days=1))
    publish_assessment_changes(engagement, TODAY, _assessment(findings=[CRITICAL]))
    [event] = events_sent()
    assert event["type"] == "finding.raised"
    assert event["data"]["finding"] == CRITICAL
    _snapshot(engagement, TODAY, findings=[CRITICAL])
    publish_assessment_changes(engagement, TODAY, _assessment(findings=[CRITICAL]))
    assert event_types() == ["finding.raised"]


def test_a_critical_finding_naming_someone_new_is_raised_and_warnings_are_not(endpoint, engagement):
    before = {**CRITICAL, "code": "resistor_without_plan", "subject_ids": ["a"]}
    _snapshot(engagement, TODAY - timedelta(days=1), findings=[before])
    warning = {**CRITICAL, "code": "champion_gap", "severity": "warning"}
    publish_assessment_changes(
        engagement, TODAY, _assessment(findings=[{**before, "subject_ids": ["a", "b"]}, warning])
    )
    assert [e["data"]["finding"]["subject_ids"] for e in events_sent()] == [["a", "b"]]


def test_adoption_behind_target_is_its_own_event_too(endpoint, engagement):
    _snapshot(engagement, TODAY - timedelta(days=1))
    behind = {
        **CRITICAL,
        "code": "adoption_behind_target",
        "subject_ids": ["nurses"],
        "message": "Ward nurses are below 80 % of their target two weeks running.",
    }
    publish_assessment_changes(engagement, TODAY, _assessment(findings=[behind]))
    assert event_types() == ["finding.raised", "adoption.behind_target"]
    adoption = events_sent()[1]["data"]
    assert adoption["finding"] == behind
    assert adoption["engagement"]["url"].endswith(f"/engagements/{engagement.id}/plan/adoption/")


def test_endpoints_get_only_what_they_subscribe_to_and_only_when_on(
    dns, make_endpoint, engagement, other_workspace, outsider
):
    plans = make_endpoint(events=["plan.generated"]).endpoint
    findings = make_endpoint(events=["finding.raised"]).endpoint
    switched_off = make_endpoint(enabled=False).endpoint
    elsewhere = create_endpoint(
        other_workspace,
        created_by=outsider,
        url="https://hooks.example.com/rival",
        events=["finding.raised"],
    ).endpoint
    _snapshot(engagement, TODAY - timedelta(days=1))
    publish_assessment_changes(engagement, TODAY, _assessment(findings=[CRITICAL]))
    assert event_types(findings) == ["finding.raised"]
    assert event_types(plans) == event_types(switched_off) == event_types(elsewhere) == []


def test_a_generated_plan_is_plan_generated(dns, make_endpoint, workspace, member):
    endpoint = make_endpoint(events=["plan.generated"]).endpoint
    engagement = create_example_engagement(workspace)
    summary = regenerate_plan(engagement, actor=member)
    [event] = events_sent(endpoint)
    assert event["type"] == "plan.generated"
    assert event["data"]["plan"]["added"] == summary.added > 0
    assert event["data"]["engagement"]["url"].endswith(f"/engagements/{engagement.id}/plan/")
    regenerate_plan(engagement, actor=member)  # nothing changed: nothing to tell
    assert len(events_sent(endpoint)) == 1


def test_sending_and_accepting_the_handoff(endpoint, engagement, owner):
    engagement.cs_owner_email = "cs@acme.example"
    engagement.save()
    handoff.send_handoff(engagement, sent_by=owner, confirmed_open=True)
    handoff.accept_handoff(engagement, membership=owner.memberships.get())
    sent, accepted = events_sent()
    assert sent["type"] == "handoff.sent"
    assert sent["data"]["sent_to"] == "cs@acme.example"
    assert accepted["type"] == "handoff.accepted"
    assert accepted["data"]["accepted_by"] == owner.display_name
    assert accepted["data"]["engagement"]["url"].endswith(f"/engagements/{engagement.id}/handoff/")


def test_a_write_that_rolls_back_sends_nothing(endpoint, engagement, owner):
    engagement.cs_owner_email = "cs@acme.example"
    engagement.save()
    with pytest.raises(RuntimeError), transaction.atomic():
        handoff.send_handoff(engagement, sent_by=owner, confirmed_open=True)
        raise RuntimeError("the request failed later")
    assert event_types() == []


def test_events_are_queued_when_the_write_commits(
    endpoint, engagement, owner, queue_in_database, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    engagement.cs_owner_email = "cs@acme.example"
    engagement.save()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        handoff.send_handoff(engagement, sent_by=owner, confirmed_open=True)
    assert not DBTaskResult.objects.exists()
    for callback in callbacks:
        callback()
    delivery = WebhookDelivery.objects.get()
    assert [row.args_kwargs["args"] for row in DBTaskResult.objects.all()] == [[str(delivery.id)]]


# --- what each kind of endpoint gets -------------------------------------------


def test_slack_gets_blocks_that_link_back_to_the_engagement(dns, make_endpoint, engagement):
    make_endpoint(kind="slack")
    _snapshot(engagement, TODAY - timedelta(days=1), band="ready", score=81)
    publish_assessment_changes(engagement, TODAY, _assessment(band="not_ready", score=48))
    [body] = events_sent()
    assert body["text"] == (
        "Readiness of Northwind · WMS rollout: Not ready: "
        "Readiness moved from Ready (81) to Not ready (48)."
    )
    header, section, actions = body["blocks"]
    assert header["type"] == "header"
    assert section["fields"] == [{"type": "mrkdwn", "text": "*Go-live*\n2027-04-05"}]
    assert actions["elements"][0]["url"] == (
        f"{settings.SITE_URL}/engagements/{engagement.id}/assessment/"
    )


def test_teams_gets_an_adaptive_card_that_links_back(dns, make_endpoint, engagement, settings):
    settings.SITE_URL = "https://changeready.example.com"
    make_endpoint(kind="teams")
    _snapshot(engagement, TODAY - timedelta(days=1))
    publish_assessment_changes(engagement, TODAY, _assessment(findings=[CRITICAL]))
    [body] = events_sent()
    [attachment] = body["attachments"]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    card = attachment["content"]
    assert card["type"] == "AdaptiveCard"
    assert card["body"][0]["text"] == "New critical finding in Northwind · WMS rollout"
    assert card["body"][1]["text"] == "No sponsor."
    assert {"title": "What to do", "value": "Name one."} in card["body"][2]["facts"]
    assert card["actions"] == [
        {
            "type": "Action.OpenUrl",
            "title": "Open in changeready",
            "url": f"https://changeready.example.com/engagements/{engagement.id}/assessment/",
        }
    ]


@pytest.mark.parametrize("kind", ["webhook", "slack", "teams"])
def test_every_event_reads_as_a_message(dns, make_endpoint, engagement, owner, kind):
    endpoint = make_endpoint(kind=kind)
    engagement.cs_owner_email = "cs@acme.example"
    engagement.save()
    _snapshot(engagement, TODAY - timedelta(days=1))
    behind = {**CRITICAL, "code": "adoption_behind_target"}
    publish_assessment_changes(engagement, TODAY, _assessment("at_risk", 60, [behind]))
    handoff.send_handoff(engagement, sent_by=owner, confirmed_open=True)
    handoff.accept_handoff(engagement, membership=owner.memberships.get())
    regenerate_plan(create_example_engagement(engagement.workspace))
    send_test_event(endpoint.endpoint)
    bodies = events_sent()
    assert len(bodies) == 7
    if kind == "webhook":
        assert {b["type"] for b in bodies} == {
            "engagement.readiness_changed",
            "finding.raised",
            "adoption.behind_target",
            "handoff.sent",
            "handoff.accepted",
            "plan.generated",
            "webhook.test",
        }
    elif kind == "slack":
        assert all(b["text"] and b["blocks"][2]["elements"][0]["url"] for b in bodies)
    else:
        assert all(b["attachments"][0]["content"]["actions"][0]["url"] for b in bodies)


def test_a_long_finding_fits_slacks_limits(dns, make_endpoint, engagement):
    make_endpoint(kind="slack")
    _snapshot(engagement, TODAY - timedelta(days=1))
    long = {**CRITICAL, "message": "Nobody reached: " + ", ".join(["Ward nurses"] * 400)}
    publish_assessment_changes(engagement, TODAY, _assessment(findings=[long]))
    [body] = events_sent()
    header, section, _ = body["blocks"]
    assert len(header["text"]["text"]) <= 150
    assert len(section["text"]["text"]) == 3000
    assert section["text"]["text"].endswith("…")
