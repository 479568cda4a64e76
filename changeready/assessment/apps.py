from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "changeready.assessment"
    label = "assessment"

    def ready(self):
        # Connects the snapshot refresh to committed engagement changes.
        from changeready.assessment import services  # noqa: F401
