from django.apps import AppConfig


class EngagementsConfig(AppConfig):
    name = "changeready.engagements"
    label = "engagements"
