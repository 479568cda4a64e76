"""The plan as an iCalendar file: one all-day event per plan item, spanning its week.

Each event runs from the Monday of its plan week to the Monday after
(DTEND is exclusive), as DATE values, so no time zone can shift it to another
day. The UID is derived from the plan item and never changes, so importing a
newer calendar updates the events instead of duplicating them; SEQUENCE is the
item's version, so calendars take the newer edit. The UID is a digest rather
than the record id: the file leaves the app and needs no id that opens data.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta

from icalendar import Calendar, Event

from changeready.handoff.playbook import PlanItemRow, Playbook, label

PRODID = "-//changeready//activation playbook//EN"


def event_uid(item: PlanItemRow) -> str:
    digest = hashlib.sha256(f"changeready plan item {item.key}".encode()).hexdigest()[:32]
    return f"{digest}@changeready"


def event_description(item: PlanItemRow) -> str:
    lines = [
        f"Owner: {item.owner_label if item.owner else label(item.owner_role) + ', no one named'}",
        f"Audience: {', '.join(item.audience) or 'not set'}",
        f"Kind: {label(item.kind)} · status: {label(item.status)}",
    ]
    if item.description:
        lines += ["", item.description]
    return "\n".join(lines)


def render_calendar(name: str, as_of: date, items: Iterable[tuple[str, PlanItemRow]]) -> bytes:
    """A calendar called `name` of plan items, each with a prefix for its title
    (the engagement, when one calendar holds several; else empty)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    stamp = datetime.combine(as_of, datetime.min.time(), tzinfo=UTC)
    for prefix, item in items:
        event = Event()
        event.add("uid", event_uid(item))
        event.add("sequence", item.version)
        event.add("dtstamp", stamp)
        event.add("summary", f"{prefix}Week {item.week}: {item.title}")
        event.add("dtstart", item.week_starts)
        event.add("dtend", item.week_starts + timedelta(days=7))
        event.add("transp", "TRANSPARENT")
        event.add("categories", [label(item.kind)])
        event.add("description", event_description(item))
        if item.status == "skipped":
            event.add("status", "CANCELLED")
        calendar.add_component(event)
    return calendar.to_ical()


def render_ics(playbook: Playbook) -> bytes:
    cover = playbook.cover
    return render_calendar(
        f"{cover.customer} · {cover.engagement_name}",
        cover.as_of,
        (("", item) for item in playbook.plan_items),
    )
