"""Background work of the handoff: large playbook documents (django-tasks).

Queued on commit by `documents.request_document`; the immediate backend runs
them in the request, the database backend in `manage.py db_worker`.
Arguments are ids as text so every backend can serialise them.
"""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from changeready.engagements.models import Engagement
from changeready.handoff.exports import render_export
from changeready.handoff.models import PlaybookDocument

Status = PlaybookDocument.Status
# Where the bar stands at each step: reading the engagement is quick, the
# renderer takes nearly all the time.
PROGRESS_RENDERING = 20


def _set(document_id: str, **fields) -> None:
    # An update, not a save: the page polling for progress sees each step at once.
    PlaybookDocument.objects.filter(id=document_id).update(**fields)


@task()
def produce_playbook_document(document_id: str) -> bool:
    """Render one queued document and store it; False if it is gone or failed."""
    document = (
        PlaybookDocument.objects.filter(id=document_id, status=Status.QUEUED)
        .only("id", "fmt", "version", "as_of", "engagement_id")
        .first()
    )
    if document is None:
        return False
    _set(document_id, status=Status.RUNNING, progress=PROGRESS_RENDERING)
    engagement = Engagement.objects.select_related("workspace", "handoff_accepted_by").get(
        id=document.engagement_id
    )
    try:
        export = render_export(
            engagement, document.fmt, as_of=document.as_of, version=document.version
        )
    except Exception:
        _set(document_id, status=Status.FAILED, progress=0, finished_at=timezone.now())
        raise
    _set(
        document_id,
        status=Status.READY,
        progress=100,
        content=export.content,
        filename=export.filename,
        content_type=export.content_type,
        finished_at=timezone.now(),
    )
    return True
