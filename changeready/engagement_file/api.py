"""API v1: import and export of the engagement file."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal
from uuid import UUID

from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from ninja import Field, Query, Router, Schema, Status

from changeready.api.auth import api_engagement, api_membership, api_workspace, require_write
from changeready.api.errors import InvalidInput, PayloadTooLarge, invalid, responses
from changeready.engagement_file.formats import (
    BackgroundExport,
    ExportNotPrepared,
    export_format,
    export_formats,
    export_response,
    file_response,
)
from changeready.engagement_file.importing import EngagementFileInvalid, import_engagement, parse
from changeready.engagements.api import EngagementOut, engagement_out

router = Router(tags=["engagement file"])

IMPORT_PATH = "/engagements/import"
EXPORT_PATH = "/engagements/{engagement_id}/export"


def read_limited_body(request, max_bytes: int) -> bytes:
    """The request body, or 413 when it is over `max_bytes` (checked before reading it)."""
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > max_bytes:
        raise PayloadTooLarge(max_bytes)
    body = request.body
    if len(body) > max_bytes:
        raise PayloadTooLarge(max_bytes)
    return body


@router.post(
    IMPORT_PATH,
    response=responses({201: EngagementOut}, 403, 413),
    summary="Import an engagement file",
    description="Creates one engagement with its stakeholders, resistance points and plan, "
    "all or nothing. Every problem is reported at once, each with the JSON path of the bad "
    "value (422). Bodies over the import limit are refused with 413.",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/EngagementFile"}}
            },
        }
    },
)
def import_engagement_file(request):
    require_write(request)
    body = read_limited_body(request, settings.ENGAGEMENT_FILE_MAX_BYTES)
    try:
        engagement = import_engagement(
            api_workspace(request), parse(body), actor=api_membership(request).user
        )
    except EngagementFileInvalid as error:
        raise InvalidInput(error.errors, error.message) from None
    return Status(201, engagement_out(engagement))


class BackgroundExportOut(Schema):
    id: UUID
    format: str
    version: Literal["internal", "customer"] = Field(
        description="Who reads it: the team (`internal`) or the customer (`customer`)."
    )
    status: Literal["queued", "running", "ready", "failed"]
    progress: int = Field(ge=0, le=100, description="How far the worker is, in percent.")
    as_of: date
    requested_at: datetime
    finished_at: datetime | None
    expires_at: datetime = Field(description="After this the document is gone; ask again.")
    status_url: str = Field(description="This status, to poll.")
    download_url: str | None = Field(description="The file, once `status` is `ready`.")


def background_export_out(request, engagement_id, export: BackgroundExport) -> dict:
    """The status body of a document the worker produces (also `GET …/documents/{id}`)."""
    args = [engagement_id, export.id]
    return {
        "id": export.id,
        "format": export.format,
        "version": export.version,
        "status": export.status,
        "progress": export.progress,
        "as_of": export.as_of,
        "requested_at": export.requested_at,
        "finished_at": export.finished_at,
        "expires_at": export.expires_at,
        "status_url": request.build_absolute_uri(reverse("api-v1:export_document", args=args)),
        "download_url": (
            request.build_absolute_uri(reverse("api-v1:export_document_download", args=args))
            if export.ready
            else None
        ),
    }


class ExportNotPreparedOut(Schema):
    message: str
    prepare_url: str = Field(
        description='POST `{"format": …}` here to have the worker make the file (202).'
    )
    document: BackgroundExportOut | None = Field(
        description="The document already on its way, if any: poll its `status_url`."
    )


def documents_url(request, engagement_id) -> str:
    return request.build_absolute_uri(reverse("api-v1:request_document", args=[engagement_id]))


@router.get(
    EXPORT_PATH,
    response=responses({200: None, 409: ExportNotPreparedOut}, 404),
    summary="Export an engagement",
    description="`format=json` gives the engagement file, which the import accepts. "
    "The PDF and Word playbooks of a large engagement (over 100 stakeholders or plan "
    "items) are made by the background worker and never in this request: once a current "
    "one is ready this URL gives the file; until then the answer is 409, with a `Link` "
    '(`rel="prepare"`) and `prepare_url` naming `POST /engagements/{id}/documents`, '
    "which queues one. This GET never queues anything.",
)
def export_engagement_file(
    request,
    response: HttpResponse,
    engagement_id: UUID,
    format_name: str = Query("json", alias="format", max_length=20, description="Export format."),
):
    engagement = api_engagement(request, engagement_id)
    chosen = export_format(format_name)
    if chosen is None:
        known = ", ".join(f.name for f in export_formats())
        raise invalid(["query", "format"], f"Unknown format; choose one of: {known}.")
    if chosen.background is not None:
        try:
            export = chosen.background(engagement)
        except ExportNotPrepared as error:
            prepare_url = documents_url(request, engagement.id)
            response["Link"] = f'<{prepare_url}>; rel="prepare"'
            return Status(
                409,
                {
                    "message": "This engagement is large: its file is made in the background. "
                    f'POST {{"format": "{chosen.name}"}} to prepare_url, then poll the '
                    "document's status_url.",
                    "prepare_url": prepare_url,
                    "document": error.pending
                    and background_export_out(request, engagement.id, error.pending),
                },
            )
        if export is not None:
            return file_response(export.content, export.content_type, export.filename)
    return export_response(engagement, chosen)


def describe_formats(openapi: dict, prefix: str) -> None:
    """Document the export's formats and media types from the registry."""
    operation = openapi["paths"].get(prefix + EXPORT_PATH.lstrip("/"), {}).get("get")
    if operation is None:
        return
    formats = export_formats()
    for parameter in operation["parameters"]:
        if parameter["name"] == "format":
            parameter["schema"]["enum"] = [f.name for f in formats]
            parameter["description"] = "Export format: " + "; ".join(
                f"`{f.name}` {f.description}".strip() for f in formats
            )
    operation["responses"][200] = {
        "description": "The exported file, as an attachment.",
        "headers": {
            "Content-Disposition": {
                "description": 'attachment; filename="<engagement>.<extension>"',
                "schema": {"type": "string"},
            }
        },
        "content": {
            f.media_type: {"schema": f.openapi_schema or {"type": "string", "format": "binary"}}
            for f in formats
        },
    }
    operation["responses"][409]["headers"] = {
        "Link": {
            "description": '<prepare_url>; rel="prepare": the POST that queues the file.',
            "schema": {"type": "string"},
        }
    }


__all__ = ["describe_formats", "read_limited_body", "router"]
