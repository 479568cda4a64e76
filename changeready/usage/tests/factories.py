"""Builders for the usage tests: an engagement live for some weeks, its groups, events."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, time, timedelta

import factory

from changeready.core.weeks import week_monday
from changeready.landscape.tests.factories import StakeholderFactory
from changeready.planning.models import AdoptionTarget
from changeready.usage.models import Kpi, MappingRule

_ids = itertools.count(1)


def moment(go_live: date, week: int, day: int = 1, hour: int = 10) -> datetime:
    """A moment in plan week `week` (day 0 = Monday), in UTC (the test server's zone)."""
    return datetime.combine(week_monday(go_live, week) + timedelta(days=day), time(hour), UTC)


def event(user: str, at: datetime, name: str = "order_picked", **fields) -> dict:
    """One event as a sender writes it; a fresh `id` unless given."""
    return {
        "id": fields.pop("id", f"ev-{next(_ids)}"),
        "user": user,
        "event": name,
        "timestamp": at.isoformat(),
        **fields,
    }


def group(engagement, name: str = "Pickers", headcount: int | None = 10, **fields):
    fields.setdefault("role", "daily_user")
    return StakeholderFactory(
        engagement=engagement, name=name, kind="group", headcount=headcount, **fields
    )


def rule(group_stakeholder, kind: str = "email_domain", values=("northwind.example",), **fields):
    last = MappingRule.objects.filter(engagement=group_stakeholder.engagement).count()
    return MappingRule.objects.create(
        engagement=group_stakeholder.engagement,
        stakeholder=group_stakeholder,
        kind=kind,
        values=list(values),
        position=last + 1,
        **fields,
    )


def targets(group_stakeholder, *weeks, target_pct: float = 50.0):
    return [
        AdoptionTarget.objects.create(
            engagement=group_stakeholder.engagement,
            stakeholder=group_stakeholder,
            week=week,
            target_pct=target_pct,
        )
        for week in weeks
    ]


class KpiFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Kpi

    name = factory.Sequence(lambda n: f"KPI {n}")
    direction = "increase"
    baseline = 50.0
    target = 100.0
    due_week = 5
    measure = "typed"
