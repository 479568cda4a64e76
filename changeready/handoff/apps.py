from django.apps import AppConfig


class HandoffConfig(AppConfig):
    name = "changeready.handoff"
    label = "handoff"
