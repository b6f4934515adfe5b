"""Content-free notifications to clients, on a channel they agreed to."""

from __future__ import annotations

import logging

from django_tasks import task

from boundaries.inbox.delivery import RetryLaterError, senders
from boundaries.portal.models import SecureMessage
from boundaries.practices.models import Client, ClientContact, PolicyVersion

logger = logging.getLogger(__name__)

NEW_MESSAGE = "You have a new secure message from {practice}. Sign in to the portal to read it."
NEW_POLICY = (
    "{practice} has published a new version of its communications policy. "
    "Please read and acknowledge it in the portal."
)
POLICY_REMINDER = (
    "{practice} asks you to read and acknowledge its current communications policy in the portal."
)


def notify(client: Client, text: str, subject: str) -> str:
    """Send ``text`` to the client on an agreed channel (email, then SMS). Returns which."""
    agreement = client.current_agreement()
    agreed = set(agreement.channels) if agreement else set()
    contacts = dict(client.contacts.values_list("kind", "value"))
    failed: list[str] = []
    for channel, kind in (("email", ClientContact.Kind.EMAIL), ("sms", ClientContact.Kind.PHONE)):
        sender = senders().notice.get(channel)
        if channel in agreed and kind in contacts and sender is not None:
            try:
                sender(contacts[kind], subject, text)
            except (RetryLaterError, OSError) as error:
                # Try the client's next agreed channel; the portal shows the notice anyway.
                logger.warning(
                    "client=%s notice by %s failed: %s", client.pk, channel, type(error).__name__
                )
                failed.append(channel)
                continue
            return channel
    if failed:
        return "failed: " + ",".join(failed)
    logger.info("client=%s has no agreed channel for a notice; shown in the portal only", client.pk)
    return "portal only"


@task()
def notify_client_of_secure_message(message_id: int) -> str:
    message = SecureMessage.objects.select_related("client__practice").get(pk=message_id)
    text = NEW_MESSAGE.format(practice=message.client.practice.name)
    return notify(message.client, text, "New secure message")


@task()
def notify_clients_of_new_policy(version_id: int) -> int:
    version = PolicyVersion.objects.select_related("practice").get(pk=version_id)
    text = NEW_POLICY.format(practice=version.practice.name)
    sent = 0
    for client in Client.objects.filter(practice=version.practice, status=Client.Status.PRESENT):
        # One client's failed notice never stops the others'.
        outcome = notify(client, text, "Our communications policy has changed")
        if outcome in {"email", "sms"}:
            sent += 1
    return sent


@task()
def remind_clients_of_policy(version_id: int) -> int:
    """Present clients who have not acknowledged this version are reminded (no policy text)."""
    version = PolicyVersion.objects.select_related("practice").get(pk=version_id)
    if version.practice.current_policy() != version:
        return 0  # a newer version was published since: its own notices went out
    text = POLICY_REMINDER.format(practice=version.practice.name)
    waiting = Client.objects.filter(
        practice=version.practice, status=Client.Status.PRESENT
    ).exclude(acknowledgements__version=version)
    sent = 0
    for client in waiting:
        outcome = notify(client, text, "Please acknowledge our communications policy")
        if outcome in {"email", "sms"}:
            sent += 1
    return sent
