"""What the usage page and `GET …/usage` show, read from the rollups only.

A fixed number of queries whatever the number of events: the groups, their
weekly figures, their adoption targets, the counts of mapped users per group
and the first unmapped users.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Count

from changeready.core.weeks import plan_week, week_monday
from changeready.planning.models import AdoptionTarget
from changeready.usage import rollups
from changeready.usage.mapping import mappable_groups
from changeready.usage.models import GroupUsage, GroupWeek, UsageState, UsageUser

UNMAPPED_LISTED = 200


@dataclass(frozen=True)
class WeekFigure:
    week: int
    week_start: date
    # False for the running week (and later): its figure may still rise.
    complete: bool
    active_users: int
    work_events: int
    legacy_events: int
    measured_pct: float | None
    target_pct: float | None
    typed_pct: float | None
    actual_pct: float | None
    actual_source: str


@dataclass
class GroupSummary:
    stakeholder: object
    counts_as_use: list[str]
    users: int = 0
    weeks: list[WeekFigure] = field(default_factory=list)

    @property
    def headcount(self) -> int | None:
        return self.stakeholder.headcount


@dataclass(frozen=True)
class UnmappedUser:
    external_id: str
    email: str


@dataclass
class UsageSummary:
    adoption_mode: str
    groups: list[GroupSummary]
    mapped_users: int
    unmapped_users: int
    unmapped: list[UnmappedUser]
    events: int
    last_event_at: datetime | None
    last_received_at: datetime | None


def usage_summary(engagement, today: date | None = None) -> UsageSummary:
    today = today or rollups.today_local()
    state = UsageState.objects.filter(engagement=engagement).first()
    go_live = engagement.go_live_date
    mandatory = rollups.is_mandatory(engagement)
    current_week = plan_week(go_live, today)
    counts_as_use = dict(
        GroupUsage.objects.filter(stakeholder__engagement=engagement).values_list(
            "stakeholder_id", "counts_as_use"
        )
    )
    groups = {
        group.id: GroupSummary(group, counts_as_use.get(group.id) or [])
        for group in mappable_groups(engagement).order_by("name")
    }
    user_counts = dict(
        UsageUser.objects.filter(engagement=engagement)
        .values("group_id")
        .annotate(users=Count("id"))
        .values_list("group_id", "users")
    )
    for group_id, users in user_counts.items():
        if group_id in groups:
            groups[group_id].users = users
    stored = {
        (row.stakeholder_id, plan_week(go_live, row.week_start)): row
        for row in GroupWeek.objects.filter(engagement=engagement, stakeholder_id__in=groups)
    }
    targets = {
        (target.stakeholder_id, target.week): target
        for target in AdoptionTarget.objects.filter(
            engagement=engagement, stakeholder_id__in=groups
        )
    }
    first_week = (
        plan_week(go_live, state.first_week_start) if state and state.first_week_start else None
    )
    for group_id, summary in groups.items():
        weeks = sorted(
            {week for (gid, week) in stored if gid == group_id}
            | {week for (gid, week) in targets if gid == group_id}
        )
        for week in weeks:
            row = stored.get((group_id, week))
            target = targets.get((group_id, week))
            measured = None
            headcount = summary.headcount
            if headcount and first_week is not None and week >= first_week:
                measured = rollups.measured_pct(row, headcount, mandatory=mandatory)
            summary.weeks.append(
                WeekFigure(
                    week=week,
                    week_start=week_monday(go_live, week),
                    complete=week < current_week,
                    active_users=row.active_users if row else 0,
                    work_events=row.work_events if row else 0,
                    legacy_events=row.legacy_events if row else 0,
                    measured_pct=measured,
                    target_pct=target.target_pct if target else None,
                    typed_pct=target.typed_pct if target else None,
                    actual_pct=target.actual_pct if target else None,
                    actual_source=target.actual_source if target else "",
                )
            )
    unmapped = [
        UnmappedUser(external_id, email)
        for external_id, email in UsageUser.objects.filter(
            engagement=engagement, group__isnull=True
        )
        .order_by("external_id")
        .values_list("external_id", "email")[:UNMAPPED_LISTED]
    ]
    return UsageSummary(
        adoption_mode="mandatory" if mandatory else "voluntary",
        groups=list(groups.values()),
        mapped_users=sum(users for group_id, users in user_counts.items() if group_id is not None),
        unmapped_users=user_counts.get(None, 0),
        unmapped=unmapped,
        events=state.events if state else 0,
        last_event_at=state.last_event_at if state else None,
        last_received_at=state.last_received_at if state else None,
    )
