from django.apps import AppConfig


class EngagementFileConfig(AppConfig):
    name = "changeready.engagement_file"
    label = "engagement_file"
