from django.apps import AppConfig


class SiteConfig(AppConfig):
    name = "boundaries.site"
    label = "public_site"
    verbose_name = "Public policy site"
