from django.apps import AppConfig


class SmsConfig(AppConfig):
    name = "boundaries.channels.sms"
    label = "sms"
    verbose_name = "Text messages: who has opted out (STOP) of automated texts"
    default_auto_field = "django.db.models.BigAutoField"
