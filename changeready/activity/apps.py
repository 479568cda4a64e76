from django.apps import AppConfig


class ActivityConfig(AppConfig):
    name = "changeready.activity"
    label = "activity"
    verbose_name = "activity history"
