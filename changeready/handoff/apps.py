from django.apps import AppConfig


class HandoffConfig(AppConfig):
    name = "changeready.handoff"
    label = "handoff"

    def ready(self):
        from changeready.handoff.exports import register_api_exports

        register_api_exports()
