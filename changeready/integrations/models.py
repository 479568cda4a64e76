"""Events to other tools: webhook endpoints, their deliveries, and calendar feeds.

See docs/user-guide.md ("Connect Slack, Teams or a calendar") and docs/api.md
("Webhooks") for what each row means to the people who set it up.
"""

import uuid

from django.conf import settings
from django.db import models

from changeready.common.concurrency import VersionedModel
from changeready.common.models import CheckedTextModel


class EventType(models.TextChoices):
    READINESS_CHANGED = "engagement.readiness_changed", "Readiness band changed"
    FINDING_RAISED = "finding.raised", "New critical finding"
    PLAN_GENERATED = "plan.generated", "Plan generated"
    HANDOFF_SENT = "handoff.sent", "Handoff sent"
    HANDOFF_ACCEPTED = "handoff.accepted", "Handoff accepted"
    ADOPTION_BEHIND_TARGET = "adoption.behind_target", "Adoption behind target"


# Sent only by "send a test event"; never subscribed to.
TEST_EVENT = "webhook.test"


class EndpointKind(models.TextChoices):
    WEBHOOK = "webhook", "Webhook (signed JSON)"
    SLACK = "slack", "Slack incoming webhook"
    TEAMS = "teams", "Microsoft Teams incoming webhook"


class WebhookEndpointQuerySet(models.QuerySet):
    def for_workspace(self, workspace):
        return self.filter(workspace=workspace)


class WebhookEndpoint(CheckedTextModel, VersionedModel):
    """A URL of the workspace's that receives the events it subscribes to.

    The signing secret is never stored: it is derived from SECRET_KEY and
    `secret_seed` (see signing.endpoint_secret), so the database alone does
    not reveal it and rotating it is a new seed.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="webhook_endpoints"
    )
    kind = models.CharField(
        max_length=10, choices=EndpointKind.choices, default=EndpointKind.WEBHOOK
    )
    url = models.CharField("URL", max_length=2000)
    description = models.CharField(max_length=200, blank=True)
    events = models.JSONField(default=list)
    secret_seed = models.CharField(max_length=64, editable=False)
    enabled = models.BooleanField(default=True)
    # Why it is off: empty when someone switched it off or it is on.
    disabled_reason = models.CharField(max_length=300, blank=True)
    # Deliveries that used up all their attempts in a row; a success resets it.
    failed_deliveries_in_a_row = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = WebhookEndpointQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]
        verbose_name = "webhook endpoint"

    def __str__(self):
        return self.description or self.url


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
    RETRYING = "retrying", "Failed; will retry"
    SUCCEEDED = "succeeded", "Delivered"
    FAILED = "failed", "Failed; gave up"


class WebhookDeliveryQuerySet(models.QuerySet):
    def for_workspace(self, workspace):
        return self.filter(endpoint__workspace=workspace)


class WebhookDelivery(models.Model):
    """One event for one endpoint, and how its latest attempt went.

    `id` is the Standard Webhooks `webhook-id`: it stays the same over retries
    and replays, so receivers can drop duplicates. The body is kept as sent so
    every attempt signs exactly the same bytes.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    event_type = models.CharField(max_length=40)
    body = models.TextField()
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = WebhookDeliveryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["endpoint", "-created_at"]),
            models.Index(fields=["status", "next_attempt_at"]),
        ]

    def __str__(self):
        return f"{self.event_type} to {self.endpoint}"

    @property
    def can_replay(self) -> bool:
        return self.status == DeliveryStatus.FAILED


class DeliveryAttempt(models.Model):
    """The log line of one try: what the receiver answered and how long it took."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    delivery = models.ForeignKey(
        WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log"
    )
    number = models.PositiveSmallIntegerField()
    attempted_at = models.DateTimeField()
    # None when no answer came (refused address, timeout, connection error).
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField()
    # The first bytes of the answer, or why there was none.
    response_excerpt = models.TextField(blank=True)
    succeeded = models.BooleanField()

    class Meta:
        ordering = ["delivery", "number"]
        constraints = [
            models.UniqueConstraint(fields=["delivery", "number"], name="attempt_unique_number")
        ]

    def __str__(self):
        return f"Attempt {self.number} of {self.delivery}"


class CalendarFeedQuerySet(models.QuerySet):
    def for_workspace(self, workspace):
        return self.filter(workspace=workspace)

    def active(self):
        return self.filter(revoked_at__isnull=True)


class CalendarFeed(models.Model):
    """A secret ICS subscription URL: a member's plan items, or one engagement's plan.

    The URL carries a random token of which only the sha256 is stored;
    revoking the feed makes its URL a 404. A member's feed dies with their
    membership.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    # Who subscribed: the feed works while they are a member of the workspace.
    membership = models.ForeignKey(
        "workspaces.Membership", on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    # Set for an engagement's plan; empty for the member's own plan items.
    engagement = models.ForeignKey(
        "engagements.Engagement",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="calendar_feeds",
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = CalendarFeedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Calendar feed of {self.engagement or self.membership}"
