from django.apps import AppConfig


class BackupConfig(AppConfig):
    """A whole workspace in and out: backup, restore and the demo workspace.

    The one app that reads and writes every other app's data.
    """

    name = "changeready.backup"
    label = "backup"
