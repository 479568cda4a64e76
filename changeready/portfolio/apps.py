from django.apps import AppConfig


class PortfolioConfig(AppConfig):
    name = "changeready.portfolio"
    label = "portfolio"
