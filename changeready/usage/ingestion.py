"""Receiving usage events: check each one, store the new ones, roll them up.

The API and the file upload both send batches of at most `MAX_EVENTS_PER_BATCH`
events here. A bad event is rejected with its index and the reason; the good
ones of the batch are kept. An event whose id the engagement has seen before
(in this batch or an earlier one) is counted as a duplicate and stored once,
so a sender may retry a batch safely. Batches of one engagement are taken one
at a time (the engagement's `UsageState` row is locked), so the rollup
increments cannot race; duplicates are left to the unique constraint, which
reports the events it stored.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from typing import NamedTuple

from django.db import transaction
from django.utils import timezone

from changeready.common.text import text_problem
from changeready.core.weeks import monday_of
from changeready.usage import rollups
from changeready.usage.bulk import db_value, insert_rows
from changeready.usage.models import (
    EVENT_ID_MAX,
    EVENT_NAME_MAX,
    RAW_EVENT_RETENTION_DAYS,
    USER_ID_MAX,
    UsageEvent,
    UsageState,
)

MAX_EVENTS_PER_BATCH = 10_000
MAX_PROPERTIES = 50
MAX_PROPERTIES_CHARS = 4000
# A sender's clock may run a little ahead; more than this is a wrong timestamp.
FUTURE_TOLERANCE = timedelta(days=1)
KNOWN_FIELDS = frozenset({"id", "user", "email", "event", "timestamp", "properties"})


class Event(NamedTuple):
    """One valid event, as stored (a tuple: ten thousand of them are made per batch)."""

    event_id: str
    user: str
    email: str
    name: str
    occurred_at: datetime
    properties: dict
    # The Monday of the week that holds the event, in the server's time zone.
    week_start: date
    # `properties` as the JSON text that is stored, encoded once.
    properties_json: str
    # properties.channel = legacy: the work was done the old way.
    legacy: bool


@dataclass(frozen=True)
class Rejection:
    index: int
    reason: str


@dataclass
class IngestResult:
    accepted: int = 0
    duplicates: int = 0
    rejected: list[Rejection] = field(default_factory=list)

    def add(self, other: IngestResult) -> None:
        self.accepted += other.accepted
        self.duplicates += other.duplicates
        self.rejected.extend(other.rejected)


class BatchTooLarge(ValueError):
    pass


def _identifier(raw: dict, name: str, max_length: int) -> str:
    value = raw.get(name)
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"`{name}` is missing: give a non-empty text")
    value = value.strip()
    if len(value) > max_length:
        raise ValueError(f"`{name}` is longer than {max_length} characters")
    _check_text(name, value)
    return value


def _check_text(name: str, value: str, *, multiline: bool = False) -> None:
    problem = text_problem(value, multiline=multiline)
    if problem:
        raise ValueError(f"`{name}`: {problem[0].lower()}{problem[1:]}")


def _check_texts(name: str, value) -> None:
    """Every text inside a property value (the database refuses NUL even in JSON)."""
    if isinstance(value, str):
        _check_text(name, value, multiline=True)
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_text(name, key, multiline=True)
            _check_texts(name, item)
    elif isinstance(value, list):
        for item in value:
            _check_texts(name, item)


def _timestamp(raw: dict, now: datetime) -> datetime:
    value = raw.get("timestamp")
    if not isinstance(value, str) or not value.strip():
        raise ValueError("`timestamp` is missing: give an ISO 8601 date and time with its zone")
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(
            f"`timestamp` {value[:40]!r} is not an ISO 8601 date and time "
            "(e.g. 2026-11-24T09:30:00Z)"
        ) from None
    if moment.tzinfo is None:
        raise ValueError(
            f"`timestamp` {value[:40]!r} has no time zone: add Z or an offset such as +01:00"
        )
    if moment > now + FUTURE_TOLERANCE:
        raise ValueError(f"`timestamp` {value[:40]!r} is in the future")
    if moment < now - timedelta(days=RAW_EVENT_RETENTION_DAYS):
        raise ValueError(
            f"`timestamp` {value[:40]!r} is older than the {RAW_EVENT_RETENTION_DAYS} days "
            "events are kept"
        )
    return moment


# In JSON text (ASCII, as `json.dumps` writes it) every character `_check_texts`
# could refuse is an escape: a C0 control (\u00XX, \b, \f; tab and line breaks
# are \t, \n, \r), DEL (\u007f) or a surrogate (\udXXX). Text without one of
# these needs no walk through its values; a match (a literal backslash can
# look like one) is settled by the walk.
_MAYBE_FORBIDDEN_IN_JSON = re.compile(r"\\(?:u00[01]|u007f|ud[89a-f]|[bf])")


def _properties(raw: dict) -> tuple[dict, str]:
    """The properties and their JSON text."""
    value = raw.get("properties")
    if value is None:
        return {}, "{}"
    if not isinstance(value, dict):
        raise ValueError("`properties` must be an object")
    if len(value) > MAX_PROPERTIES:
        raise ValueError(f"`properties` has more than {MAX_PROPERTIES} entries")
    for entry in value.values():
        if isinstance(entry, float) and not math.isfinite(entry):
            raise ValueError("`properties` holds a number that is not finite")
    text = json.dumps(value, default=str)
    if _MAYBE_FORBIDDEN_IN_JSON.search(text):
        _check_texts("properties", value)
    if len(text) > MAX_PROPERTIES_CHARS:
        raise ValueError(f"`properties` is longer than {MAX_PROPERTIES_CHARS} characters")
    return value, text


def parse_event(raw: object, now: datetime, zone: tzinfo | None = None) -> Event:
    """The event, or ValueError with the reason it is refused."""
    zone = zone or timezone.get_current_timezone()
    if not isinstance(raw, dict):
        raise ValueError("an event must be an object")
    unknown = sorted(set(raw) - KNOWN_FIELDS)
    if unknown:
        raise ValueError(
            f"unknown field {', '.join(f'`{name}`' for name in unknown[:5])}: put extra "
            "data in `properties`"
        )
    email = raw.get("email") or ""
    if not isinstance(email, str) or (email and ("@" not in email or len(email) > 254)):
        raise ValueError("`email` is not an email address")
    _check_text("email", email)
    occurred_at = _timestamp(raw, now)
    event_id = _identifier(raw, "id", EVENT_ID_MAX)
    user = _identifier(raw, "user", USER_ID_MAX)
    name = _identifier(raw, "event", EVENT_NAME_MAX)
    properties, properties_json = _properties(raw)
    return Event(
        event_id,
        user,
        email.strip(),
        name,
        occurred_at,
        properties,
        monday_of(occurred_at.astimezone(zone).date()),
        properties_json,
        properties.get("channel") == "legacy",
    )


def ingest_events(
    engagement, raw_events: Sequence, *, first_index: int = 0, now: datetime | None = None
) -> IngestResult:
    """Check and store one batch; `first_index` numbers its events in a longer upload."""
    if len(raw_events) > MAX_EVENTS_PER_BATCH:
        raise BatchTooLarge(f"at most {MAX_EVENTS_PER_BATCH:,} events a batch")
    now = now or timezone.now()
    result = IngestResult()
    events: dict[str, Event] = {}
    zone = timezone.get_current_timezone()
    for index, raw in enumerate(raw_events, start=first_index):
        try:
            event = parse_event(raw, now, zone)
        except ValueError as error:
            result.rejected.append(Rejection(index, str(error)))
            continue
        if event.event_id in events:
            result.duplicates += 1
        else:
            events[event.event_id] = event
    if not events:
        return result
    with transaction.atomic():
        state = _locked_state(engagement)
        # The unique constraint decides what is new; only those are rolled up.
        stored = set(_store(engagement, list(events.values())))
        new = [event for event_id, event in events.items() if event_id in stored]
        result.duplicates += len(events) - len(new)
        result.accepted = len(new)
        if new:
            rollups.add_events(engagement, state, new, now=now)
    return result


def _locked_state(engagement) -> UsageState:
    UsageState.objects.get_or_create(engagement=engagement)
    return UsageState.objects.select_for_update().get(engagement=engagement)


def _store(engagement, events: list[Event]) -> list[str]:
    """Insert the events whose id the engagement has not seen; their ids."""
    engagement_id = db_value(UsageEvent, "engagement", engagement.pk)
    return insert_rows(
        UsageEvent,
        (
            "engagement",
            "event_id",
            "user_ref",
            "email",
            "name",
            "occurred_at",
            "week_start",
            "legacy",
            "properties",
        ),
        (
            (
                engagement_id,
                event.event_id,
                event.user,
                event.email,
                event.name,
                event.occurred_at,
                event.week_start,
                event.legacy,
                event.properties_json,
            )
            for event in events
        ),
        # The properties go as the JSON text parsing made (both databases take it).
        adapt=("occurred_at", "week_start"),
        conflict=("engagement", "event_id"),
        returning="event_id",
    )
