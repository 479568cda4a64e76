import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


class ActivityEventQuerySet(models.QuerySet):
    def for_workspace(self, workspace):
        return self.filter(workspace=workspace)


class ActivityEvent(models.Model):
    """One change to an engagement's data: who did what to which object, and when.

    The object is named by type, id and a label copied at the time, never by a
    foreign key, so the event outlives a deleted stakeholder or plan item.
    Events belong to their engagement and go with it: deleting an engagement
    deletes its data, names of customer people included. The deletion itself
    is kept as a workspace event without an engagement.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="+"
    )
    engagement = models.ForeignKey(
        "engagements.Engagement",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="activity",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The actor's name at the time, kept when the account is deleted.
    actor_label = models.CharField(max_length=200)
    verb = models.CharField(max_length=20)
    obj_type = models.CharField("object type", max_length=30)
    obj_id = models.UUIDField("object id", null=True, blank=True)
    label = models.CharField(max_length=300)
    summary = models.TextField()
    # {field: [old, new]} for updates, values as people read them.
    changes = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ActivityEventQuerySet.as_manager()

    class Meta:
        # The table kept the name it had when the history lived in the
        # portfolio app, so moving the model moved no data.
        db_table = "portfolio_activityevent"
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["engagement", "-created_at"]),
            models.Index(fields=["workspace", "-created_at"]),
        ]

    def __str__(self):
        return f"{self.actor_label} {self.summary}"
