from django.apps import AppConfig


class SetupConfig(AppConfig):
    name = "boundaries.setup"
    label = "setup"
    verbose_name = "First-run setup and settings"
