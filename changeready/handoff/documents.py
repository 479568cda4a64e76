"""Large playbooks as stored documents, produced by the background worker.

WeasyPrint takes seconds over the PDF of a few hundred stakeholders, and a
request that waits for it holds a server worker all that time. So the PDF and
Word files of a large engagement are queued (`request_document`), rendered by
`tasks.produce_playbook_document` and served from the stored row; small ones
still render in the request. A share link or a customer's portal never renders
a document on request at all: it serves the latest stored one of its own
version (internal or customer-facing) or offers to queue one.
"""

from __future__ import annotations

from datetime import timedelta
from functools import partial

from django.db import transaction
from django.utils import timezone

from changeready.assessment.services import today
from changeready.engagement_file.formats import BackgroundExport, ExportNotPrepared
from changeready.engagements.models import Engagement
from changeready.handoff.exports import EXPORT_FORMATS, ExportFile
from changeready.handoff.models import PLAYBOOK_VERSIONS, PlaybookDocument
from changeready.handoff.playbook import VERSIONS
from changeready.handoff.tasks import produce_playbook_document

# An engagement with more stakeholders or plan items than these is large: its
# PDF and Word files are rendered by the worker, not in the request.
LARGE_PLAYBOOK_STAKEHOLDERS = 100
LARGE_PLAYBOOK_PLAN_ITEMS = 100
STORED_FORMATS = ("pdf", "docx")
VERSION_LABELS = dict(PLAYBOOK_VERSIONS)
# A stored document is served for a week, then a new one must be asked for.
DOCUMENT_DAYS = 7


class NotAStoredFormat(ValueError):
    """A format the worker does not store, or a version no reader has."""


def is_large(engagement: Engagement) -> bool:
    return (
        engagement.stakeholders.count() > LARGE_PLAYBOOK_STAKEHOLDERS
        or engagement.plan_items.count() > LARGE_PLAYBOOK_PLAN_ITEMS
    )


def _latest(engagement: Engagement, versions) -> dict[tuple[str, str], PlaybookDocument]:
    """The newest unexpired document of each (version, format), without its bytes."""
    latest: dict[tuple[str, str], PlaybookDocument] = {}
    rows = (
        PlaybookDocument.objects.unexpired()
        .filter(engagement=engagement, version__in=versions)
        .defer("content")
    )
    for document in rows:  # newest first
        latest.setdefault((document.version, document.fmt), document)
    return latest


def latest_documents(
    engagement: Engagement, version: str = "internal"
) -> dict[str, PlaybookDocument]:
    """The newest unexpired document of `version` in each stored format, without its bytes."""
    return {fmt: document for (_, fmt), document in _latest(engagement, (version,)).items()}


def stored_documents_context(engagement: Engagement, versions) -> dict:
    """What a page shows of the PDF and Word files of `versions` the worker prepared.

    `stored_documents` holds one (version, format, label, document or None)
    row per version and format, the label naming the version when there are
    several; `documents_pending` says whether to poll.
    """
    latest = _latest(engagement, versions)
    rows = []
    for version in versions:
        for fmt in STORED_FORMATS:
            label = EXPORT_FORMATS[fmt].label
            if len(versions) > 1:
                label += ", " + VERSION_LABELS[version].lower()
            rows.append((version, fmt, label, latest.get((version, fmt))))
    return {
        "stored_formats": STORED_FORMATS,
        "stored_documents": rows,
        "documents_pending": any(row[3] is not None and row[3].pending for row in rows),
    }


def ready_document(
    engagement: Engagement, fmt: str, version: str = "internal"
) -> PlaybookDocument | None:
    return (
        PlaybookDocument.objects.unexpired()
        .filter(
            engagement=engagement, fmt=fmt, version=version, status=PlaybookDocument.Status.READY
        )
        .first()
    )


def is_current(document: PlaybookDocument, engagement: Engagement) -> bool:
    """Made today, after the engagement's data last changed."""
    return document.as_of == today() and document.requested_at >= engagement.updated_at


def request_document(
    engagement: Engagement, fmt: str, *, version: str = "internal", requested_by=None
) -> PlaybookDocument:
    """Queue the `version` playbook of `engagement` in `fmt`, unless one is on its way or current.

    Asking twice never queues twice: a pending document, or a ready one that
    is still current, is returned as it is.
    """
    if fmt not in STORED_FORMATS:
        raise NotAStoredFormat(f"format must be one of: {', '.join(STORED_FORMATS)}")
    if version not in VERSIONS:
        raise NotAStoredFormat(f"version must be one of: {', '.join(VERSIONS)}")
    latest = latest_documents(engagement, version).get(fmt)
    if latest is not None and (
        latest.pending
        or (latest.status == PlaybookDocument.Status.READY and is_current(latest, engagement))
    ):
        return latest
    now = timezone.now()
    delete_expired_documents(engagement, now=now)
    document = PlaybookDocument.objects.create(
        engagement=engagement,
        fmt=fmt,
        version=version,
        as_of=today(),
        requested_by=requested_by,
        expires_at=now + timedelta(days=DOCUMENT_DAYS),
        content_type=EXPORT_FORMATS[fmt].content_type,
    )
    transaction.on_commit(partial(produce_playbook_document.enqueue, str(document.id)))
    return document


def delete_expired_documents(engagement: Engagement | None = None, *, now=None) -> int:
    """Delete expired documents, of one engagement or of all; how many went."""
    expired = PlaybookDocument.objects.filter(expires_at__lte=now or timezone.now())
    if engagement is not None:
        expired = expired.filter(engagement=engagement)
    return expired.delete()[0]


def stored_file(document: PlaybookDocument) -> ExportFile:
    """A ready document as a download."""
    return ExportFile(bytes(document.content), document.content_type, document.filename)


def background_export(document: PlaybookDocument) -> BackgroundExport:
    """The document as the API's export shows it; its bytes are read only once ready."""
    ready = document.status == PlaybookDocument.Status.READY
    return BackgroundExport(
        id=str(document.id),
        format=document.fmt,
        version=document.version,
        status=document.status,
        progress=document.progress,
        as_of=document.as_of,
        requested_at=document.requested_at,
        finished_at=document.finished_at,
        expires_at=document.expires_at,
        filename=document.filename,
        content_type=document.content_type,
        content=bytes(document.content) if ready else None,
    )


def stored_export(engagement: Engagement, fmt: str) -> BackgroundExport | None:
    """The API's export of a large engagement's PDF or Word file; None for a small one.

    Only reads: a current ready document is served; otherwise ExportNotPrepared
    (with the pending document, if one is on its way) sends the client to ask
    for one with a POST, since the export is a GET and never queues.
    """
    if not is_large(engagement):
        return None
    latest = latest_documents(engagement).get(fmt)
    if latest is None:
        raise ExportNotPrepared(None)
    if latest.status == PlaybookDocument.Status.READY and is_current(latest, engagement):
        return background_export(latest)  # its deferred bytes are read here
    raise ExportNotPrepared(background_export(latest) if latest.pending else None)
