from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "boundaries.dashboard"
    verbose_name = "Therapist dashboard"
