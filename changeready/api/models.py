import uuid

from django.conf import settings
from django.db import models

from changeready.common.models import CheckedTextModel


class ApiTokenQuerySet(models.QuerySet):
    def for_workspace(self, workspace):
        return self.filter(workspace=workspace)

    def active(self):
        return self.filter(revoked_at__isnull=True)


class ApiToken(CheckedTextModel, models.Model):
    """A workspace API token. Only a hash of the secret is stored.

    The token acts with its creator's *current* role in the workspace, so
    demoting or removing a person takes effect on their tokens at once.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="api_tokens"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100)
    # The first characters of the token, shown in lists so people can tell
    # their tokens apart without the secret.
    prefix = models.CharField(max_length=16)
    # sha256 of the whole token, hex. The secret has 256 bits of entropy, so a
    # plain fast hash is enough: there is nothing to brute-force.
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "API token"

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
