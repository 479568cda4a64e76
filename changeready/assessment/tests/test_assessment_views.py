import datetime

import pytest
from django.db import transaction
from django.urls import reverse

from changeready.assessment import services
from changeready.assessment.models import AssessmentSnapshot
from changeready.conftest import PEOPLE
from changeready.core.findings import FINDING_CODES
from changeready.landscape import services as landscape_services
from changeready.landscape.tests.factories import ResistancePointFactory, StakeholderFactory


@pytest.mark.parametrize("person", PEOPLE)
def test_assessment_page_access(client_as, engagement, person):
    response = client_as(person).get(reverse("assessment", args=[engagement.id]))
    expected = {"anonymous": 302, "outsider": 404}.get(person, 200)
    assert response.status_code == expected


def test_page_shows_findings_under_their_check_with_actions(client_as, engagement):
    StakeholderFactory(engagement=engagement, name="Pickers", role="daily_user")
    response = client_as("viewer").get(
        reverse("assessment", args=[engagement.id]), {"as_of": "2027-02-22"}
    )
    body = response.content.decode()
    killers = {k.key: k for k in response.context["killers"]}
    codes = {v.finding.code for v in killers["wrong_stakeholders"].findings}
    assert "landscape_missing_role" in codes
    assert "end_users_not_involved" in codes
    assert "Next step:" in body
    assert "Why this matters" in body
    assert response.context["as_of"] == datetime.date(2027, 2, 22)
    # Headings state the check and what is open, not a verdict; codes stay in the API.
    assert "Checks on who is involved: " in body
    assert "Nobody identified the resistors" not in body
    for code in FINDING_CODES:
        assert code not in body, code


def test_the_two_questions_and_why_the_band_is_lower(client_as, engagement):
    # 300 nurses (impact 5) barely involved; a CFO who opposed the purchase.
    StakeholderFactory(
        engagement=engagement,
        name="Ward nurses",
        role="daily_user",
        headcount=300,
        impact=5,
        involvement=["uat"],
        engagement_level="supportive",
        adkar_awareness=4,
        adkar_desire=4,
    )
    StakeholderFactory(
        engagement=engagement,
        name="Dr. Ruiz",
        kind="person",
        role="economic_buyer",
        influence=5,
        impact=2,
        engagement_level="resistant",
        opposed_purchase=True,
    )
    response = client_as("viewer").get(
        reverse("assessment", args=[engagement.id]), {"as_of": "2027-02-22"}
    )
    body = response.content.decode()
    assert "Will the people adopt it?" in body and "Can anyone block it?" in body
    adopters = [row.stakeholder.name for row in response.context["adopters"].rows]
    blockers = [row.stakeholder.name for row in response.context["blockers"].rows]
    assert (adopters, blockers) == (["Ward nurses"], ["Dr. Ruiz"])
    readiness = response.context["readiness"]
    # Dr. Ruiz: C = 0.6 + 0.1 = 0.7, L = 0.3 (resistant) + 0.075 (opposed) + 0.08 (ADKAR
    # unknown) = 0.455, risk round(31.85) = 32; K = 25.6. The nurses are supportive as
    # desired, with no barrier and no points: A = 0. Score round(74.4) = 74: at risk on
    # its own, lowered to not ready by the critical findings (no sponsor among them).
    assert (readiness.readiness.score, readiness.readiness.band) == (74, "not_ready")
    assert readiness.deciding_question == "blocking"
    assert "The score alone reads at risk; lowered to not ready by" in body
    assert "“No active sponsor”" in body


@pytest.mark.parametrize("as_of", ["soon", "0001-01-01", "9999-12-31", "1969-12-31"])
def test_bad_as_of_is_a_clear_400(client_as, engagement, as_of):
    response = client_as("member").get(
        reverse("assessment", args=[engagement.id]), {"as_of": as_of}
    )
    assert response.status_code == 400


def many_stakeholders(engagement, size):
    """`size` stakeholders with long names, a resistance point each, and their words."""
    for i in range(size):
        stakeholder = StakeholderFactory(
            engagement=engagement,
            name=f"Distribution centre {i:03} pickers and packers, night shift",
            headcount=40 + i,
            impact=1 + i % 5,
            influence=1 + i % 5,
            success_definition="Fewer walking miles per shift, pick rates not used against us.",
        )
        ResistancePointFactory(stakeholder=stakeholder, severity=4)


@pytest.mark.parametrize("size", [5, 200, 500])
def test_assessment_page_query_budget_and_size(
    client_as, engagement, size, django_assert_num_queries
):
    many_stakeholders(engagement, size)
    client = client_as("member")
    # session, user, memberships (tenancy's and the layout's workspace
    # switcher's), engagement, history (the snapshots: the version of the
    # cached page), six loader queries.
    with django_assert_num_queries(11):
        response = client.get(reverse("assessment", args=[engagement.id]))
    assert len(response.context["assessment"].stakeholders) == size
    assert len(response.context["adopters"].rows) == min(size, 10)
    first = response.content.decode()
    # The per-stakeholder breakdown loads on demand: the page stays small.
    assert len(first) < 200_000
    # The same again: the page comes from the cache, neither assessed nor
    # read whole: session, user, memberships, engagement, history.
    with django_assert_num_queries(5):
        response = client.get(reverse("assessment", args=[engagement.id]))
    assert "assessment" not in response.context
    # What follows the tabs (the layout's CSRF token is new on each request).
    assert response.content.decode().split("</nav>")[-1] == first.split("</nav>")[-1]


@pytest.mark.parametrize("size", [5, 200])
def test_breakdown_query_budget(client_as, engagement, size, django_assert_num_queries):
    many_stakeholders(engagement, size)
    client = client_as("member")
    url = reverse("assessment_breakdown", args=[engagement.id])
    with django_assert_num_queries(11):  # the page's, without the history and the switcher
        response = client.get(url, HTTP_HX_REQUEST="true")
    assert len(response.context["rows"]) == size


def test_a_change_records_one_snapshot_per_day(engagement, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        for i in range(3):
            landscape_services.create_stakeholder(engagement, name=f"Group {i}")
    # the three writes share one transaction per service call in a test, but
    # the refresh is scheduled once per transaction and engagement
    assert AssessmentSnapshot.objects.filter(engagement=engagement).count() == 1
    assert len(callbacks) >= 1
    snapshot = AssessmentSnapshot.objects.get(engagement=engagement)
    assert snapshot.taken_on == services.today()
    assert snapshot.assessment["engagement_id"] == str(engagement.id)
    assert len(snapshot.assessment["stakeholders"]) == 3


def test_bulk_write_refreshes_the_snapshot_once(
    engagement, django_capture_on_commit_callbacks, monkeypatch
):
    refreshed = []
    monkeypatch.setattr(services, "record_snapshot", refreshed.append)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        for i in range(50):
            landscape_services.create_stakeholder(engagement, name=f"Group {i}")
    assert refreshed == [engagement.id]


def test_a_rolled_back_change_leaves_the_next_one_its_refresh(
    engagement, django_capture_on_commit_callbacks, monkeypatch
):
    refreshed = []
    monkeypatch.setattr(services, "record_snapshot", refreshed.append)
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        landscape_services.create_stakeholder(engagement, name="Rolled back")
        raise RuntimeError
    assert refreshed == []
    with django_capture_on_commit_callbacks(execute=True):
        landscape_services.create_stakeholder(engagement, name="Kept")
    assert refreshed == [engagement.id]


def test_a_savepoint_rolled_back_after_a_change_keeps_the_refresh(
    engagement, django_capture_on_commit_callbacks, monkeypatch
):
    refreshed = []
    monkeypatch.setattr(services, "record_snapshot", refreshed.append)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        landscape_services.create_stakeholder(engagement, name="Kept")
        with pytest.raises(RuntimeError), transaction.atomic():
            landscape_services.create_stakeholder(engagement, name="Rolled back")
            raise RuntimeError
    assert refreshed == [engagement.id]


def test_snapshot_of_a_later_day_is_kept_beside_the_earlier(engagement):
    services.record_snapshot(engagement.id, on=datetime.date(2027, 1, 4))
    services.record_snapshot(engagement.id, on=datetime.date(2027, 1, 4))
    services.record_snapshot(engagement.id, on=datetime.date(2027, 1, 5))
    assert [d for d, _ in services.readiness_history(engagement)] == [
        datetime.date(2027, 1, 4),
        datetime.date(2027, 1, 5),
    ]


def test_snapshots_feed_assessment_stale(engagement):
    as_of = datetime.date(2027, 2, 22)
    codes = {f.code for f in services.assess_engagement(engagement, as_of).findings}
    assert "assessment_stale" in codes
    services.record_snapshot(engagement.id, on=datetime.date(2027, 2, 1))
    codes = {f.code for f in services.assess_engagement(engagement, as_of).findings}
    assert "assessment_stale" not in codes


@pytest.mark.parametrize("person", PEOPLE)
def test_breakdown_access(client_as, engagement, person):
    StakeholderFactory(engagement=engagement, name="Pickers")
    response = client_as(person).get(reverse("assessment_breakdown", args=[engagement.id]))
    expected = {"anonymous": 302, "outsider": 404}.get(person, 200)
    assert response.status_code == expected
    if expected == 200:
        assert "Pickers" in response.content.decode()


def test_breakdown_is_a_section_for_htmx_and_a_page_without_it(client_as, engagement):
    StakeholderFactory(
        engagement=engagement,
        name="Pickers",
        resistance_triggers="Being monitored on night shifts.",
    )
    client = client_as("viewer")
    url = reverse("assessment_breakdown", args=[engagement.id])
    section = client.get(url, {"as_of": "2027-02-22"}, HTTP_HX_REQUEST="true").content.decode()
    assert section.lstrip().startswith('<section id="breakdown"')
    assert "<html" not in section
    assert "How their data is used: “monitored”" in section
    assert "Out-of-hours work: “night”, “shifts”" in section
    page = client.get(url, {"as_of": "2027-02-22"}).content.decode()
    assert "<html" in page and 'id="breakdown"' in page
    assert "Back to the assessment" in page
    # The assessment page links to it, for htmx and as a plain link.
    body = client.get(reverse("assessment", args=[engagement.id]), {"as_of": "2027-02-22"})
    text = body.content.decode()
    assert f'href="{url}?as_of=2027-02-22"' in text and f'hx-get="{url}?as_of=2027-02-22"' in text
