from django.apps import AppConfig


class LandscapeConfig(AppConfig):
    name = "changeready.landscape"
    label = "landscape"
