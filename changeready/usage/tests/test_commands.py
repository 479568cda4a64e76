"""The usage management commands: pruning raw events, closing finished weeks."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from changeready.planning.models import AdoptionTarget
from changeready.usage.ingestion import ingest_events
from changeready.usage.models import GroupWeek, UsageEvent
from changeready.usage.tests.factories import event, group, moment, rule, targets

pytestmark = pytest.mark.django_db


def test_prune_deletes_raw_events_past_the_retention_and_keeps_the_rollups(engagement):
    engagement.go_live_date = timezone.localdate() - timedelta(weeks=40)
    engagement.save()
    pickers = group(engagement)
    rule(pickers, kind="user_list", values=["a"])
    old = moment(engagement.go_live_date, 0)
    recent = timezone.now() - timedelta(days=3)
    ingest_events(engagement, [event("a", old), event("a", recent)])
    out = StringIO()
    call_command("prune_usage_events", "--days", "100", stdout=out)
    assert "Deleted 1 usage event" in out.getvalue()
    assert list(UsageEvent.objects.values_list("occurred_at", flat=True)) == [recent]
    assert GroupWeek.objects.filter(stakeholder=pickers).count() == 2


def test_close_usage_weeks_writes_a_week_that_ended_without_new_events(engagement, monkeypatch):
    from changeready.usage import rollups

    engagement.go_live_date = timezone.localdate() - timedelta(weeks=1)
    engagement.save()
    pickers = group(engagement, headcount=2)
    rule(pickers, kind="user_list", values=["a"])
    (week1,) = targets(pickers, 1)
    during_week1 = moment(engagement.go_live_date, 1, day=0)
    monkeypatch.setattr(rollups, "today_local", lambda now=None: during_week1.date())
    ingest_events(engagement, [event("a", during_week1)], now=during_week1)
    assert AdoptionTarget.objects.get(pk=week1.pk).actual_pct is None
    week2 = (during_week1 + timedelta(days=7)).date()
    monkeypatch.setattr(rollups, "today_local", lambda now=None: week2)
    call_command("close_usage_weeks", stdout=StringIO())
    assert AdoptionTarget.objects.get(pk=week1.pk).actual_pct == 50.0
