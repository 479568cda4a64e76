import uuid

from django.conf import settings
from django.db import models

from changeready.common.models import CheckedTextModel
from changeready.landscape.suggestions import INDUSTRY_LABELS


class EngagementTemplateQuerySet(models.QuerySet):
    def for_workspace(self, workspace):
        return self.filter(workspace=workspace)


class EngagementTemplate(CheckedTextModel):
    """A workspace's own starting point for engagements (the built-in ones are files).

    `content` is an engagement file without the customer: the change, the
    stakeholder groups and roles, typical resistance points with their
    mitigations and the plan settings (`engagement_templates/content.py`).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="engagement_templates"
    )
    name = models.CharField(max_length=200)
    description = models.TextField(max_length=2000, blank=True)
    industry = models.CharField(
        max_length=20, choices=list(INDUSTRY_LABELS.items()), blank=True, default=""
    )
    content = models.JSONField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = EngagementTemplateQuerySet.as_manager()

    class Meta:
        ordering = ["name", "created_at"]
        constraints = [
            models.UniqueConstraint(
                "workspace",
                "name",
                name="engagement_template_unique_name",
                violation_error_message="The workspace already has a template with this name.",
            )
        ]

    def __str__(self):
        return self.name

    built_in = False
