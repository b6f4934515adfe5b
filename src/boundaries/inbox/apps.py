from django.apps import AppConfig


class InboxConfig(AppConfig):
    name = "boundaries.inbox"
    verbose_name = "Inbox: every inbound message, its decision and what was done"

    def ready(self) -> None:
        # Channels register their reply and alert senders with the inbox tasks.
        from boundaries.channels.email import senders  # noqa: F401
        from boundaries.channels.meta import senders as meta_senders  # noqa: F401
        from boundaries.channels.sms import senders as sms_senders  # noqa: F401
