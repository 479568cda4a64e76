"""The export entry point: one engagement, one format, one downloadable file.

`render_export(engagement, fmt, as_of=...)` is what the Handoff page, the
share link and the API's export endpoint call. `EXPORT_FORMATS` is the
registry of what it can produce (`json` belongs to the API, which owns the
engagement file).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from django.http import HttpResponse
from django.utils.text import slugify

from changeready.engagements.models import Engagement
from changeready.handoff.playbook import VERSIONS, Playbook, build_playbook


class ExportFile(NamedTuple):
    content: bytes
    content_type: str
    filename: str


@dataclass(frozen=True)
class PlaybookFormat:
    extension: str
    content_type: str
    label: str
    render: Callable[..., bytes]


def _markdown(playbook: Playbook, **_) -> bytes:
    from changeready.handoff.renderers.markdown import render_markdown

    return render_markdown(playbook)


def _csv(playbook: Playbook, *, table: str = "plan", **_) -> bytes:
    from changeready.handoff.renderers.spreadsheet import render_csv

    return render_csv(playbook, table)


def _xlsx(playbook: Playbook, **_) -> bytes:
    from changeready.handoff.renderers.spreadsheet import render_xlsx

    return render_xlsx(playbook)


def _pdf(playbook: Playbook, **_) -> bytes:
    from changeready.handoff.renderers.pdf import render_pdf

    return render_pdf(playbook)


def _docx(playbook: Playbook, **_) -> bytes:
    from changeready.handoff.renderers.docx import render_docx

    return render_docx(playbook)


def _ics(playbook: Playbook, **_) -> bytes:
    from changeready.handoff.renderers.ics import render_ics

    return render_ics(playbook)


# Renderers are imported when used: WeasyPrint and friends are heavy, and a
# request for Markdown should not pay for them.
EXPORT_FORMATS: dict[str, PlaybookFormat] = {
    "pdf": PlaybookFormat("pdf", "application/pdf", "PDF", _pdf),
    "docx": PlaybookFormat(
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "Word",
        _docx,
    ),
    "md": PlaybookFormat("md", "text/markdown; charset=utf-8", "Markdown", _markdown),
    "csv": PlaybookFormat("csv", "text/csv; charset=utf-8", "CSV", _csv),
    "xlsx": PlaybookFormat(
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "Excel",
        _xlsx,
    ),
    "ics": PlaybookFormat("ics", "text/calendar; charset=utf-8", "Calendar", _ics),
}


class UnknownFormat(ValueError):
    pass


def playbook_filename(engagement: Engagement, extension: str, suffix: str = "") -> str:
    """`northwind-logistics-warehouse-management-rollout-playbook.pdf`."""
    base = slugify(f"{engagement.customer} {engagement.name}")[:120].strip("-") or "engagement"
    return f"{base}-playbook{suffix}.{extension}"


# The tables a CSV download offers (the KPIs are in the XLSX only).
CSV_DOWNLOAD_TABLES = ("plan", "stakeholders", "commitments", "log")


def render_export(
    engagement: Engagement,
    fmt: str,
    *,
    as_of: date,
    table: str = "plan",
    version: str = "internal",
) -> ExportFile:
    """The playbook of `engagement` as of a day in format `fmt` (a key of EXPORT_FORMATS).

    `table` picks the CSV's table: `plan` (the default), `stakeholders`,
    `commitments` or `log` (the shared log entries);
    `version` the reader: `internal` (the default) or `customer`.
    Raises UnknownFormat for any other format, table or version.
    """
    export_format = EXPORT_FORMATS.get(fmt)
    if export_format is None:
        raise UnknownFormat(f"format must be one of: {', '.join(EXPORT_FORMATS)}")
    if fmt == "csv" and table not in CSV_DOWNLOAD_TABLES:
        raise UnknownFormat(f"table must be one of: {', '.join(CSV_DOWNLOAD_TABLES)}")
    if version not in VERSIONS:
        raise UnknownFormat(f"version must be one of: {', '.join(VERSIONS)}")
    playbook = build_playbook(engagement, as_of=as_of, version=version)
    content = export_format.render(playbook, table=table)
    suffix = (f"-{table}" if fmt == "csv" else "") + ("-customer" if version == "customer" else "")
    return ExportFile(
        content,
        export_format.content_type,
        playbook_filename(engagement, export_format.extension, suffix),
    )


def download_response(export: ExportFile) -> HttpResponse:
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    return response


def register_api_exports() -> None:
    """Offer every playbook format at the API's `…/export?format=<name>`, as of today."""
    from django.utils import timezone

    from changeready.engagement_file import formats

    def renderer(fmt: str):
        return lambda engagement: render_export(engagement, fmt, as_of=timezone.localdate()).content

    def filename(fmt: str):
        suffix = "-plan" if fmt == "csv" else ""
        return lambda engagement: playbook_filename(engagement, fmt, suffix)

    def background(fmt: str):
        def export(engagement):
            # Imported here: the documents module reads this one's formats.
            from changeready.handoff.documents import stored_export

            return stored_export(engagement, fmt)

        return export

    for fmt, playbook_format in EXPORT_FORMATS.items():
        formats.register_export_format(
            formats.ExportFormat(
                name=fmt,
                media_type=playbook_format.content_type,
                extension=playbook_format.extension,
                render=renderer(fmt),
                filename=filename(fmt),
                description=f"The activation playbook as {playbook_format.label}.",
                background=background(fmt) if fmt in ("pdf", "docx") else None,
            )
        )
