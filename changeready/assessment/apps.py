from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "changeready.assessment"
    label = "assessment"
