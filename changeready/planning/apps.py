from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "changeready.planning"
    label = "planning"
