from django.apps import AppConfig


class UsageConfig(AppConfig):
    name = "changeready.usage"
    label = "usage"
