from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "boundaries.records"
    verbose_name = "Records: retention and scheduled jobs"
