import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

# Who reads a playbook: the delivery team and CS (`internal`), or the customer,
# who sees the resistor register without the names of the people who resist.
PLAYBOOK_VERSIONS = [("internal", "Internal"), ("customer", "Customer-facing")]


class ShareLinkQuerySet(models.QuerySet):
    def for_workspace(self, workspace):
        return self.filter(engagement__workspace=workspace)

    def active(self, now=None):
        return self.filter(revoked_at__isnull=True, expires_at__gt=now or timezone.now())


class ShareLink(models.Model):
    """A read-only link to an engagement's playbook for people without an account.

    The URL carries a signed token of this row's id (see services.share_token):
    the signature makes it unguessable; `expires_at` and `revoked_at` end it.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    engagement = models.ForeignKey(
        "engagements.Engagement", on_delete=models.CASCADE, related_name="share_links"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    # The CS owner's address when the link went out with "send handoff".
    sent_to = models.EmailField(blank=True)
    version = models.CharField(max_length=10, choices=PLAYBOOK_VERSIONS, default="internal")

    objects = ShareLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["engagement", "expires_at"])]

    def __str__(self):
        return f"Share link of {self.engagement} until {self.expires_at:%Y-%m-%d}"

    def is_active(self, now=None) -> bool:
        return self.revoked_at is None and self.expires_at > (now or timezone.now())


class PlaybookDocumentQuerySet(models.QuerySet):
    def for_workspace(self, workspace):
        return self.filter(engagement__workspace=workspace)

    def unexpired(self, now=None):
        return self.filter(expires_at__gt=now or timezone.now())


class PlaybookDocument(models.Model):
    """A PDF or Word playbook produced by the background worker and kept for a while.

    Large playbooks take seconds to render: a request queues one (see
    documents.request_document) and the page shows its progress, then serves
    the stored file. `content` holds the file itself: documents are a few
    hundred KiB and expire, so the database keeps them without a media store.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Being prepared"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    engagement = models.ForeignKey(
        "engagements.Engagement", on_delete=models.CASCADE, related_name="playbook_documents"
    )
    fmt = models.CharField(max_length=8)
    # A share link or portal of the customer version serves only that version.
    version = models.CharField(max_length=10, choices=PLAYBOOK_VERSIONS, default="internal")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    as_of = models.DateField()
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()
    filename = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    content = models.BinaryField(blank=True, default=b"")

    objects = PlaybookDocumentQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at"]
        indexes = [models.Index(fields=["engagement", "fmt", "version", "requested_at"])]

    def __str__(self):
        return f"{self.fmt} {self.version} playbook of {self.engagement} ({self.status})"

    @property
    def pending(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)
