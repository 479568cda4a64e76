from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "changeready.accounts"
    label = "accounts"
