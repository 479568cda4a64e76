from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "changeready.portal"
    label = "portal"
    verbose_name = "customer portal"
