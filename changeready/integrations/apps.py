from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "changeready.integrations"
    label = "integrations"
