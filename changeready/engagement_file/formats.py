"""The export formats of an engagement, by name: `…/export?format=<name>`.

JSON (the engagement file) is built in. Other formats register themselves,
typically from their app's `AppConfig.ready()`:

    from changeready.engagement_file.formats import ExportFormat, register_export_format

    register_export_format(
        ExportFormat(
            name="pdf",
            media_type="application/pdf",
            extension="pdf",
            render=render_handoff_pdf,  # (engagement) -> bytes
            description="The handoff package as a printable PDF.",
        )
    )

The API's export endpoint and its OpenAPI description (the `format` values
and the response media types) follow this registry; an unknown name is a 422.

A format whose large files take seconds to make (the playbook's PDF and Word)
also gives `background`: for an engagement, either None (render in the
request) or the ready `BackgroundExport` the worker produced, which the
endpoint serves. When the worker has not made a current one it raises
`ExportNotPrepared`: the export is a GET, so it never queues one itself; the
client is told where to ask for it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.http import HttpResponse
from django.utils.text import slugify

from changeready.engagement_file.exporting import export_engagement
from changeready.engagements.models import Engagement


@dataclass(frozen=True)
class BackgroundExport:
    """An export the background worker produces, as it stands now."""

    id: str
    format: str
    version: str  # internal or customer
    status: str  # queued, running, ready or failed
    progress: int  # 0–100
    as_of: date
    requested_at: datetime
    finished_at: datetime | None
    expires_at: datetime
    filename: str
    content_type: str
    content: bytes | None  # once ready

    @property
    def ready(self) -> bool:
        return self.status == "ready"


class ExportNotPrepared(Exception):
    """A large export the worker has not made yet; `pending` is the one on its way, if any."""

    def __init__(self, pending: BackgroundExport | None):
        self.pending = pending
        super().__init__("The worker has not made this export yet.")


@dataclass(frozen=True)
class ExportFormat:
    name: str
    media_type: str
    extension: str
    render: Callable[[Engagement], bytes]
    description: str = ""
    # JSON Schema of the body for the OpenAPI description; None means binary.
    openapi_schema: dict | None = field(default=None, compare=False)
    # The download's file name; None means the engagement's name and the extension.
    filename: Callable[[Engagement], str] | None = field(default=None, compare=False)
    # engagement → the worker's ready export of a large engagement, or None to render here;
    # raises ExportNotPrepared when a large one has none ready.
    background: Callable[[Engagement], BackgroundExport | None] | None = field(
        default=None, compare=False
    )


_FORMATS: dict[str, ExportFormat] = {}


def register_export_format(export_format: ExportFormat) -> None:
    _FORMATS[export_format.name] = export_format


def export_format(name: str) -> ExportFormat | None:
    return _FORMATS.get(name)


def export_formats() -> list[ExportFormat]:
    return list(_FORMATS.values())


def export_filename(engagement: Engagement, export_format: ExportFormat) -> str:
    if export_format.filename is not None:
        return export_format.filename(engagement)
    return f"{slugify(engagement.name) or 'engagement'}.{export_format.extension}"


def file_response(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def export_response(engagement: Engagement, export_format: ExportFormat) -> HttpResponse:
    return file_response(
        export_format.render(engagement),
        export_format.media_type,
        export_filename(engagement, export_format),
    )


def _render_json(engagement: Engagement) -> bytes:
    document = export_engagement(engagement)
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode()


register_export_format(
    ExportFormat(
        name="json",
        media_type="application/json",
        extension="json",
        render=_render_json,
        description="The engagement file (changeready.engagement/v1).",
        openapi_schema={"$ref": "#/components/schemas/EngagementFile"},
    )
)
