"""The assessment kept in Django's cache equals a fresh one after every kind of change."""

import datetime

from changeready.assessment import services
from changeready.landscape import services as landscape_services
from changeready.landscape.tests.factories import StakeholderFactory

AS_OF = datetime.date(2027, 2, 22)


def test_a_second_read_is_served_from_the_cache(engagement, django_assert_num_queries):
    StakeholderFactory(engagement=engagement, name="Pickers", role="daily_user")
    first = services.cached_assessment(engagement, AS_OF)
    with django_assert_num_queries(1):  # the snapshot dates, part of the version
        again = services.cached_assessment(engagement, AS_OF)
    assert again == first == services.assess_engagement(engagement, AS_OF)


def test_a_write_through_a_service_moves_the_version(engagement):
    before = services.cached_assessment(engagement, AS_OF)
    landscape_services.create_stakeholder(engagement, name="Pickers", role="daily_user")
    engagement.refresh_from_db()  # as the next request reads it
    after = services.cached_assessment(engagement, AS_OF)
    assert [s.name for s in before.stakeholders] == []
    assert [s.name for s in after.stakeholders] == ["Pickers"]
    assert after == services.assess_engagement(engagement, AS_OF)


def test_a_new_snapshot_clears_assessment_stale(engagement):
    engagement.phase = "build"
    engagement.save()
    stale = services.cached_assessment(engagement, AS_OF)
    assert "assessment_stale" in {f.code for f in stale.findings}
    services.record_snapshot(engagement.id, on=AS_OF)  # written after `updated_at` moved
    fresh = services.cached_assessment(engagement, AS_OF)
    assert "assessment_stale" not in {f.code for f in fresh.findings}


def test_each_day_has_its_own_entry(engagement):
    StakeholderFactory(engagement=engagement, name="Pickers", role="daily_user")
    today = services.cached_assessment(engagement, AS_OF)
    later = services.cached_assessment(engagement, AS_OF + datetime.timedelta(days=60))
    assert today.as_of == AS_OF
    assert later == services.assess_engagement(engagement, AS_OF + datetime.timedelta(days=60))
