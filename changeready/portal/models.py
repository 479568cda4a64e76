import uuid

from django.conf import settings
from django.db import models

from changeready.common.models import CheckedTextModel, check_same_engagement, choices


class ContributorQuerySet(models.QuerySet):
    def for_workspace(self, workspace):
        return self.filter(engagement__workspace=workspace)

    def active(self):
        return self.filter(revoked_at__isnull=True)


class Contributor(models.Model):
    """A customer's person (a stakeholder with an email) invited to their
    engagement's portal: their own plan items and the customer-facing playbook.

    They have no account. Their link carries a signature of this row's id and
    `link_version` (see `portal.links`); revoking bumps the version, so every
    link sent before stops at once, and the link expires on its own after
    PORTAL_LINK_MAX_AGE_DAYS.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # Denormalised from the stakeholder, as on resistance points, so tenancy
    # needs no join; `clean` keeps the two consistent.
    engagement = models.ForeignKey(
        "engagements.Engagement", on_delete=models.CASCADE, related_name="contributors"
    )
    stakeholder = models.OneToOneField(
        "landscape.Stakeholder", on_delete=models.CASCADE, related_name="contributor"
    )
    # The address the invitation went to (the stakeholder's, when invited).
    email = models.EmailField()
    link_version = models.PositiveIntegerField(default=1, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    invited_at = models.DateTimeField()
    # The latest invitation or reminder sent by the team (resend).
    sent_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    # The last action taken through the portal. Opening the page records
    # nothing: a mail scanner opens links too, and GET changes no state.
    last_active_at = models.DateTimeField("last active", null=True, blank=True)
    emails_opted_out_at = models.DateTimeField(null=True, blank=True)
    # The Monday of the week whose digest was last sent, so a second run sends nothing.
    last_digest_week = models.DateField(null=True, blank=True)

    objects = ContributorQuerySet.as_manager()

    class Meta:
        ordering = ["invited_at"]
        verbose_name = "customer contributor"

    def __str__(self):
        return f"{self.stakeholder} (customer contributor)"

    @property
    def name(self) -> str:
        return self.stakeholder.name

    @property
    def actor_name(self) -> str:
        """How the activity history and the plan name them."""
        return f"{self.stakeholder.name} (customer contributor)"

    @property
    def status(self) -> str:
        if self.revoked_at:
            return "revoked"
        return "active" if self.last_active_at else "invited"

    @property
    def wants_email(self) -> bool:
        return self.revoked_at is None and self.emails_opted_out_at is None

    def clean(self):
        check_same_engagement(self, "stakeholder")


MESSAGE_KINDS = ("comment", "help")


class ContributorMessage(CheckedTextModel):
    """A comment on a plan item, or a request for help, sent through the portal."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    engagement = models.ForeignKey(
        "engagements.Engagement", on_delete=models.CASCADE, related_name="+"
    )
    contributor = models.ForeignKey(Contributor, on_delete=models.CASCADE, related_name="messages")
    plan_item = models.ForeignKey(
        "planning.PlanItem",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contributor_messages",
    )
    kind = models.CharField(max_length=10, choices=choices(MESSAGE_KINDS))
    text = models.TextField(max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "contributor message"

    def __str__(self):
        return f"{self.get_kind_display()} from {self.contributor}"

    def clean(self):
        check_same_engagement(self, "contributor")
        check_same_engagement(self, "plan_item")
