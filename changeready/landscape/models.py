import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower

from changeready.common.concurrency import VersionedModel
from changeready.common.models import CheckedTextModel, check_same_engagement, choices
from changeready.core.model import (
    ADKAR_ELEMENTS,
    ADKAR_SOURCES,
    ANONYMITY_THRESHOLD,
    ENGAGEMENT_LEVELS,
    INVOLVEMENTS,
    KINDS,
    MITIGATION_STATUSES,
    MITIGATION_STRATEGIES,
    RESISTANCE_SOURCES,
    ROLES,
)
from changeready.landscape.suggestions import INDUSTRY_LABELS, PHRASE_FIELD_LABELS

LEVEL_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]


def level_field(verbose_name, help_text):
    return models.PositiveSmallIntegerField(
        verbose_name, default=3, validators=LEVEL_VALIDATORS, help_text=help_text
    )


def adkar_field(element):
    return models.FloatField(f"ADKAR {element}", null=True, blank=True, validators=LEVEL_VALIDATORS)


class StakeholderQuerySet(models.QuerySet):
    def for_workspace(self, workspace):
        return self.filter(engagement__workspace=workspace)


class Stakeholder(CheckedTextModel, VersionedModel):
    """A group (a population) or a person in the engagement's landscape."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    engagement = models.ForeignKey(
        "engagements.Engagement", on_delete=models.CASCADE, related_name="stakeholders"
    )
    kind = models.CharField(max_length=10, choices=choices(KINDS), default="group")
    name = models.CharField(max_length=200)
    title = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    group = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
        limit_choices_to={"kind": "group"},
    )
    role = models.CharField(max_length=20, choices=choices(ROLES), default="daily_user")
    opposed_purchase = models.BooleanField("did not want the purchase", default=False)
    influence = level_field("influence", "Power to help or block, 1–5.")
    interest = level_field("interest", "How much they care, 1–5.")
    impact = level_field("impact", "How much their daily work changes at go-live, 1–5.")
    engagement_level = models.CharField(
        "current engagement", max_length=12, choices=choices(ENGAGEMENT_LEVELS), default="neutral"
    )
    desired_engagement = models.CharField(
        max_length=12, choices=choices(ENGAGEMENT_LEVELS), default="supportive"
    )
    involvement = models.JSONField(default=list, blank=True)
    success_definition = models.TextField(
        "what success looks like for them", max_length=5000, blank=True
    )
    resistance_triggers = models.TextField(
        "what would make them resist", max_length=5000, blank=True
    )
    job_gets_harder = models.BooleanField("their job gets harder at go-live", default=False)
    authority_decreases = models.BooleanField("they lose authority or control", default=False)
    adkar_awareness = adkar_field("awareness")
    adkar_desire = adkar_field("desire")
    adkar_knowledge = adkar_field("knowledge")
    adkar_ability = adkar_field("ability")
    adkar_reinforcement = adkar_field("reinforcement")
    # Set when a pulse survey, not the team's estimate, produced the ADKAR scores.
    adkar_measured_on = models.DateField(null=True, blank=True)
    adkar_responses = models.PositiveIntegerField(null=True, blank=True)
    # When the ADKAR scores were estimated or measured, and how: a kickoff guess
    # ages, a survey reading does not (docs/domain.md, adkar_unverified).
    adkar_assessed_on = models.DateField("ADKAR assessed on", null=True, blank=True)
    adkar_source = models.CharField(
        "ADKAR source", max_length=10, choices=choices(ADKAR_SOURCES), default="estimated"
    )
    headcount = models.PositiveIntegerField(null=True, blank=True)
    is_champion = models.BooleanField("champion", default=False)
    notes = models.TextField(max_length=10000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = StakeholderQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "name"]
        constraints = [
            models.UniqueConstraint(
                "engagement",
                Lower("name"),
                name="stakeholder_name_unique_per_engagement",
                violation_error_message=(
                    "A stakeholder with this name already exists in this engagement."
                ),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def adkar(self) -> dict[str, float | None]:
        return {element: getattr(self, f"adkar_{element}") for element in ADKAR_ELEMENTS}

    @property
    def adkar_withheld(self) -> bool:
        """Measured by a survey from too few responses to show the scores to the team.

        The assessment still uses them; pages show how many responses there are instead.
        """
        return self.adkar_measured_on is not None and (self.adkar_responses or 0) < (
            ANONYMITY_THRESHOLD
        )

    @property
    def adkar_shown(self) -> dict[str, float | None]:
        """The ADKAR scores that may leave the server (API, engagement file, exports).

        None for every element while the scores are withheld: with fewer than
        three responses they are one respondent's own answers.
        """
        if self.adkar_withheld:
            return dict.fromkeys(ADKAR_ELEMENTS)
        return self.adkar

    def clean(self):
        errors = {}
        involvement = self.involvement or []
        if not isinstance(involvement, list) or any(v not in INVOLVEMENTS for v in involvement):
            errors["involvement"] = "Choose from: " + ", ".join(INVOLVEMENTS) + "."
        elif len(set(involvement)) != len(involvement):
            errors["involvement"] = "Each activity can be listed once."
        if self.kind == "group":
            if self.group_id:
                errors["group"] = "A group cannot belong to another group."
            if self.is_champion:
                errors["is_champion"] = "Champions are people; mark the person, not the group."
        elif self.headcount is not None:
            errors["headcount"] = "Headcount applies to groups only."
        if self.group_id and self.group is not None:
            if self.group.engagement_id != self.engagement_id:
                errors["group"] = "The group must belong to the same engagement."
            elif self.group.kind != "group":
                errors["group"] = "A person can only belong to a group."
        if errors:
            raise ValidationError(errors)


class ResistancePointQuerySet(models.QuerySet):
    def for_workspace(self, workspace):
        return self.filter(engagement__workspace=workspace)


class ResistancePoint(CheckedTextModel, VersionedModel):
    """One reason a stakeholder may resist, and the plan to address it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # Denormalised from the stakeholder so tenancy and per-engagement queries
    # need no join; `clean` keeps the two consistent.
    engagement = models.ForeignKey(
        "engagements.Engagement", on_delete=models.CASCADE, related_name="resistance_points"
    )
    stakeholder = models.ForeignKey(
        Stakeholder, on_delete=models.CASCADE, related_name="resistance_points"
    )
    source = models.CharField(max_length=30, choices=choices(RESISTANCE_SOURCES))
    description = models.TextField(max_length=5000, blank=True)
    severity = models.PositiveSmallIntegerField(default=3, validators=LEVEL_VALIDATORS)
    strategy = models.CharField(
        "mitigation strategy", max_length=30, choices=choices(MITIGATION_STRATEGIES), blank=True
    )
    owner = models.CharField("mitigation owner", max_length=200, blank=True)
    due_week = models.SmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(-52), MaxValueValidator(52)],
        help_text="Week relative to go-live (negative before it).",
    )
    status = models.CharField(
        "mitigation status", max_length=12, choices=choices(MITIGATION_STATUSES), default="open"
    )
    notes = models.TextField(max_length=5000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ResistancePointQuerySet.as_manager()

    class Meta:
        ordering = ["-severity", "created_at"]
        verbose_name = "resistance point"

    def __str__(self):
        return f"{self.get_source_display()} ({self.stakeholder})"

    def clean(self):
        check_same_engagement(self, "stakeholder")


class WorkspacePhraseQuerySet(models.QuerySet):
    def for_workspace(self, workspace):
        return self.filter(workspace=workspace)


class WorkspacePhrase(models.Model):
    """A workspace's own suggested phrase for success definitions or resistance triggers."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="phrases"
    )
    role = models.CharField(
        "for the role", max_length=20, choices=choices(ROLES), blank=True, help_text="Blank: any."
    )
    industry = models.CharField(
        max_length=20, choices=list(INDUSTRY_LABELS.items()), blank=True, default=""
    )
    field = models.CharField(
        "offered for",
        max_length=20,
        choices=list(PHRASE_FIELD_LABELS.items()),
    )
    text = models.CharField("phrase", max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = WorkspacePhraseQuerySet.as_manager()

    class Meta:
        ordering = ["field", "role", "text"]
        constraints = [
            models.UniqueConstraint(
                "workspace",
                "role",
                "industry",
                "field",
                "text",
                name="workspace_phrase_unique",
                violation_error_message="The workspace already has this phrase.",
            ),
        ]

    def __str__(self):
        return self.text

    @property
    def industry_label(self) -> str:
        return self.get_industry_display() if self.industry else ""


LOG_KINDS = ("meeting", "call", "email", "note")
COMMITMENT_STATUSES = ("open", "done")


class EngagementPartQuerySet(models.QuerySet):
    def for_workspace(self, workspace):
        return self.filter(engagement__workspace=workspace)


class StakeholderLogEntry(CheckedTextModel, VersionedModel):
    """One meeting, call, email or note with a stakeholder.

    Internal by default: what was said in a meeting is the team's working
    knowledge, not something for the customer-facing playbook or the share page.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # Denormalised from the stakeholder, as on resistance points, so tenancy
    # needs no join; `clean` keeps the two consistent.
    engagement = models.ForeignKey(
        "engagements.Engagement", on_delete=models.CASCADE, related_name="log_entries"
    )
    stakeholder = models.ForeignKey(
        Stakeholder, on_delete=models.CASCADE, related_name="log_entries"
    )
    kind = models.CharField(max_length=10, choices=choices(LOG_KINDS), default="meeting")
    date = models.DateField()
    participants = models.CharField("who took part", max_length=500, blank=True)
    summary = models.TextField(max_length=5000)
    internal = models.BooleanField(
        default=True, help_text="Internal entries never reach the customer or any export."
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = EngagementPartQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-created_at"]
        verbose_name = "stakeholder log entry"
        verbose_name_plural = "stakeholder log entries"

    def __str__(self):
        return f"{self.get_kind_display()} with {self.stakeholder} on {self.date:%d %b %Y}"

    def clean(self):
        check_same_engagement(self, "stakeholder")


class Commitment(CheckedTextModel, VersionedModel):
    """A promise made to or by a stakeholder: "Tom Avery will own slotting rules"."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    engagement = models.ForeignKey(
        "engagements.Engagement", on_delete=models.CASCADE, related_name="commitments"
    )
    stakeholder = models.ForeignKey(
        Stakeholder, on_delete=models.CASCADE, related_name="commitments"
    )
    log_entry = models.ForeignKey(
        StakeholderLogEntry,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="commitments",
        verbose_name="agreed in",
    )
    text = models.CharField("what was committed", max_length=500)
    owner = models.CharField(max_length=200)
    due_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=choices(COMMITMENT_STATUSES), default="open")
    # A promise is usually something both sides should see, unlike a note of
    # what was said; the team ticks this for one the customer must not read.
    internal = models.BooleanField(
        default=False,
        help_text="Internal commitments stay out of the customer-facing playbook and share page.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = EngagementPartQuerySet.as_manager()

    class Meta:
        ordering = ["status", "due_date", "created_at"]
        verbose_name = "commitment"

    def __str__(self):
        return self.text

    def clean(self):
        check_same_engagement(self, "stakeholder")
        if self.log_entry_id and self.log_entry.stakeholder_id != self.stakeholder_id:
            raise ValidationError({"log_entry": "The entry must be about the same stakeholder."})
