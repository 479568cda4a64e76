"""Rollups of usage events, and the figures they feed.

Per batch, in a fixed number of queries whatever the number of events stored:
the batch's users are upserted with their group, their weekly counts per event
name are incremented (`UserWeek`), the groups' figures of the weeks the batch
touched are recomputed from those counts (`GroupWeek`), and the measured
adoption of finished weeks is written to the adoption targets.

Measured adoption (docs/domain.md, "Measured adoption and outcome KPIs"): for
a group with a headcount, in a plan week from 0 to the plan's last week that is
over, the distinct users with an event that counts as use, divided by the
headcount, capped at 100 %. For a mandatory engagement: the share of the
group's work events not marked `properties.channel = legacy`. Weeks from the
first week with any event on count; a group without events in such a week
measured 0 %. A figure typed for the same week wins (`AdoptionTarget.actual_source`).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import Count, F, OuterRef, Q, Subquery, Sum
from django.utils import timezone

from changeready.core.weeks import plan_week, week_monday
from changeready.engagements.services import engagement_changed
from changeready.landscape.models import Stakeholder
from changeready.planning.models import AdoptionTarget
from changeready.usage.bulk import chunks, db_value, insert_rows
from changeready.usage.matching import engagement_rules, group_of, mapping_properties
from changeready.usage.models import (
    GroupUsage,
    GroupWeek,
    Kpi,
    KpiValue,
    UsageEvent,
    UsageState,
    UsageUser,
    UserWeek,
)

UPSERT_BATCH = 1000


def today_local(now: datetime | None = None) -> date:
    return timezone.localtime(now or timezone.now()).date()


def is_over(week_start: date, today: date) -> bool:
    return week_start + timedelta(days=7) <= today


def last_plan_week(engagement) -> int:
    return engagement.plan_last_week


def is_mandatory(engagement) -> bool:
    return engagement.adoption_mode == "mandatory"


def add_events(engagement, state: UsageState, events, *, now: datetime) -> None:
    """Roll up a batch of new events (already stored); the caller holds the state lock."""
    regrouped = _upsert_users(engagement, events)
    counts: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    latest = state.last_event_at
    for event in events:
        count = counts[(event.week_start, event.user, event.name)]
        count[0] += 1
        if event.legacy:
            count[1] += 1
        if latest is None or event.occurred_at > latest:
            latest = event.occurred_at
    weeks = sorted({key[0] for key in counts})
    # The caller holds the engagement's lock, so adding to the stored counts is exact.
    engagement_id = db_value(UserWeek, "engagement", engagement.pk)
    insert_rows(
        UserWeek,
        ("engagement", "week_start", "user_ref", "name", "events", "legacy_events"),
        (
            (engagement_id, week_start, user, name, total, legacy)
            for (week_start, user, name), (total, legacy) in counts.items()
        ),
        adapt=("week_start",),
        conflict=("engagement", "week_start", "user_ref", "name"),
        add_on_conflict=("events", "legacy_events"),
    )
    recompute_group_weeks(engagement, None if regrouped else weeks)
    state.events += len(events)
    state.last_event_at = latest
    state.last_received_at = now
    if state.first_week_start is None or weeks[0] < state.first_week_start:
        state.first_week_start = weeks[0]
    state.save()
    refresh_figures(engagement, state=state, today=today_local(now), touched=weeks)


def _upsert_users(engagement, events) -> bool:
    """Store the batch's users with their group; True if a known user changed group."""
    # Per user, the latest event of the batch, and the latest email any event gave.
    latest: dict[str, object] = {}
    emails: dict[str, tuple] = {}
    for event in events:
        known = latest.get(event.user)
        if known is None or event.occurred_at >= known.occurred_at:
            latest[event.user] = event
        if event.email and event.occurred_at >= emails.get(event.user, (event.occurred_at,))[0]:
            emails[event.user] = (event.occurred_at, event.email)
    seen = {
        user: (emails.get(user, (None, ""))[1], mapping_properties(event.properties))
        for user, event in latest.items()
    }
    existing = {}
    for chunk in chunks(sorted(seen)):
        for row in UsageUser.objects.filter(
            engagement=engagement, external_id__in=chunk
        ).values_list("external_id", "email", "properties", "group_id"):
            existing[row[0]] = row[1:]
    rules = engagement_rules(engagement)
    changed, regrouped = [], False
    for external_id, (email, properties) in seen.items():
        before = existing.get(external_id)
        if before is not None:
            email = email or before[0]
            properties = {**before[1], **properties}
        group_id = group_of(rules, external_id, email, properties)
        if before is not None and before == (email, properties, group_id):
            continue
        if before is not None and before[2] != group_id:
            regrouped = True
        changed.append((external_id, email, properties, group_id))
    engagement_id = db_value(UsageUser, "engagement", engagement.pk)
    insert_rows(
        UsageUser,
        ("engagement", "external_id", "email", "properties", "group"),
        (
            (engagement_id, external_id, email, properties, db_value(UsageUser, "group", group))
            for external_id, email, properties, group in changed
        ),
        adapt=("properties",),
        conflict=("engagement", "external_id"),
        set_on_conflict=("email", "properties", "group"),
    )
    return regrouped


def recompute_group_weeks(engagement, weeks: list[date] | None) -> None:
    """The groups' figures of `weeks` (None: every week) from the users' weekly counts.

    One aggregate query: each weekly count is joined to its user's group, and
    only events that count as use for that group are kept.
    """
    group_of_user = UsageUser.objects.filter(
        engagement=engagement, external_id=OuterRef("user_ref")
    ).values("group_id")[:1]
    rows = UserWeek.objects.filter(engagement=engagement).annotate(group_id=Subquery(group_of_user))
    stored = GroupWeek.objects.filter(engagement=engagement)
    if weeks is not None:
        rows = rows.filter(week_start__in=weeks)
        stored = stored.filter(week_start__in=weeks)
    counts_as_use = {
        stakeholder_id: names
        for stakeholder_id, names in GroupUsage.objects.filter(
            stakeholder__engagement=engagement
        ).values_list("stakeholder_id", "counts_as_use")
        if names
    }
    use = Q(group_id__isnull=False) & ~Q(group_id__in=list(counts_as_use))
    for stakeholder_id, names in counts_as_use.items():
        use |= Q(group_id=stakeholder_id, name__in=names)
    figures = (
        rows.filter(use)
        .values("group_id", "week_start")
        .annotate(
            active=Count("user_ref", distinct=True, filter=Q(events__gt=F("legacy_events"))),
            work=Sum("events"),
            legacy=Sum("legacy_events"),
        )
        .values_list("group_id", "week_start", "active", "work", "legacy")
    )
    with transaction.atomic():
        fresh = [
            GroupWeek(
                engagement=engagement,
                stakeholder_id=group_id,
                week_start=week_start,
                active_users=active,
                work_events=work,
                legacy_events=legacy,
            )
            for group_id, week_start, active, work, legacy in figures
        ]
        stored.delete()
        GroupWeek.objects.bulk_create(fresh, batch_size=UPSERT_BATCH)


def measured_pct(group_week: GroupWeek | None, headcount: int, *, mandatory: bool):
    """The week's measured adoption of a group, or None when there is nothing to measure."""
    if mandatory:
        if group_week is None or not group_week.work_events:
            return None
        share = (group_week.work_events - group_week.legacy_events) / group_week.work_events
        return round(100 * share, 1)
    active = group_week.active_users if group_week else 0
    return round(min(100.0, 100 * active / headcount), 1)


def measured_figures(engagement, state: UsageState | None, today: date) -> dict[tuple, float]:
    """{(stakeholder id, plan week): measured %} for every finished week the rules allow."""
    if state is None or state.first_week_start is None:
        return {}
    headcounts = dict(
        Stakeholder.objects.filter(
            engagement=engagement, kind="group", headcount__gt=0
        ).values_list("id", "headcount")
    )
    stored = {
        (row.stakeholder_id, row.week_start): row
        for row in GroupWeek.objects.filter(engagement=engagement, stakeholder_id__in=headcounts)
    }
    go_live = engagement.go_live_date
    first = max(0, plan_week(go_live, state.first_week_start))
    last = min(last_plan_week(engagement), plan_week(go_live, today) - 1)
    mandatory = is_mandatory(engagement)
    figures = {}
    for stakeholder_id, headcount in headcounts.items():
        for week in range(first, last + 1):
            week_start = week_monday(go_live, week)
            pct = measured_pct(
                stored.get((stakeholder_id, week_start)), headcount, mandatory=mandatory
            )
            if pct is not None:
                figures[(stakeholder_id, week)] = pct
    return figures


def sync_measured_actuals(engagement, state: UsageState | None, today: date) -> bool:
    """Write the measured figures to the adoption targets; True if any changed."""
    figures = measured_figures(engagement, state, today)
    changed = []
    for target in AdoptionTarget.objects.filter(engagement=engagement):
        measured = figures.get((target.stakeholder_id, target.week))
        if target.measured_pct == measured:
            continue
        target.measured_pct = measured
        if target.actual_source != "manual":
            target.actual_pct = measured
            target.actual_source = "measured" if measured is not None else ""
        target.version += 1
        changed.append(target)
    AdoptionTarget.objects.bulk_update(
        changed, ["measured_pct", "actual_pct", "actual_source", "version"], batch_size=500
    )
    return bool(changed)


def computed_kpi_values(
    kpi: Kpi, state: UsageState | None, today: date, *, stored: dict, touched=None
) -> dict:
    """{plan week: value} of a KPI computed from events, for finished weeks from the
    first event on: those `touched` by a batch and those without a value yet
    (every one when `touched` is None)."""
    if state is None or state.first_week_start is None:
        return {}
    go_live = kpi.engagement.go_live_date
    finished = [
        week_monday(go_live, week)
        for week in range(plan_week(go_live, state.first_week_start), plan_week(go_live, today))
    ]
    if touched is not None:
        finished = [
            week_start
            for week_start in finished
            if week_start in touched or plan_week(go_live, week_start) not in stored
        ]
    totals = dict.fromkeys(finished, 0.0)
    if kpi.measure == "event_count":
        rows = (
            UserWeek.objects.filter(
                engagement=kpi.engagement, name=kpi.event, week_start__in=finished
            )
            .values("week_start")
            .annotate(total=Sum("events"))
            .values_list("week_start", "total")
        )
        for week_start, total in rows:
            totals[week_start] = float(total)
    else:
        rows = UsageEvent.objects.filter(
            engagement=kpi.engagement, name=kpi.event, week_start__in=finished
        ).values_list("week_start", "properties")
        for week_start, properties in rows.iterator(chunk_size=5000):
            totals[week_start] += _number(properties.get(kpi.property_name))
    return {plan_week(go_live, week_start): value for week_start, value in totals.items()}


def _number(value) -> float:
    if isinstance(value, bool):
        return 0.0
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(str(value).replace(",", "."))
    except (TypeError, ValueError):
        return 0.0


def refresh_kpi(kpi: Kpi, state: UsageState | None, today: date, touched=None) -> bool:
    """Store a computed KPI's weekly values; True if any changed."""
    stored = dict(kpi.values.values_list("week", "value"))
    values = computed_kpi_values(kpi, state, today, stored=stored, touched=touched)
    changed = {week: value for week, value in values.items() if stored.get(week) != value}
    KpiValue.objects.bulk_create(
        [KpiValue(kpi=kpi, week=week, value=value) for week, value in changed.items()],
        update_conflicts=True,
        unique_fields=["kpi", "week"],
        update_fields=["value"],
        batch_size=UPSERT_BATCH,
    )
    return bool(changed)


def refresh_figures(engagement, *, state=None, today: date | None = None, touched=None) -> None:
    """Measured adoption and computed KPIs from the rollups; the assessment follows.

    `touched`: the weeks (Mondays) a batch added events to; None recomputes all.
    """
    state = state or UsageState.objects.filter(engagement=engagement).first()
    today = today or today_local()
    changed = sync_measured_actuals(engagement, state, today)
    for kpi in Kpi.objects.filter(engagement=engagement).exclude(measure="typed"):
        kpi.engagement = engagement
        changed |= refresh_kpi(kpi, state, today, None if touched is None else set(touched))
    if changed:
        engagement_changed(engagement)
