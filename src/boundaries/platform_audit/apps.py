from django.apps import AppConfig


class PlatformAuditConfig(AppConfig):
    name = "boundaries.platform_audit"
    # The package was called ``exports``; the app label stays, so the tables
    # (exports_exportaudit), the migration history in django_migrations, the
    # content types and the audit log's object types of existing installations
    # are unchanged (docs/architecture.md, "Names that stayed").
    label = "exports"
    verbose_name = "Boundary audits of platform downloads (no connections, no following)"
