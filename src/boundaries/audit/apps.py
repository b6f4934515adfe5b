from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "boundaries.audit"
    verbose_name = "Audit log"
