import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower, Trim

from changeready.common.concurrency import VersionedModel
from changeready.common.models import CheckedTextModel, check_same_engagement, choices
from changeready.core.model import (
    ADKAR_ELEMENTS,
    FORMATS,
    OWNER_ROLES,
    PLAN_ITEM_KINDS,
    PLAN_ITEM_STATUSES,
    WORKSTREAMS,
)
from changeready.core.rules import MAX_WEEK, MIN_WEEK

TARGET_SOURCES = ("generated", "manual")
PERCENT_VALIDATORS = [MinValueValidator(0), MaxValueValidator(100)]
ACTUAL_SOURCES = ("manual", "measured")


def owner_keys_of(*names_or_emails: str) -> set[str]:
    """What a named owner is compared by: each name or address, trimmed, any case."""
    return {value.strip().casefold() for value in names_or_emails if value and value.strip()}


class PlanItemQuerySet(models.QuerySet):
    def for_workspace(self, workspace):
        return self.filter(engagement__workspace=workspace)

    def owned_by(self, keys: set[str]):
        """Items whose named `owner` is one of `keys` (see owner_keys_of), each
        annotated with its `owner_key`. A role alone names nobody."""
        return self.annotate(owner_key=Lower(Trim("owner"))).filter(owner_key__in=keys)


class PlanItem(CheckedTextModel, VersionedModel):
    """One action in the activation plan, in a week relative to go-live."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    engagement = models.ForeignKey(
        "engagements.Engagement", on_delete=models.CASCADE, related_name="plan_items"
    )
    week = models.SmallIntegerField(
        validators=[MinValueValidator(MIN_WEEK), MaxValueValidator(MAX_WEEK)]
    )
    title = models.CharField(max_length=300)
    description = models.TextField(max_length=10000, blank=True)
    kind = models.CharField(max_length=20, choices=choices(PLAN_ITEM_KINDS))
    # Empty on items made before workstreams and formats existed.
    workstream = models.CharField(max_length=20, choices=choices(WORKSTREAMS), blank=True)
    format = models.CharField(max_length=20, choices=choices(FORMATS), blank=True)
    owner_role = models.CharField(max_length=20, choices=choices(OWNER_ROLES))
    owner = models.CharField("named owner", max_length=200, blank=True)
    audience = models.ManyToManyField(
        "landscape.Stakeholder", blank=True, related_name="plan_items"
    )
    adkar_target = models.CharField(
        "ADKAR target", max_length=15, choices=choices(ADKAR_ELEMENTS), blank=True
    )
    resistance_point = models.ForeignKey(
        "landscape.ResistancePoint",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="plan_items",
    )
    status = models.CharField(max_length=10, choices=choices(PLAN_ITEM_STATUSES), default="planned")
    # "manual", or "generated:<rule key>" for items the generator made.
    origin = models.CharField(max_length=200, default="manual")
    # The generator's stable identity for this item; empty for manual items.
    generation_key = models.CharField(max_length=400, blank=True)
    reason = models.TextField(blank=True)
    # A generated item someone changed by hand is theirs: regeneration keeps it.
    edited_by_hand = models.BooleanField(default=False)
    # Who marked it done, as the activity history names them (a member, or a
    # customer contributor through their portal link), and when.
    done_by = models.CharField(max_length=200, blank=True, editable=False)
    done_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PlanItemQuerySet.as_manager()

    class Meta:
        ordering = ["week", "created_at"]
        indexes = [models.Index(fields=["engagement", "week"])]

    def __str__(self):
        return f"Week {self.week}: {self.title}"

    @property
    def is_generated(self) -> bool:
        return self.origin.startswith("generated")

    def clean(self):
        check_same_engagement(self, "resistance_point")


class AdoptionTargetQuerySet(models.QuerySet):
    def for_workspace(self, workspace):
        return self.filter(engagement__workspace=workspace)


class AdoptionTarget(VersionedModel):
    """A daily-user group's weekly-active target for a week, and the actual figure."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    engagement = models.ForeignKey(
        "engagements.Engagement", on_delete=models.CASCADE, related_name="adoption_targets"
    )
    stakeholder = models.ForeignKey(
        "landscape.Stakeholder", on_delete=models.CASCADE, related_name="adoption_targets"
    )
    week = models.SmallIntegerField(validators=[MinValueValidator(0), MaxValueValidator(MAX_WEEK)])
    target_pct = models.FloatField("target %", validators=PERCENT_VALIDATORS)
    actual_pct = models.FloatField("actual %", null=True, blank=True, validators=PERCENT_VALIDATORS)
    # Where `actual_pct` came from: typed by hand (or imported from a file),
    # measured from usage events, or nowhere yet. A typed figure wins.
    actual_source = models.CharField(
        max_length=10, choices=choices(ACTUAL_SOURCES), blank=True, editable=False
    )
    # The figure measured from usage events, kept beside a typed one so both can be shown.
    measured_pct = models.FloatField(
        "measured %", null=True, blank=True, editable=False, validators=PERCENT_VALIDATORS
    )
    # `manual`: typed or imported, a commitment regeneration never changes;
    # `generated`: follows the adoption ramp while nobody sets it.
    source = models.CharField(max_length=10, choices=choices(TARGET_SOURCES), default="generated")
    updated_at = models.DateTimeField(auto_now=True)

    objects = AdoptionTargetQuerySet.as_manager()

    class Meta:
        ordering = ["stakeholder_id", "week"]
        constraints = [
            models.UniqueConstraint(
                fields=["stakeholder", "week"], name="adoption_target_unique_week"
            ),
        ]

    def __str__(self):
        return f"{self.stakeholder} week {self.week}: {self.target_pct}%"

    @property
    def typed_pct(self) -> float | None:
        """The figure someone typed or imported, if any (it wins over the measured one)."""
        return self.actual_pct if self.actual_source == "manual" else None

    def clean(self):
        check_same_engagement(self, "stakeholder")


class PlanState(models.Model):
    """What an engagement's plan remembers beyond its items: settings and hand deletions."""

    engagement = models.OneToOneField(
        "engagements.Engagement", on_delete=models.CASCADE, related_name="plan_state"
    )
    adoption_target_pct = models.FloatField(
        "adoption target %",
        default=80.0,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text="Weekly-active share each daily-user group should reach.",
    )
    adoption_target_week = models.SmallIntegerField(
        default=8,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_WEEK)],
        help_text="The week after go-live by which the target should be reached.",
    )
    # Generation keys of generated items someone deleted: deleting is hand work
    # too, so regeneration does not bring them back.
    dismissed_keys = models.JSONField(default=list, blank=True)
    generated_at = models.DateTimeField(null=True, blank=True)
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    def __str__(self):
        return f"Plan state of {self.engagement_id}"


class WorkspaceRuleQuerySet(models.QuerySet):
    def for_workspace(self, workspace):
        return self.filter(workspace=workspace)


class WorkspaceRule(VersionedModel):
    """One entry of a workspace's plan-rule library.

    A row whose `based_on` names a built-in rule overrides that rule (same
    key): `data` holds the edited copy, or is null when the built-in is only
    switched off. A row without `based_on` is the workspace's own rule.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="plan_rules"
    )
    key = models.CharField(max_length=80)
    # `Rule.to_dict()`; validated through `Rule.from_dict` on every write.
    data = models.JSONField(null=True, blank=True)
    enabled = models.BooleanField(default=True)
    based_on = models.CharField(max_length=80, null=True, blank=True)
    # Order of the workspace's own rules, after the built-in ones.
    position = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    objects = WorkspaceRuleQuerySet.as_manager()

    class Meta:
        ordering = ["position", "key"]
        verbose_name = "plan rule"
        constraints = [
            models.UniqueConstraint(fields=["workspace", "key"], name="workspace_rule_unique_key"),
        ]

    def __str__(self):
        return f"{self.key} ({self.workspace_id})"
