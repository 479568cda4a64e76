import uuid

from django.db import models


class AssessmentSnapshotQuerySet(models.QuerySet):
    def for_workspace(self, workspace):
        return self.filter(engagement__workspace=workspace)


class AssessmentSnapshot(models.Model):
    """The assessment as it stood on a day; at most one is kept per day.

    Written whenever the engagement's data changes, so readiness can be shown
    over time and `assessment_stale` can tell a forgotten engagement.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    engagement = models.ForeignKey(
        "engagements.Engagement", on_delete=models.CASCADE, related_name="snapshots"
    )
    taken_on = models.DateField()
    readiness_score = models.PositiveSmallIntegerField()
    readiness_band = models.CharField(max_length=10)
    critical_count = models.PositiveIntegerField(default=0)
    warning_count = models.PositiveIntegerField(default=0)
    # The whole assessment (the API's shape), for history and the playbook.
    assessment = models.JSONField()
    updated_at = models.DateTimeField(auto_now=True)

    objects = AssessmentSnapshotQuerySet.as_manager()

    class Meta:
        ordering = ["taken_on"]
        constraints = [
            models.UniqueConstraint(fields=["engagement", "taken_on"], name="snapshot_one_per_day"),
        ]

    def __str__(self):
        return f"{self.engagement} on {self.taken_on}: {self.readiness_score}"


class StoredReadiness(models.Model):
    """An engagement's readiness as of a day, kept so the portfolio need not assess.

    Written after every committed change of the engagement (with today's
    snapshot) and each day by `refresh_readiness` (ramps and the handoff
    move with the calendar). `version` is the engagement's `updated_at` it
    was computed for: a row whose `version` or `as_of` differs from what a
    reader needs is not used, so a reader never shows an out-of-date figure.
    """

    engagement = models.OneToOneField(
        "engagements.Engagement",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="stored_readiness",
    )
    as_of = models.DateField()
    version = models.DateTimeField()
    score = models.PositiveSmallIntegerField()
    band = models.CharField(max_length=10)
    # Each critical finding code once, in the assessment's order.
    critical_codes = models.JSONField(default=list)
    # When the row was last written: the portfolio's cache stamp reads the
    # latest of a workspace's rows, so any refresh is seen on the next request.
    stored_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"{self.engagement_id} as of {self.as_of}: {self.score} {self.band}"
