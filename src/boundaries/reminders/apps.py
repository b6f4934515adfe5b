from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "boundaries.reminders"
    verbose_name = "Appointment reminders"
