"""A stakeholder's whole history, for whoever carries the relationship on
(Customer Success after the handoff): the log, the commitments and the
changes recorded about them, newest first, in one list.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from changeready.activity.models import ActivityEvent
from changeready.landscape.models import Commitment, Stakeholder, StakeholderLogEntry

# Changes to these are a stakeholder's history; plan items and surveys have their own pages.
HISTORY_OBJECT_TYPES = ("stakeholder", "resistance_point", "log_entry", "commitment")
ACTIVITY_SHOWN = 300


@dataclass(frozen=True)
class HistoryLine:
    on: date
    what: str  # "Meeting", "Commitment", "Change"…
    stakeholder: Stakeholder
    text: str
    detail: str = ""
    internal: bool = False
    # Sorts lines of one day: log entries, then commitments, then changes.
    order: int = 0


def build_history(engagement, stakeholder: Stakeholder | None = None) -> list[HistoryLine]:
    """The history of one stakeholder, or of every stakeholder of the engagement."""
    stakeholders = {s.id: s for s in engagement.stakeholders.all()}
    entry_rows = StakeholderLogEntry.objects.filter(engagement=engagement).select_related(
        "recorded_by"
    )
    commitment_rows = Commitment.objects.filter(engagement=engagement)
    events = ActivityEvent.objects.filter(engagement=engagement, obj_type__in=HISTORY_OBJECT_TYPES)
    if stakeholder is not None:
        entry_rows = entry_rows.filter(stakeholder=stakeholder)
        commitment_rows = commitment_rows.filter(stakeholder=stakeholder)
    entries, commitments = list(entry_rows), list(commitment_rows)
    owner_of = {e.id: e.stakeholder_id for e in entries} | {
        c.id: c.stakeholder_id for c in commitments
    }
    owner_of |= dict(engagement.resistance_points.values_list("id", "stakeholder_id")) | {
        sid: sid for sid in stakeholders
    }

    lines = [
        HistoryLine(
            on=e.date,
            what=e.get_kind_display(),
            stakeholder=stakeholders[e.stakeholder_id],
            text=e.summary,
            detail=", ".join(
                part
                for part in (
                    f"with {e.participants}" if e.participants else "",
                    f"recorded by {e.recorded_by.email}" if e.recorded_by else "",
                )
                if part
            ),
            internal=e.internal,
        )
        for e in entries
    ]
    lines += [
        HistoryLine(
            on=c.created_at.date(),
            what="Commitment",
            stakeholder=stakeholders[c.stakeholder_id],
            text=c.text,
            detail=f"{c.owner}"
            + (f", due {c.due_date:%-d %b %Y}" if c.due_date else "")
            + f", {c.get_status_display().lower()}",
            internal=c.internal,
            order=1,
        )
        for c in commitments
    ]
    for event in events.order_by("-created_at")[:ACTIVITY_SHOWN]:
        owner = owner_of.get(event.obj_id)
        if owner is None or (stakeholder is not None and owner != stakeholder.id):
            continue  # about something since deleted, or about someone else
        lines.append(
            HistoryLine(
                on=event.created_at.date(),
                what="Change",
                stakeholder=stakeholders[owner],
                text=f"{event.actor_label} {event.summary}",
                order=2,
            )
        )
    return sorted(lines, key=lambda line: (line.on, -line.order), reverse=True)
