"""The usage and KPI pages: who may do what, what each action does, query budgets."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from changeready.conftest import PEOPLE
from changeready.usage.models import (
    GroupUsage,
    IngestionToken,
    Kpi,
    KpiValue,
    MappingRule,
    UsageEvent,
    UsageUser,
)
from changeready.usage.tests.factories import KpiFactory, group, moment, rule
from changeready.usage.tokens import issue_ingestion_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def live(engagement, member):
    engagement.go_live_date = timezone.localdate() - timedelta(weeks=3)
    engagement.save()
    pickers = group(engagement, "Pickers", headcount=4)
    mapping_rule = rule(pickers, values=["northwind.example"])
    rule(pickers, kind="user_list", values=["z"])
    kpi = KpiFactory(engagement=engagement, name="Pick accuracy")
    token = issue_ingestion_token(engagement, name="WMS", actor=member).token
    return {
        "engagement": engagement,
        "pickers": pickers,
        "rule": mapping_rule,
        "kpi": kpi,
        "token": token,
    }


def state_of(engagement):
    """Everything a write could change, to assert that nothing did."""
    return (
        UsageEvent.objects.filter(engagement=engagement).count(),
        sorted(
            MappingRule.objects.filter(engagement=engagement).values_list(
                "id", "position", "values"
            )
        ),
        sorted(GroupUsage.objects.values_list("stakeholder_id", "counts_as_use")),
        sorted(
            IngestionToken.objects.filter(engagement=engagement).values_list("id", "revoked_at")
        ),
        sorted(Kpi.objects.filter(engagement=engagement).values_list("id", "name", "version")),
        sorted(KpiValue.objects.values_list("kpi_id", "week", "value")),
    )


def events_csv(engagement):
    at = moment(engagement.go_live_date, 1).isoformat()
    return SimpleUploadedFile(
        "events.csv",
        f"id,user,email,event,timestamp,department\n"
        f"e1,a,a@northwind.example,order_picked,{at},Picking\n".encode(),
    )


READ_PAGES = ["usage", "usage_mapping", "usage_tokens", "kpis"]
WRITE_FORMS = [
    ("kpi_create", lambda live: []),
    ("kpi_edit", lambda live: [live["kpi"].id]),
    ("kpi_delete", lambda live: [live["kpi"].id]),
    ("usage_rule_edit", lambda live: [live["rule"].id]),
    ("usage_rule_delete", lambda live: [live["rule"].id]),
    ("usage_token_revoke", lambda live: [live["token"].id]),
]
WRITES = [
    ("usage_upload", lambda live: [], lambda live: {"file": events_csv(live["engagement"])}),
    (
        "usage_rule_create",
        lambda live: [],
        lambda live: {"stakeholder": live["pickers"].id, "kind": "user_list", "values": "a"},
    ),
    (
        "usage_rule_edit",
        lambda live: [live["rule"].id],
        lambda live: {"stakeholder": live["pickers"].id, "kind": "email_domain", "values": "x.io"},
    ),
    ("usage_rule_delete", lambda live: [live["rule"].id], lambda live: {}),
    ("usage_rule_move", lambda live: [live["rule"].id], lambda live: {"direction": "down"}),
    (
        "usage_counts_as_use",
        lambda live: [live["pickers"].id],
        lambda live: {f"group-{live['pickers'].id}-counts_as_use": "order_picked"},
    ),
    ("usage_tokens", lambda live: [], lambda live: {"name": "Second"}),
    ("usage_token_revoke", lambda live: [live["token"].id], lambda live: {}),
    (
        "kpi_create",
        lambda live: [],
        lambda live: {"name": "Close days", "target": 5, "baseline": 10, "measure": "typed"},
    ),
    (
        "kpi_edit",
        lambda live: [live["kpi"].id],
        lambda live: {"name": "Renamed", "target": 99, "baseline": 50, "measure": "typed"},
    ),
    ("kpi_delete", lambda live: [live["kpi"].id], lambda live: {}),
    (
        "kpi_value",
        lambda live: [live["kpi"].id],
        lambda live: {f"kpi-{live['kpi'].id}-week": 2, f"kpi-{live['kpi'].id}-value": 70},
    ),
]
# What a writer's successful POST answers: most redirect, some show a page.
WRITE_SUCCESS = {"usage_upload": 200, "usage_tokens": 200}


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("name", READ_PAGES)
def test_read_pages_access(client_as, live, person, name):
    engagement = live["engagement"]
    before = state_of(engagement)
    response = client_as(person).get(reverse(name, args=[engagement.id]))
    assert response.status_code == {"anonymous": 302, "outsider": 404}.get(person, 200)
    assert state_of(engagement) == before


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize(("name", "args"), WRITE_FORMS, ids=[w[0] for w in WRITE_FORMS])
def test_write_forms_are_for_writers(client_as, live, person, name, args):
    engagement = live["engagement"]
    before = state_of(engagement)
    response = client_as(person).get(reverse(name, args=[engagement.id, *args(live)]))
    assert response.status_code == {"anonymous": 302, "outsider": 404, "viewer": 403}.get(
        person, 200
    )
    assert state_of(engagement) == before


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize(("name", "args", "data"), WRITES, ids=[w[0] for w in WRITES])
def test_write_access_matrix(client_as, live, person, name, args, data):
    engagement = live["engagement"]
    before = state_of(engagement)
    response = client_as(person).post(reverse(name, args=[engagement.id, *args(live)]), data(live))
    expected = {"anonymous": 302, "outsider": 404, "viewer": 403}.get(
        person, WRITE_SUCCESS.get(name, 302)
    )
    assert response.status_code == expected, response.content[:500]
    if person in ("anonymous", "outsider", "viewer"):
        assert state_of(engagement) == before
    else:
        assert state_of(engagement) != before


def test_another_engagements_rule_token_or_kpi_is_404(client_as, live, workspace, member):
    from changeready.engagements.tests.factories import EngagementFactory

    other = EngagementFactory(workspace=workspace)
    for name, key in (
        ("usage_rule_edit", "rule"),
        ("usage_rule_delete", "rule"),
        ("usage_token_revoke", "token"),
        ("kpi_edit", "kpi"),
        ("kpi_delete", "kpi"),
    ):
        response = client_as("member").get(reverse(name, args=[other.id, live[key].id]))
        assert response.status_code == 404, name


def test_upload_stores_events_maps_users_and_reports_rejections_by_line(client_as, live):
    engagement = live["engagement"]
    at = moment(engagement.go_live_date, 1).isoformat()
    body = (
        "id,user,email,event,timestamp,department\n"
        f"e1,a,a@northwind.example,order_picked,{at},Picking\n"
        f"e2,b,,order_picked,not a time,Picking\n"
        f"e1,a,a@northwind.example,order_picked,{at},Picking\n"
    )
    response = client_as("member").post(
        reverse("usage_upload", args=[engagement.id]),
        {"file": SimpleUploadedFile("events.csv", body.encode())},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "1 event stored, 1 already received, 1 rejected" in page
    assert "Line 3:" in page
    user = UsageUser.objects.get(engagement=engagement, external_id="a")
    assert user.group == live["pickers"] and user.properties == {"department": "Picking"}


def test_json_lines_upload_with_progress_header_answers_the_outcome_only(client_as, live):
    engagement = live["engagement"]
    at = moment(engagement.go_live_date, 1).isoformat()
    body = f'{{"id": "j1", "user": "a", "event": "login", "timestamp": "{at}"}}\nnot json\n'
    response = client_as("member").post(
        reverse("usage_upload", args=[engagement.id]),
        {"file": SimpleUploadedFile("events.jsonl", body.encode())},
        headers={"X-Upload-Progress": "1"},
    )
    page = response.content.decode()
    assert "<html" not in page
    assert "1 event stored" in page and "Line 2: this line is not a JSON object" in page


def test_a_file_without_the_needed_columns_is_refused_whole(client_as, live):
    engagement = live["engagement"]
    response = client_as("member").post(
        reverse("usage_upload", args=[engagement.id]),
        {"file": SimpleUploadedFile("events.csv", b"who,what\na,b\n")},
    )
    assert response.status_code == 422
    assert "missing: id, user, event, timestamp" in response.content.decode()
    assert not UsageEvent.objects.exists()


def test_a_file_over_the_limit_is_refused(client_as, live, settings):
    settings.USAGE_UPLOAD_MAX_BYTES = 10
    response = client_as("member").post(
        reverse("usage_upload", args=[live["engagement"].id]),
        {"file": events_csv(live["engagement"])},
    )
    assert response.status_code == 422
    assert "the limit is" in response.content.decode()


def test_a_new_token_is_shown_once(client_as, live):
    engagement = live["engagement"]
    client = client_as("member")
    created = client.post(reverse("usage_tokens", args=[engagement.id]), {"name": "Mobile app"})
    secret = created.context["secret"]
    assert secret.startswith("cri_") and secret in created.content.decode()
    again = client.get(reverse("usage_tokens", args=[engagement.id]))
    assert secret not in again.content.decode()


def test_a_refused_kpi_form_keeps_what_was_typed(client_as, live):
    engagement = live["engagement"]
    response = client_as("member").post(
        reverse("kpi_create", args=[engagement.id]),
        {
            "name": "Close days",
            "baseline": 10,
            "target": 5,
            "direction": "increase",
            "measure": "typed",
        },
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "must decrease, not increase" in page and 'value="Close days"' in page
    assert not Kpi.objects.filter(name="Close days").exists()


def test_usage_page_shows_unmapped_users_and_reads_a_fixed_number_of_queries(
    client_as, live, django_assert_num_queries
):
    from changeready.usage.ingestion import ingest_events
    from changeready.usage.tests.factories import event

    engagement = live["engagement"]
    client = client_as("viewer")
    url = reverse("usage", args=[engagement.id])
    client.get(url)
    with django_assert_num_queries(11):
        client.get(url)
    ingest_events(
        engagement,
        [
            event(
                f"u{n}",
                moment(engagement.go_live_date, n % 3),
                email=f"u{n}@{'northwind' if n % 2 else 'x'}.example",
            )
            for n in range(40)
        ],
    )
    with django_assert_num_queries(11):
        response = client.get(url)
    assert "u0" in response.content.decode()
    assert response.context["summary"].unmapped_users == 20


def test_kpis_page_reads_a_fixed_number_of_queries(client_as, live, django_assert_num_queries):
    engagement = live["engagement"]
    client = client_as("viewer")
    url = reverse("kpis", args=[engagement.id])
    client.get(url)
    with django_assert_num_queries(6):
        client.get(url)
    for n in range(5):
        kpi = KpiFactory(engagement=engagement)
        KpiValue.objects.create(kpi=kpi, week=n, value=n)
    with django_assert_num_queries(6):
        client.get(url)


def test_saving_a_target_on_the_adoption_page_keeps_the_measured_figure_measured(client_as, live):
    from changeready.planning.models import AdoptionTarget
    from changeready.usage.ingestion import ingest_events
    from changeready.usage.tests.factories import event, targets

    engagement, pickers = live["engagement"], live["pickers"]
    (week1,) = targets(pickers, 1)
    ingest_events(
        engagement,
        [event("a", moment(engagement.go_live_date, 1), email="a@northwind.example")],
    )
    week1.refresh_from_db()
    page = client_as("member").get(reverse("adoption", args=[engagement.id])).content.decode()
    assert "measured 25" in page
    client_as("member").post(
        reverse("adoption_target", args=[engagement.id, week1.id]),
        {"target_pct": 60, "actual_pct": "", "version": week1.version},
    )
    week1 = AdoptionTarget.objects.get(pk=week1.pk)
    assert (week1.target_pct, week1.actual_pct, week1.actual_source) == (60, 25.0, "measured")


def test_editing_a_rule_remaps_users_and_a_refused_edit_keeps_what_was_typed(client_as, live):
    from changeready.usage.ingestion import ingest_events
    from changeready.usage.tests.factories import event

    engagement, rule_ = live["engagement"], live["rule"]
    ingest_events(engagement, [event("a", moment(engagement.go_live_date, 1), email="a@x.io")])
    assert UsageUser.objects.get(external_id="a").group is None
    client = client_as("member")
    url = reverse("usage_rule_edit", args=[engagement.id, rule_.id])
    refused = client.post(
        url, {"stakeholder": live["pickers"].id, "kind": "property", "values": "Picking"}
    )
    assert refused.status_code == 422
    assert "Name the property" in refused.content.decode() and "Picking" in refused.content.decode()
    client.post(url, {"stakeholder": live["pickers"].id, "kind": "email_domain", "values": "x.io"})
    assert UsageUser.objects.get(external_id="a").group == live["pickers"]
    assert MappingRule.objects.get(pk=rule_.pk).position == 1


# --- text no one types: refused with the field's message, form and API alike -------

CONTROL = "Pick\x07ing"
CONTROL_MESSAGE = "Contains a control character (U+0007); retype the text."


def test_a_control_character_is_refused_in_the_kpi_form_and_the_api(client_as, api_client_as, live):
    engagement = live["engagement"]
    form = client_as("member").post(
        reverse("kpi_create", args=[engagement.id]),
        {"name": CONTROL, "target": 5, "direction": "increase", "measure": "typed"},
    )
    assert form.status_code == 422
    assert form.context["form"].errors["name"] == [CONTROL_MESSAGE]
    api = api_client_as("member").post(
        f"/api/v1/engagements/{engagement.id}/kpis",
        {"name": "Picks", "unit": CONTROL, "target": 5},
        content_type="application/json",
    )
    assert api.status_code == 422
    assert api.json()["errors"][0]["path"] == ["unit"]
    assert CONTROL_MESSAGE in api.json()["errors"][0]["message"]
    assert not Kpi.objects.filter(name__in=[CONTROL, "Picks"]).exists()


@pytest.mark.parametrize(
    ("field", "data"),
    [
        ("values", {"kind": "email_domain", "values": f"{CONTROL}.example"}),
        ("property_name", {"kind": "property", "property_name": CONTROL, "values": "a"}),
    ],
)
def test_a_control_character_is_refused_in_a_mapping_rule(client_as, live, field, data):
    engagement = live["engagement"]
    response = client_as("member").post(
        reverse("usage_rule_create", args=[engagement.id]),
        {"stakeholder": live["pickers"].id, **data},
    )
    assert response.status_code == 422
    assert response.context["form"].errors[field] == [CONTROL_MESSAGE]
    assert MappingRule.objects.filter(engagement=engagement).count() == 2


def test_a_control_character_is_refused_in_a_mapping_rule_through_the_api(api_client_as, live):
    engagement = live["engagement"]
    rule_ = {"group": str(live["pickers"].id), "kind": "email_domain", "values": [CONTROL]}
    response = api_client_as("member").put(
        f"/api/v1/engagements/{engagement.id}/usage/mapping",
        {"rules": [rule_]},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["path"][:3] == ["rules", 0, "values"]
    assert MappingRule.objects.filter(engagement=engagement).count() == 2


def test_a_control_character_is_refused_in_an_ingestion_token_name(client_as, live):
    engagement = live["engagement"]
    response = client_as("member").post(
        reverse("usage_tokens", args=[engagement.id]), {"name": CONTROL}
    )
    assert response.status_code == 422
    assert response.context["form"].errors["name"] == [CONTROL_MESSAGE]
    assert "secret" not in response.context
    assert not IngestionToken.objects.filter(name=CONTROL).exists()
