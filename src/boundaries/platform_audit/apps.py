from django.apps import AppConfig


class ExportsConfig(AppConfig):
    name = "boundaries.exports"
    verbose_name = "Boundary audits of platform downloads (no connections, no following)"
