from django.apps import AppConfig


class PracticesConfig(AppConfig):
    name = "boundaries.practices"
    verbose_name = "Practices, therapists and clients"
