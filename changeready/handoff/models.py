import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


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

    objects = ShareLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["engagement", "expires_at"])]

    def __str__(self):
        return f"Share link of {self.engagement} until {self.expires_at:%Y-%m-%d}"

    def is_active(self, now=None) -> bool:
        return self.revoked_at is None and self.expires_at > (now or timezone.now())
