"""Measured adoption and outcome KPIs (docs/domain.md, "Measured adoption and outcome KPIs").

Raw usage events are kept for a while (see `RAW_EVENT_RETENTION_DAYS`) and
rolled up as they arrive: per user, week and event name (`UserWeek`), then per
daily-user group and week (`GroupWeek`). Pages and the API read the rollups
only. Weeks are stored by their Monday, not as plan weeks, so moving the
go-live date moves the plan weeks without recomputing anything.
"""

import uuid

from django.conf import settings
from django.db import models

from changeready.common.concurrency import VersionedModel
from changeready.common.models import CheckedTextModel, check_same_engagement, choices
from changeready.core.kpis import DIRECTIONS

RAW_EVENT_RETENTION_DAYS = 400
# Limits of the sender's fields: long enough for any id scheme, short enough to index.
EVENT_ID_MAX = 200
USER_ID_MAX = 200
EVENT_NAME_MAX = 200


class EngagementOwnedQuerySet(models.QuerySet):
    def for_workspace(self, workspace):
        return self.filter(engagement__workspace=workspace)


class IngestionToken(CheckedTextModel, models.Model):
    """A write-only token for one engagement's usage events; only a hash is stored.

    It lets a product send events without a workspace API token: it can post
    events to its engagement and nothing else, not even read them back.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    engagement = models.ForeignKey(
        "engagements.Engagement", on_delete=models.CASCADE, related_name="ingestion_tokens"
    )
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=16)
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = EngagementOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "ingestion token"

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class UsageEvent(models.Model):
    """One event as the product sent it, kept raw for `RAW_EVENT_RETENTION_DAYS`."""

    id = models.BigAutoField(primary_key=True)
    # Indexed by the unique constraint, which starts with it: no index of its own,
    # one less to maintain on every insert.
    engagement = models.ForeignKey(
        "engagements.Engagement", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    # The sender's id: sending the same event twice stores it once.
    event_id = models.CharField(max_length=EVENT_ID_MAX)
    user_ref = models.CharField("user", max_length=USER_ID_MAX)
    email = models.CharField(max_length=254, blank=True)
    name = models.CharField("event", max_length=EVENT_NAME_MAX)
    occurred_at = models.DateTimeField()
    # The Monday of the week that holds `occurred_at` in the server's time zone.
    week_start = models.DateField()
    # properties.channel = legacy: the work was done the old way (mandatory engagements).
    legacy = models.BooleanField(default=False)
    properties = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["engagement", "event_id"], name="usage_event_unique_sender_id"
            ),
        ]
        indexes = [
            models.Index(fields=["engagement", "week_start"]),
            models.Index(fields=["occurred_at"]),
        ]

    def __str__(self):
        return f"{self.name} by {self.user_ref} at {self.occurred_at:%Y-%m-%d %H:%M}"


class UsageUser(models.Model):
    """A user the product reported, and the daily-user group the mapping rules put them in."""

    id = models.BigAutoField(primary_key=True)
    # Indexed by the unique constraint, which starts with it: no index of its own,
    # one less to maintain on every insert.
    engagement = models.ForeignKey(
        "engagements.Engagement", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    external_id = models.CharField(max_length=USER_ID_MAX)
    email = models.CharField(max_length=254, blank=True)
    # The latest value of each property the user's events carried (mapping by property).
    properties = models.JSONField(default=dict, blank=True)
    # Null: no rule matched; the user is listed as unmapped, never guessed.
    group = models.ForeignKey(
        "landscape.Stakeholder", on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["engagement", "external_id"], name="usage_user_unique_id"
            ),
        ]

    def __str__(self):
        return self.external_id


class UserWeek(models.Model):
    """How many events of one name a user sent in one week (and how many the old way)."""

    id = models.BigAutoField(primary_key=True)
    # Indexed by the unique constraint, which starts with it: no index of its own,
    # one less to maintain on every insert.
    engagement = models.ForeignKey(
        "engagements.Engagement", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    week_start = models.DateField()
    user_ref = models.CharField(max_length=USER_ID_MAX)
    name = models.CharField(max_length=EVENT_NAME_MAX)
    events = models.PositiveIntegerField(default=0)
    legacy_events = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["engagement", "week_start", "user_ref", "name"],
                name="usage_user_week_unique",
            ),
        ]

    def __str__(self):
        return f"{self.user_ref} {self.name} {self.week_start}: {self.events}"


class GroupWeek(models.Model):
    """One daily-user group's measured use in one week: what every page reads."""

    id = models.BigAutoField(primary_key=True)
    engagement = models.ForeignKey(
        "engagements.Engagement", on_delete=models.CASCADE, related_name="+"
    )
    stakeholder = models.ForeignKey(
        "landscape.Stakeholder", on_delete=models.CASCADE, related_name="+"
    )
    week_start = models.DateField()
    # Distinct users with at least one event that counts as use.
    active_users = models.PositiveIntegerField(default=0)
    # Events that count as use, and how many of them were done the old way.
    work_events = models.PositiveIntegerField(default=0)
    legacy_events = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["week_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["stakeholder", "week_start"], name="usage_group_week_unique"
            ),
        ]

    def __str__(self):
        return f"{self.stakeholder_id} {self.week_start}: {self.active_users}"


class UsageState(models.Model):
    """Per engagement: when events last arrived. Ingestion locks this row, so
    batches of one engagement are rolled up one at a time."""

    engagement = models.OneToOneField(
        "engagements.Engagement", on_delete=models.CASCADE, related_name="usage_state"
    )
    events = models.PositiveBigIntegerField(default=0)
    last_event_at = models.DateTimeField(null=True, blank=True)
    last_received_at = models.DateTimeField(null=True, blank=True)
    # The Monday of the earliest week with any event: from there on a group
    # without events in a finished week measured 0 %, before it nothing.
    first_week_start = models.DateField(null=True, blank=True)

    def __str__(self):
        return f"Usage of {self.engagement_id}"


MAPPING_KINDS = ("email_domain", "property", "user_list")


class MappingRule(CheckedTextModel, models.Model):
    """Puts the users it matches into a daily-user group; the first matching rule wins."""

    KIND_LABELS = {
        "email_domain": "Email domain",
        "property": "Property value",
        "user_list": "List of users",
    }

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    engagement = models.ForeignKey(
        "engagements.Engagement", on_delete=models.CASCADE, related_name="usage_mapping_rules"
    )
    stakeholder = models.ForeignKey(
        "landscape.Stakeholder", on_delete=models.CASCADE, related_name="usage_mapping_rules"
    )
    position = models.PositiveIntegerField(default=0)
    kind = models.CharField(max_length=20, choices=list(KIND_LABELS.items()))
    # For `property`: the property's name (`department`).
    property_name = models.CharField(max_length=100, blank=True)
    # Domains, property values, or user ids and emails; any one matches.
    values = models.JSONField(default=list)

    objects = EngagementOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]
        verbose_name = "mapping rule"

    def __str__(self):
        return f"{self.kind} → {self.stakeholder_id}"

    def clean(self):
        check_same_engagement(self, "stakeholder")


class GroupUsage(models.Model):
    """Which events count as use for a group (empty: every event)."""

    stakeholder = models.OneToOneField(
        "landscape.Stakeholder", on_delete=models.CASCADE, related_name="usage_settings"
    )
    counts_as_use = models.JSONField(default=list, blank=True)

    def __str__(self):
        return f"Usage settings of {self.stakeholder_id}"


KPI_MEASURES = ("typed", "event_count", "property_sum")


class Kpi(CheckedTextModel, VersionedModel):
    """An outcome measure taken from a success definition, with its weekly values."""

    MEASURE_LABELS = {
        "typed": "Typed by hand",
        "event_count": "Count of an event",
        "property_sum": "Sum of a numeric property",
    }

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    engagement = models.ForeignKey(
        "engagements.Engagement", on_delete=models.CASCADE, related_name="kpis"
    )
    name = models.CharField(max_length=200)
    stakeholder = models.ForeignKey(
        "landscape.Stakeholder",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="kpis",
    )
    unit = models.CharField(max_length=40, blank=True)
    direction = models.CharField(max_length=10, choices=choices(DIRECTIONS))
    baseline = models.FloatField(null=True, blank=True)
    target = models.FloatField()
    due_week = models.SmallIntegerField(null=True, blank=True)
    measure = models.CharField(max_length=20, choices=list(MEASURE_LABELS.items()))
    # For computed KPIs: the event counted or whose property is summed.
    event = models.CharField(max_length=EVENT_NAME_MAX, blank=True)
    property_name = models.CharField("property", max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = EngagementOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "name"]
        verbose_name = "KPI"

    def __str__(self):
        return self.name

    @property
    def is_computed(self) -> bool:
        return self.measure != "typed"

    def clean(self):
        check_same_engagement(self, "stakeholder")


class KpiValue(models.Model):
    kpi = models.ForeignKey(Kpi, on_delete=models.CASCADE, related_name="values")
    week = models.SmallIntegerField()
    value = models.FloatField()

    class Meta:
        ordering = ["week"]
        constraints = [
            models.UniqueConstraint(fields=["kpi", "week"], name="kpi_value_unique_week"),
        ]

    def __str__(self):
        return f"{self.kpi_id} week {self.week}: {self.value}"
