from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "changeready.privacy"
    label = "privacy"
