from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "changeready.surveys"
    label = "surveys"
