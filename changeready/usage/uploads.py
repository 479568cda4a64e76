"""Usage events from a CSV or JSON-lines file, read in batches within bounds.

The file is streamed from the upload's temporary file: at most one batch of
events is held in memory, whatever the file's size. Each batch goes through
the same ingestion as the API, so the rules (idempotent ids, good events kept,
bad ones rejected with a reason) are the same; a rejection names its line.

CSV: a header with `id`, `user`, `event` and `timestamp`, optionally `email`
and `properties` (a JSON object); any other column becomes a property of that
name. JSON lines: one event object per line, as in the API.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings

from changeready.usage.ingestion import MAX_EVENTS_PER_BATCH, Rejection, ingest_events

# A line longer than this is not an event (the API's properties are capped far lower).
MAX_LINE_CHARS = 64 * 1024
REQUIRED_COLUMNS = ("id", "user", "event", "timestamp")
EVENT_COLUMNS = frozenset({"id", "user", "email", "event", "timestamp"})
# Rejections listed on the page; the count covers them all.
LISTED_REJECTIONS = 100


class UploadRefused(Exception):
    """The file as a whole cannot be read; the message says why and what to do."""


@dataclass
class UploadResult:
    accepted: int
    duplicates: int
    rejected: int
    # The first LISTED_REJECTIONS, by line (`Rejection.index` is the line number).
    rejections: list[Rejection]


def _lines(stream: io.TextIOBase) -> Iterator[str]:
    while True:
        line = stream.readline(MAX_LINE_CHARS + 1)
        if not line:
            return
        if len(line) > MAX_LINE_CHARS and not line.endswith("\n"):
            raise UploadRefused(
                f"A line is longer than {MAX_LINE_CHARS // 1024} KB: this is not an events file."
            )
        yield line


def _json_lines(stream) -> Iterator[tuple[int, object]]:
    for number, line in enumerate(_lines(stream), start=1):
        if not line.strip():
            continue
        try:
            yield number, json.loads(line)
        except ValueError:
            yield number, Rejection(number, "this line is not a JSON object")


def _csv_rows(stream) -> Iterator[tuple[int, object]]:
    reader = csv.reader(_lines(stream))
    try:
        header = [name.strip().lower() for name in next(reader)]
    except StopIteration:
        raise UploadRefused("The file is empty.") from None
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        raise UploadRefused(
            f"The header needs the columns {', '.join(REQUIRED_COLUMNS)}; "
            f"missing: {', '.join(missing)}."
        )
    try:
        for values in reader:
            if not any(value.strip() for value in values):
                continue
            yield reader.line_num, _csv_event(reader.line_num, header, values)
    except csv.Error as error:
        raise UploadRefused(f"Line {reader.line_num} could not be read as CSV ({error}).") from None


def _csv_event(line: int, header: list[str], values: list[str]):
    event: dict = {}
    properties: dict = {}
    for name, value in zip(header, values, strict=False):
        value = value.strip()
        if name in EVENT_COLUMNS:
            if value:
                event[name] = value
        elif name == "properties":
            if value:
                try:
                    properties.update(json.loads(value))
                except (ValueError, TypeError):
                    return Rejection(line, "`properties` is not a JSON object")
        elif name and value:
            properties[name] = value
    if properties:
        event["properties"] = properties
    return event


def _rows(uploaded) -> Iterator[tuple[int, object]]:
    if uploaded.size > settings.USAGE_UPLOAD_MAX_BYTES:
        raise UploadRefused(
            f"The file is {uploaded.size / 1024 / 1024:.0f} MB; the limit is "
            f"{settings.USAGE_UPLOAD_MAX_BYTES // 1024 // 1024} MB. Split it into several files."
        )
    uploaded.seek(0)
    stream = io.TextIOWrapper(uploaded.file, encoding="utf-8-sig", newline="")
    try:
        first = stream.read(1)
        stream.seek(0)
        name = (uploaded.name or "").lower()
        if name.endswith((".jsonl", ".ndjson", ".json")) or first == "{":
            yield from _json_lines(stream)
        else:
            yield from _csv_rows(stream)
    except UnicodeDecodeError:
        raise UploadRefused(
            "The file is not UTF-8 text. Save it as UTF-8 and upload it again."
        ) from None
    finally:
        stream.detach()


def ingest_file(engagement, uploaded) -> UploadResult:
    """Ingest a whole file batch by batch; `UploadRefused` if it cannot be read at all.

    Batches already stored stay stored when a later part of the file is
    refused: sending the file again counts them as duplicates.
    """
    result = UploadResult(accepted=0, duplicates=0, rejected=0, rejections=[])
    batch: list = []
    lines: list[int] = []

    def reject(rejection: Rejection) -> None:
        result.rejected += 1
        if len(result.rejections) < LISTED_REJECTIONS:
            result.rejections.append(rejection)

    def flush() -> None:
        stored = ingest_events(engagement, batch)
        result.accepted += stored.accepted
        result.duplicates += stored.duplicates
        for rejection in stored.rejected:
            reject(Rejection(lines[rejection.index], rejection.reason))
        batch.clear()
        lines.clear()

    for line, row in _rows(uploaded):
        if isinstance(row, Rejection):
            reject(row)
            continue
        batch.append(row)
        lines.append(line)
        if len(batch) >= MAX_EVENTS_PER_BATCH:
            flush()
    if batch:
        flush()
    if not (result.accepted or result.duplicates or result.rejected):
        raise UploadRefused("The file holds no events.")
    return result
