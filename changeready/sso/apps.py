from django.apps import AppConfig


class SsoConfig(AppConfig):
    name = "changeready.sso"
    label = "sso"

    def ready(self):
        from allauth.account.signals import user_logged_in

        from changeready.sso.services import join_on_sso_login

        user_logged_in.connect(join_on_sso_login, dispatch_uid="changeready.sso.join")
