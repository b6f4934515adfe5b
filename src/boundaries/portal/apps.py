from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "boundaries.portal"
    verbose_name = "Client portal: the secure channel of clause session-content-email"
