"""API v1: the playbook documents the background worker produces for large engagements.

`GET …/export?format=pdf` (or `docx`) of a large engagement answers 202 with
a document's status (`engagement_file.api`); these follow it.
"""

from __future__ import annotations

from uuid import UUID

from django.http import Http404
from ninja import Router

from changeready.api.auth import api_engagement
from changeready.api.errors import responses
from changeready.engagement_file.api import BackgroundExportOut, background_export_out
from changeready.engagement_file.formats import file_response
from changeready.handoff.documents import background_export
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
