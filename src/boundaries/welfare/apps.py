from django.apps import AppConfig


class WelfareConfig(AppConfig):
    name = "boundaries.welfare"
    verbose_name = "Welfare checks (the one exception to 'no searching for clients')"
