"""API v1: the playbook documents the background worker produces for large engagements.

`GET …/export?format=pdf` (or `docx`) of a large engagement serves a current
ready document or answers 409 naming `POST …/documents`, which queues one
(the same service as the Handoff page); the other two follow it.
"""

from __future__ import annotations

from typing import Literal
from uuid import UUID

from django.http import Http404, HttpResponse
from ninja import Field, Router, Status

from changeready.api.auth import api_engagement, api_membership
from changeready.api.errors import responses
from changeready.api.schemas import InputSchema
from changeready.engagement_file.api import BackgroundExportOut, background_export_out
from changeready.engagement_file.formats import file_response
from changeready.handoff.documents import background_export, request_document
from changeready.handoff.models import PlaybookDocument

router = Router(tags=["engagement file"])


def _document(request, engagement_id: UUID, document_id: UUID):
    engagement = api_engagement(request, engagement_id)
    document = (
        PlaybookDocument.objects.unexpired()
        .filter(engagement=engagement, id=document_id)
        .defer("content")
        .first()
    )
    if document is None:
        raise Http404("Not found.")
    return engagement, document


class DocumentRequestIn(InputSchema):
    format: Literal["pdf", "docx"]
    version: Literal["internal", "customer"] = Field(
        "internal",
        description="`internal` for the team and CS; `customer` for the customer-facing "
        "playbook, which names no one who resists.",
    )


@router.post(
    "/engagements/{engagement_id}/documents",
    response=responses({202: BackgroundExportOut}, 403, 404),
    summary="Have the worker make a playbook document",
    description="Queues the PDF or Word playbook, internal or customer-facing, of any "
    "engagement (as the Handoff page's Prepare buttons) and "
    "answers 202 with its status and a `Location` to poll. Asking again while one is on its "
    "way, or while a current one is ready, returns that one: never a second. Viewers' "
    "tokens may not (403), as on the web.",
    url_name="request_document",
    openapi_extra={
        "responses": {
            202: {
                "headers": {
                    "Location": {
                        "description": "The document's status, to poll.",
                        "schema": {"type": "string"},
                    }
                }
            }
        }
    },
)
def request_playbook_document(
    request, response: HttpResponse, engagement_id: UUID, payload: DocumentRequestIn
):
    engagement = api_engagement(request, engagement_id, write=True)
    document = request_document(
        engagement,
        payload.format,
        version=payload.version,
        requested_by=api_membership(request).user,
    )
    body = background_export_out(request, engagement.id, background_export(document))
    response["Location"] = body["status_url"]
    return Status(202, body)


@router.get(
    "/engagements/{engagement_id}/documents/{document_id}",
    response=responses({200: BackgroundExportOut}, 404),
    summary="Follow a playbook document the worker produces",
    url_name="export_document",
)
def export_document(request, engagement_id: UUID, document_id: UUID):
    engagement, document = _document(request, engagement_id, document_id)
    return background_export_out(request, engagement.id, background_export(document))


@router.get(
    "/engagements/{engagement_id}/documents/{document_id}/download",
    response=responses({200: None}, 404),
    summary="Download a ready playbook document",
    description="404 until the document's `status` is `ready` (and after it expires).",
    url_name="export_document_download",
)
def export_document_download(request, engagement_id: UUID, document_id: UUID):
    _, document = _document(request, engagement_id, document_id)
    if document.status != PlaybookDocument.Status.READY:
        raise Http404("The document is not ready: follow its status_url.")
    return file_response(bytes(document.content), document.content_type, document.filename)
