from django.apps import AppConfig


class InboxConfig(AppConfig):
    name = "boundaries.inbox"
    verbose_name = "Inbox: every inbound message, its decision and what was done"
