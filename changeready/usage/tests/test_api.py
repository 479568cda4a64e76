"""The usage and KPI API: every operation against the six people, shapes, tokens."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from changeready.conftest import PEOPLE
from changeready.planning.models import AdoptionTarget
from changeready.usage.models import Kpi, KpiValue, MappingRule, UsageEvent
from changeready.usage.tests.factories import KpiFactory, event, group, moment, rule, targets
from changeready.usage.tokens import issue_ingestion_token, revoke_ingestion_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def live(engagement):
    """The engagement went live three weeks ago; Pickers (headcount 4) are mapped by domain."""
    engagement.go_live_date = timezone.localdate() - timedelta(weeks=3)
    engagement.save()
    pickers = group(engagement, "Pickers", headcount=4)
    rule(pickers, values=["northwind.example"])
    kpi = KpiFactory(engagement=engagement, name="Pick accuracy")
    return {"engagement": engagement, "pickers": pickers, "kpi": kpi}


def events_body(engagement, *events):
    return json.dumps({"events": list(events)})


def picked(engagement, user="a", week=1, **fields):
    return event(
        user, moment(engagement.go_live_date, week), email=f"{user}@northwind.example", **fields
    )


def snapshot(engagement):
    return (
        UsageEvent.objects.filter(engagement=engagement).count(),
        sorted(
            MappingRule.objects.filter(engagement=engagement).values_list(
                "id", "position", "values"
            )
        ),
        sorted(Kpi.objects.filter(engagement=engagement).values_list("id", "version")),
        sorted(
            KpiValue.objects.filter(kpi__engagement=engagement).values_list(
                "kpi_id", "week", "value"
            )
        ),
    )


NEW_KPI = {"name": "Close in days", "baseline": 10, "target": 5, "due_week": 8}
OPERATIONS = [
    ("post", "/api/v1/engagements/{engagement}/usage/events", "events", 202),
    ("get", "/api/v1/engagements/{engagement}/usage", None, 200),
    ("get", "/api/v1/engagements/{engagement}/usage/mapping", None, 200),
    (
        "put",
        "/api/v1/engagements/{engagement}/usage/mapping",
        {"rules": [{"group": "{pickers}", "kind": "user_list", "values": ["a"]}]},
        200,
    ),
    ("get", "/api/v1/engagements/{engagement}/kpis", None, 200),
    ("post", "/api/v1/engagements/{engagement}/kpis", NEW_KPI, 201),
    ("get", "/api/v1/kpis/{kpi}", None, 200),
    ("patch", "/api/v1/kpis/{kpi}", {"target": 99}, 200),
    ("delete", "/api/v1/kpis/{kpi}", None, 204),
]


def fill(template, ids):
    if isinstance(template, str):
        return template.format(**ids)
    if isinstance(template, dict):
        return {key: fill(value, ids) for key, value in template.items()}
    if isinstance(template, list):
        return [fill(value, ids) for value in template]
    return template


def send(client, method, path, body, engagement):
    if body == "events":
        return client.post(
            path, events_body(engagement, picked(engagement)), content_type="application/json"
        )
    if body is None:
        return getattr(client, method)(path)
    return getattr(client, method)(path, json.dumps(body), content_type="application/json")


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize(
    ("method", "path", "body", "success"), OPERATIONS, ids=[f"{o[0]} {o[1]}" for o in OPERATIONS]
)
def test_operation_access(api_client_as, live, person, method, path, body, success):
    engagement = live["engagement"]
    ids = {"engagement": engagement.id, "pickers": live["pickers"].id, "kpi": live["kpi"].id}
    before = snapshot(engagement)
    response = send(api_client_as(person), method, fill(path, ids), fill(body, ids), engagement)
    if person == "anonymous":
        expected = 401
    elif person == "outsider":
        expected = 404
    elif person == "viewer" and method != "get":
        expected = 403
    else:
        expected = success
    assert response.status_code == expected, response.content
    if expected != success or method == "get":
        assert snapshot(engagement) == before


def test_events_answer_accepted_duplicates_and_rejected(api_client_as, live):
    engagement = live["engagement"]
    client = api_client_as("member")
    good = picked(engagement, id="e1")
    bad = {**picked(engagement, id="e2"), "timestamp": "yesterday"}
    path = f"/api/v1/engagements/{engagement.id}/usage/events"
    first = client.post(path, events_body(engagement, good, bad), content_type="application/json")
    again = client.post(path, events_body(engagement, good), content_type="application/json")
    assert first.status_code == 202
    assert first.json()["accepted"] == 1 and first.json()["duplicates"] == 0
    assert first.json()["rejected"][0]["index"] == 1
    assert "ISO 8601" in first.json()["rejected"][0]["reason"]
    assert again.json() == {"accepted": 0, "duplicates": 1, "rejected": []}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("not json", "not JSON"),
        ("[]", "one field"),
        ('{"events": {}}', "must be a list"),
        (json.dumps({"events": [{}] * 10_001}), "At most 10,000"),
    ],
)
def test_a_body_that_is_not_a_batch_is_422_and_stores_nothing(api_client_as, live, body, message):
    engagement = live["engagement"]
    response = api_client_as("owner").post(
        f"/api/v1/engagements/{engagement.id}/usage/events", body, content_type="application/json"
    )
    assert response.status_code == 422
    assert message in json.dumps(response.json())
    assert not UsageEvent.objects.filter(engagement=engagement).exists()


def test_a_body_over_the_limit_is_413(api_client_as, live, settings):
    settings.USAGE_EVENTS_MAX_BYTES = 1024
    engagement = live["engagement"]
    body = events_body(engagement, *[picked(engagement, user=f"u{n}") for n in range(40)])
    response = api_client_as("owner").post(
        f"/api/v1/engagements/{engagement.id}/usage/events", body, content_type="application/json"
    )
    assert response.status_code == 413


def ingestion_client(engagement, member):
    issued = issue_ingestion_token(engagement, name="WMS", actor=member)
    return issued, Client(headers={"Authorization": f"Bearer {issued.secret}"})


def test_an_ingestion_token_sends_events_to_its_engagement(live, member):
    engagement = live["engagement"]
    _, client = ingestion_client(engagement, member)
    response = client.post(
        f"/api/v1/engagements/{engagement.id}/usage/events",
        events_body(engagement, picked(engagement)),
        content_type="application/json",
    )
    assert response.status_code == 202
    assert UsageEvent.objects.filter(engagement=engagement).count() == 1


def test_an_ingestion_token_reads_nothing_and_writes_nowhere_else(live, member, workspace):
    from changeready.engagements.tests.factories import EngagementFactory

    engagement = live["engagement"]
    other = EngagementFactory(workspace=workspace, go_live_date=engagement.go_live_date)
    _, client = ingestion_client(engagement, member)
    assert client.get(f"/api/v1/engagements/{engagement.id}/usage").status_code == 401
    assert client.get(f"/api/v1/engagements/{engagement.id}").status_code == 401
    assert client.get(f"/api/v1/engagements/{engagement.id}/kpis").status_code == 401
    assert (
        client.post(
            f"/api/v1/engagements/{engagement.id}/kpis",
            json.dumps(NEW_KPI),
            content_type="application/json",
        ).status_code
        == 401
    )
    elsewhere = client.post(
        f"/api/v1/engagements/{other.id}/usage/events",
        events_body(other, picked(other)),
        content_type="application/json",
    )
    assert elsewhere.status_code == 404
    assert not UsageEvent.objects.filter(engagement=other).exists()


def test_a_revoked_ingestion_token_is_refused(live, member):
    engagement = live["engagement"]
    issued, client = ingestion_client(engagement, member)
    revoke_ingestion_token(issued.token, actor=member)
    response = client.post(
        f"/api/v1/engagements/{engagement.id}/usage/events",
        events_body(engagement, picked(engagement)),
        content_type="application/json",
    )
    assert response.status_code == 401
    assert not UsageEvent.objects.filter(engagement=engagement).exists()


def test_usage_reports_weekly_measured_adoption_unmapped_users_and_last_event(api_client_as, live):
    engagement, pickers = live["engagement"], live["pickers"]
    targets(pickers, 1, 2)
    client = api_client_as("member")
    client.post(
        f"/api/v1/engagements/{engagement.id}/usage/events",
        events_body(
            engagement,
            picked(engagement, "a"),
            picked(engagement, "b"),
            event("stray", moment(engagement.go_live_date, 1), email="stray@elsewhere.example"),
        ),
        content_type="application/json",
    )
    body = api_client_as("viewer").get(f"/api/v1/engagements/{engagement.id}/usage").json()
    (pickers_out,) = body["groups"]
    assert pickers_out["users"] == 2 and pickers_out["headcount"] == 4
    week1 = next(w for w in pickers_out["weeks"] if w["week"] == 1)
    assert week1 == {
        "week": 1,
        "complete": True,
        "active_users": 2,
        "work_events": 2,
        "legacy_events": 0,
        "measured_pct": 50.0,
        "target_pct": 50.0,
        "actual_pct": 50.0,
        "actual_source": "measured",
    }
    assert body["unmapped"] == {
        "count": 1,
        "users": [{"user": "stray", "email": "stray@elsewhere.example"}],
    }
    assert body["events"] == 3 and body["last_event_at"] is not None
    assert AdoptionTarget.objects.get(stakeholder=pickers, week=1).actual_pct == 50.0


def test_usage_reads_a_fixed_number_of_queries(api_client_as, live, django_assert_num_queries):
    engagement = live["engagement"]
    client = api_client_as("viewer")
    path = f"/api/v1/engagements/{engagement.id}/usage"
    client.get(path)
    with django_assert_num_queries(10):
        client.get(path)
    targets(live["pickers"], 1, 2, 3)
    api_client_as("member").post(
        f"/api/v1/engagements/{engagement.id}/usage/events",
        events_body(engagement, *[picked(engagement, f"u{n}", week=n % 3) for n in range(30)]),
        content_type="application/json",
    )
    with django_assert_num_queries(10):
        client.get(path)


def test_mapping_put_replaces_rules_in_order_and_remaps_users(api_client_as, live):
    engagement, pickers = live["engagement"], live["pickers"]
    packers = group(engagement, "Packers", headcount=2)
    client = api_client_as("member")
    client.post(
        f"/api/v1/engagements/{engagement.id}/usage/events",
        events_body(engagement, picked(engagement, "a"), picked(engagement, "b")),
        content_type="application/json",
    )
    response = client.put(
        f"/api/v1/engagements/{engagement.id}/usage/mapping",
        json.dumps(
            {
                "rules": [
                    {"group": str(packers.id), "kind": "user_list", "values": ["a"]},
                    {
                        "group": str(pickers.id),
                        "kind": "email_domain",
                        "values": ["@northwind.example"],
                    },
                ],
                "counts_as_use": [{"group": str(pickers.id), "events": ["order_picked"]}],
            }
        ),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert [r["group"] for r in body["rules"]] == [str(packers.id), str(pickers.id)]
    assert (body["mapped_users"], body["unmapped_users"]) == (2, 0)
    usage = client.get(f"/api/v1/engagements/{engagement.id}/usage").json()
    assert {g["name"]: g["users"] for g in usage["groups"]} == {"Packers": 1, "Pickers": 1}


def test_a_bad_mapping_rule_refuses_the_whole_change(api_client_as, live):
    engagement, pickers = live["engagement"], live["pickers"]
    manager = group(engagement, "Shift leads", role="people_manager")
    before = snapshot(engagement)
    response = api_client_as("member").put(
        f"/api/v1/engagements/{engagement.id}/usage/mapping",
        json.dumps(
            {
                "rules": [
                    {"group": str(pickers.id), "kind": "property", "values": ["Nursing"]},
                    {"group": str(manager.id), "kind": "user_list", "values": ["a"]},
                ]
            }
        ),
        content_type="application/json",
    )
    assert response.status_code == 422
    paths = [error["path"] for error in response.json()["errors"]]
    assert ["rules", 0, "property_name"] in paths and ["rules", 1, "group"] in paths
    assert snapshot(engagement) == before


def test_kpi_direction_defaults_to_the_sign_of_target_minus_baseline(api_client_as, live):
    engagement = live["engagement"]
    response = api_client_as("member").post(
        f"/api/v1/engagements/{engagement.id}/kpis",
        json.dumps(NEW_KPI),
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["direction"] == "decrease"


def test_a_contradicting_kpi_direction_is_422(api_client_as, live):
    engagement = live["engagement"]
    response = api_client_as("member").post(
        f"/api/v1/engagements/{engagement.id}/kpis",
        json.dumps({**NEW_KPI, "direction": "increase"}),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["path"] == ["direction"]
    patch = api_client_as("member").patch(
        f"/api/v1/kpis/{live['kpi'].id}",
        json.dumps({"direction": "decrease"}),
        content_type="application/json",
    )
    assert patch.status_code == 422
    assert not Kpi.objects.filter(name="Close in days").exists()


def test_typed_kpi_values_are_replaced_by_patch(api_client_as, live):
    kpi = live["kpi"]
    client = api_client_as("member")
    response = client.patch(
        f"/api/v1/kpis/{kpi.id}",
        json.dumps({"values": [{"week": 2, "value": 70}, {"week": 1, "value": 60}]}),
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["values"] == [{"week": 1, "value": 60.0}, {"week": 2, "value": 70.0}]


def test_a_kpi_counted_from_events_gets_weekly_values(api_client_as, live):
    engagement = live["engagement"]
    client = api_client_as("member")
    client.post(
        f"/api/v1/engagements/{engagement.id}/usage/events",
        events_body(
            engagement,
            picked(engagement, "a", week=1, properties={"lines": 3}),
            picked(engagement, "b", week=1, properties={"lines": "4.5"}),
            picked(engagement, "a", week=2, properties={"lines": 1}),
        ),
        content_type="application/json",
    )
    counted = client.post(
        f"/api/v1/engagements/{engagement.id}/kpis",
        json.dumps(
            {
                "name": "Orders picked",
                "target": 100,
                "measure": "event_count",
                "event": "order_picked",
            }
        ),
        content_type="application/json",
    ).json()
    summed = client.post(
        f"/api/v1/engagements/{engagement.id}/kpis",
        json.dumps(
            {
                "name": "Lines",
                "target": 100,
                "measure": "property_sum",
                "event": "order_picked",
                "property": "lines",
            }
        ),
        content_type="application/json",
    ).json()
    assert {v["week"]: v["value"] for v in counted["values"]} == {1: 2.0, 2: 1.0}
    assert {v["week"]: v["value"] for v in summed["values"]} == {1: 7.5, 2: 1.0}
    typed_values = client.patch(
        f"/api/v1/kpis/{counted['id']}",
        json.dumps({"values": [{"week": 1, "value": 5}]}),
        content_type="application/json",
    )
    assert typed_values.status_code == 422


def test_kpi_off_track_shows_in_the_assessment(api_client_as, live):
    engagement, kpi = live["engagement"], live["kpi"]
    KpiValue.objects.create(kpi=kpi, week=2, value=55)  # the line is at 70 in week 2
    body = api_client_as("viewer").get(f"/api/v1/engagements/{engagement.id}/assessment").json()
    (finding,) = [f for f in body["findings"] if f["code"] == "kpi_off_track"]
    assert finding["severity"] == "warning" and finding["subject_ids"] == [str(kpi.id)]


def test_kpi_list_reads_a_fixed_number_of_queries(api_client_as, live, django_assert_num_queries):
    engagement = live["engagement"]
    client = api_client_as("viewer")
    path = f"/api/v1/engagements/{engagement.id}/kpis"
    client.get(path)
    # token, membership, engagement, KPIs, their values
    with django_assert_num_queries(5):
        client.get(path)
    for n in range(6):
        kpi = KpiFactory(engagement=engagement)
        KpiValue.objects.bulk_create(KpiValue(kpi=kpi, week=w, value=w) for w in range(n))
    with django_assert_num_queries(5):
        response = client.get(path)
    assert len(response.json()) == 7


def test_events_sent_through_the_api_move_the_chart_the_findings_and_the_plan(api_client_as, live):
    """Say and do together: measured adoption behind target, with the barrier a pulse survey
    measured, is named by the finding and answered by the regenerated plan."""
    engagement, pickers = live["engagement"], live["pickers"]
    pickers.adkar_awareness, pickers.adkar_desire, pickers.adkar_knowledge = 4.5, 2, 4
    pickers.adkar_source = "survey"
    pickers.save()
    targets(pickers, 1, 2, target_pct=80)
    client = api_client_as("member")
    client.post(
        f"/api/v1/engagements/{engagement.id}/usage/events",
        events_body(engagement, picked(engagement, "a", week=1), picked(engagement, "a", week=2)),
        content_type="application/json",
    )
    usage = client.get(f"/api/v1/engagements/{engagement.id}/usage").json()
    assert [w["actual_pct"] for w in usage["groups"][0]["weeks"]] == [25.0, 25.0]
    assessment = client.get(f"/api/v1/engagements/{engagement.id}/assessment").json()
    (behind,) = [f for f in assessment["findings"] if f["code"] == "adoption_behind_target"]
    assert "barrier at desire" in behind["message"]
    plan = client.post(f"/api/v1/engagements/{engagement.id}/plan/generate").json()
    lagging = [i for i in plan["items"] if i["origin"] == "generated:lagging.desire"]
    assert [i["audience"] for i in lagging] == [[str(pickers.id)]]
