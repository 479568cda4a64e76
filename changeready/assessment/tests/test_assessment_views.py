import datetime

import pytest
from django.db import transaction
from django.urls import reverse

from changeready.assessment import services
from changeready.assessment.models import AssessmentSnapshot
from changeready.conftest import PEOPLE
from changeready.landscape import services as landscape_services
from changeready.landscape.tests.factories import ResistancePointFactory, StakeholderFactory


@pytest.mark.parametrize("person", PEOPLE)
def test_assessment_page_access(client_as, engagement, person):
    response = client_as(person).get(reverse("assessment", args=[engagement.id]))
    expected = {"anonymous": 302, "outsider": 404}.get(person, 200)
    assert response.status_code == expected


def test_page_shows_findings_under_their_killer_with_actions(client_as, engagement):
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


def test_bad_as_of_is_a_clear_404(client_as, engagement):
    response = client_as("member").get(
        reverse("assessment", args=[engagement.id]), {"as_of": "soon"}
    )
    assert response.status_code == 404


@pytest.mark.parametrize("size", [5, 200])
def test_assessment_page_query_budget(client_as, engagement, size, django_assert_num_queries):
    for i in range(size):
        stakeholder = StakeholderFactory(engagement=engagement, name=f"Group {i}")
        ResistancePointFactory(stakeholder=stakeholder, severity=4)
    client = client_as("member")
    # session, user, membership, engagement, snapshot dates, six loader
    # queries, influence lookup, history, the layout's workspace switcher.
    with django_assert_num_queries(14):
        response = client.get(reverse("assessment", args=[engagement.id]))
    assert len(response.context["stakeholders"]) == size
    # The same again without the loader: the assessment comes from the cache.
    with django_assert_num_queries(8):
        response = client.get(reverse("assessment", args=[engagement.id]))
    assert len(response.context["stakeholders"]) == size


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
