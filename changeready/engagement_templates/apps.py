from django.apps import AppConfig


class EngagementTemplatesConfig(AppConfig):
    name = "changeready.engagement_templates"
    label = "engagement_templates"
    verbose_name = "Engagement templates"
