from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "changeready.accounts"
    label = "accounts"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from changeready.common.sessions import record_login

        user_logged_in.connect(record_login, dispatch_uid="changeready.record_login")
