from django.apps import AppConfig


class WorkspacesConfig(AppConfig):
    name = "changeready.workspaces"
    label = "workspaces"
