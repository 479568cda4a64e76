from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "changeready.api"
    label = "api"
