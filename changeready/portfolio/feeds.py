"""Calendar feeds: the ICS a subscription URL serves (the feeds themselves, their
secret URLs and revocation, are the integrations app's).

One way to render a calendar: the handoff's ICS renderer. An engagement's
feed is its playbook's calendar export; a member's feed holds the plan items
they own across the workspace's engagements, matched by name or email as the
weekly digest matches them, each titled with its engagement.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from changeready.handoff.exports import render_export
from changeready.handoff.playbook import plan_item_row
from changeready.handoff.renderers.ics import render_calendar
from changeready.integrations.models import CalendarFeed
from changeready.planning.models import PlanItem
from changeready.portfolio.digest import owned_items, owner_keys


def member_calendar(membership, as_of: date) -> bytes:
    items = list(owned_items(membership.workspace, owner_keys(membership.user)))
    audience = defaultdict(list)
    for item_id, name in (
        PlanItem.audience.through.objects.filter(planitem__in=items)
        .order_by("stakeholder__created_at", "stakeholder__name")
        .values_list("planitem_id", "stakeholder__name")
    ):
        audience[item_id].append(name)
    entries = (
        (
            f"{item.engagement.customer} · {item.engagement.name}: ",
            plan_item_row(item, item.engagement.go_live_date, tuple(audience[item.id])),
        )
        for item in items
    )
    name = f"{membership.user.display_name}'s plan items · {membership.workspace.name}"
    return render_calendar(name, as_of, entries)


def feed_calendar(feed: CalendarFeed, as_of: date) -> bytes:
    if feed.engagement is not None:
        return render_export(feed.engagement, "ics", as_of=as_of).content
    return member_calendar(feed.membership, as_of)
