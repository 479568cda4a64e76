import uuid

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models

from changeready.common.concurrency import VersionedModel
from changeready.common.models import CheckedTextModel, choices
from changeready.core.model import ADOPTION_MODES, PHASES
from changeready.core.weeks import plan_window


class EngagementQuerySet(models.QuerySet):
    def for_workspace(self, workspace):
        return self.filter(workspace=workspace)


class Engagement(CheckedTextModel, VersionedModel):
    """One customer implementation (DOMAIN.md section 2)."""

    PHASE_CHOICES = choices(PHASES)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="engagements"
    )
    name = models.CharField(max_length=200)
    customer = models.CharField(max_length=200)
    product = models.CharField(max_length=200, blank=True)
    kickoff_date = models.DateField(null=True, blank=True)
    go_live_date = models.DateField()
    phase = models.CharField(max_length=20, choices=PHASE_CHOICES, default="discovery")
    change_summary = models.TextField(
        "what changes, for whom",
        max_length=10000,
        blank=True,
    )
    delivery_lead_name = models.CharField("delivery lead", max_length=200, blank=True)
    delivery_lead_email = models.EmailField("delivery lead email", blank=True)
    cs_owner_name = models.CharField("CS owner", max_length=200, blank=True)
    cs_owner_email = models.EmailField("CS owner email", blank=True)
    arr = models.DecimalField(
        "ARR",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text="Annual contract value.",
    )
    renewal_date = models.DateField(null=True, blank=True)
    opposition_reviewed = models.BooleanField(
        default=False,
        help_text="The team asked “who did not want this?” (the answer may be nobody).",
    )
    adoption_mode = models.CharField(
        max_length=10,
        choices=choices(ADOPTION_MODES),
        default="voluntary",
        help_text=(
            "Voluntary: people may keep the old way, adoption is weekly active use. "
            "Mandatory: the new system replaces the old way, adoption is compliance."
        ),
    )
    # [{"start": "2026-12-21", "end": "2027-01-03", "label": "Holidays"}, …]: weeks
    # the customer cannot absorb change (docs/domain.md, "Engagement").
    blackout_periods = models.JSONField(default=list, blank=True)
    handoff_accepted_at = models.DateTimeField(null=True, blank=True)
    handoff_accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EngagementQuerySet.as_manager()

    class Meta:
        ordering = ["go_live_date", "name"]
        indexes = [models.Index(fields=["workspace", "go_live_date"])]

    def __str__(self):
        return f"{self.name} ({self.customer})"

    def week_outside_plan(self, week: int) -> str:
        """Why `week` cannot be planned, in words; empty when the plan's window holds it.

        New work goes inside the window; what is already outside it stays
        where it is (docs/domain.md, section 6)."""
        first, last = self.plan_first_week, self.plan_last_week
        if first <= week <= last:
            return ""
        side = "before the plan starts" if week < first else "after the plan ends"
        return (
            f"Week {week:+d} is {side}: the plan runs from week {first:+d} to week {last:+d} "
            "around go-live (week 0). Choose a week in that range, or move the kickoff or "
            "renewal date of the engagement."
        )

    @property
    def plan_first_week(self) -> int:
        """The plan starts in the kickoff week (derived, never stored)."""
        return plan_window(self.go_live_date, self.kickoff_date, self.renewal_date)[0]

    @property
    def plan_last_week(self) -> int:
        """The plan ends at the later of week 12 and the renewal week (derived)."""
        return plan_window(self.go_live_date, self.kickoff_date, self.renewal_date)[1]

    def clean(self):
        from django.core.exceptions import ValidationError

        from changeready.engagements.blackouts import blackout_errors

        errors = {}
        if self.kickoff_date and self.go_live_date and self.kickoff_date > self.go_live_date:
            errors["kickoff_date"] = "Kickoff must be on or before the go-live date."
        problems = blackout_errors(self.blackout_periods)
        if problems:
            errors["blackout_periods"] = problems
        if errors:
            raise ValidationError(errors)
