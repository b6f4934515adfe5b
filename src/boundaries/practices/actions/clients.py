"""Adding and editing clients, with their contact details; archiving; their emergency contact."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import IntegrityError, transaction

from boundaries.core.contacts import (
    ContactError,
    normalise_email,
    normalise_handle,
    normalise_phone,
)
from boundaries.errors import ActionError
from boundaries.practices.actions.common import checked_country, lock_practice, record_action
from boundaries.practices.emergency import (
    EmergencyContact,
    emergency_contact,
    seal_emergency_contact,
)
from boundaries.practices.models import (
    Client,
    ClientContact,
    Practice,
    Therapist,
)


def _contacts(
    practice: Practice,
    client: Client,
    *,
    emails: Iterable[str],
    phones: Iterable[str],
    handles: Mapping[str, str],
    region: str,
) -> list[ClientContact]:
    try:
        contacts = [
            ClientContact(kind=ClientContact.Kind.EMAIL, value=normalise_email(email))
            for email in emails
            if email.strip()
        ]
        contacts += [
            ClientContact(kind=ClientContact.Kind.PHONE, value=normalise_phone(phone, region))
            for phone in phones
            if phone.strip()
        ]
        contacts += [
            ClientContact(
                kind=ClientContact.Kind.HANDLE,
                platform=platform.strip().lower(),
                value=normalise_handle(handle),
            )
            for platform, handle in handles.items()
            if handle.strip()
        ]
    except ContactError as error:
        raise ActionError(str(error)) from None
    for contact in contacts:
        contact.practice = practice
        contact.client = client
    return contacts


def _store_contacts(contacts: list[ClientContact]) -> None:
    """Write a client's contacts; a repeated one is the caller's mistake, named."""
    try:
        with transaction.atomic():
            ClientContact.objects.bulk_create(contacts)
    except IntegrityError:
        raise ActionError("the same email, phone or handle is listed twice") from None


def _check_status(status: str) -> None:
    if status not in Client.Status.values:
        raise ActionError(
            f"status must be one of {', '.join(Client.Status.values)}, not {status!r}"
        )


def _check_entry(
    first_name: str, last_name: str, status: str, therapist: Any, practice_id: int
) -> None:
    """What adding and editing a client both require of the register entry."""
    if not first_name.strip() or not last_name.strip():
        raise ActionError("a client needs a first and a last name")
    _check_status(status)
    if therapist is not None and therapist.practice_id != practice_id:
        raise ActionError("that therapist belongs to another practice")


def do_add_client(
    practice: Practice,
    *,
    first_name: str,
    last_name: str,
    country: str = "",
    status: str = Client.Status.PRESENT,
    therapist: Therapist | None = None,
    emails: Iterable[str] = (),
    phones: Iterable[str] = (),
    handles: Mapping[str, str] | None = None,
    nicknames: Iterable[str] = (),
    emergency: EmergencyContact | None = None,
    actor: Any = None,
    actor_label: str = "",
) -> Client:
    """Add a client to the register. ``emergency``'s phone may be in national form: it is
    read for the client's country and stored, sealed, in E.164 (see ``practices/emergency.py``).
    """
    _check_entry(first_name, last_name, status, therapist, practice.pk)
    country_code = checked_country(country or practice.country)
    with transaction.atomic():
        locked = lock_practice(practice.pk)
        if not locked.is_active:
            raise ActionError("that practice has been deleted")
        if locked.max_clients:
            registered = Client.objects.filter(practice=practice, erased_at__isnull=True).count()
            if registered >= locked.max_clients:
                raise ActionError(
                    f"the practice has reached its limit of {locked.max_clients} clients; "
                    "ask the practice's host to raise it"
                )
        client = Client(
            practice=practice,
            therapist=therapist,
            first_name=first_name.strip(),
            last_name=last_name.strip(),
            nicknames=[n.strip() for n in nicknames if n.strip()],
            status=status,
            country=country_code,
        )
        contacts = _contacts(
            practice,
            client,
            emails=emails,
            phones=phones,
            handles=handles or {},
            region=country_code,
        )
        checked = _emergency(emergency, country_code)
        client.save()
        if checked is not None:  # sealed under the client's id, so only once it has one
            client.sealed_emergency_contact = seal_emergency_contact(client, checked)
            client.save(update_fields=["sealed_emergency_contact"])
        for contact in contacts:
            contact.client = client
        _store_contacts(contacts)
        details = {
            "status": status,
            "contacts": len(contacts),
            "emergency_contact": checked is not None,
        }
        record_action("client.add", client, actor, actor_label, details, practice=practice)
    return client


def _emergency(contact: EmergencyContact | None, region: str) -> EmergencyContact | None:
    if contact is None:
        return None
    try:
        return emergency_contact(contact.name, contact.phone, contact.relationship, region)
    except ContactError as error:
        raise ActionError(str(error)) from None


def do_set_emergency_contact(
    client: Client,
    emergency: EmergencyContact | None,
    *,
    actor: Any = None,
    actor_label: str = "",
) -> Client:
    """Record, replace or (with ``None``) remove the client's emergency contact, audited.

    The audit entry says only that one is recorded or not, never who it is.
    """
    checked = _emergency(emergency, client.country)
    with transaction.atomic():
        locked = Client.objects.select_for_update().get(pk=client.pk)
        if locked.is_erased:
            raise ActionError(f"client {client.pk} was erased")
        client.sealed_emergency_contact = seal_emergency_contact(client, checked)
        client.save(update_fields=["sealed_emergency_contact"])
        details = {"recorded": checked is not None}
        record_action("client.emergency_contact", client, actor, actor_label, details)
    return client


def do_update_client(
    client: Client,
    *,
    first_name: str,
    last_name: str,
    country: str,
    status: str,
    therapist: Therapist | None,
    emails: Iterable[str] = (),
    phones: Iterable[str] = (),
    handles: Mapping[str, str] | None = None,
    nicknames: Iterable[str] = (),
    actor: Any = None,
    actor_label: str = "",
) -> Client:
    """Change a client's register entry; the contacts given replace the ones recorded.

    The audit entry names the fields that changed, never their values.
    """
    _check_entry(first_name, last_name, status, therapist, client.practice_id)
    country_code = checked_country(country or client.practice.country)
    with transaction.atomic():
        locked = Client.objects.select_for_update().get(pk=client.pk)
        if locked.is_erased:
            raise ActionError(f"client {client.pk} was erased")
        contacts = _contacts(
            client.practice,
            client,
            emails=emails,
            phones=phones,
            handles=handles or {},
            region=country_code,
        )
        wanted = {
            "first_name": first_name.strip(),
            "last_name": last_name.strip(),
            "nicknames": [n.strip() for n in nicknames if n.strip()],
            "status": status,
            "country": country_code,
            "therapist_id": therapist.pk if therapist is not None else None,
        }
        changed = [name for name, value in wanted.items() if getattr(locked, name) != value]
        for name, value in wanted.items():
            setattr(client, name, value)
        if changed:
            client.save(update_fields=[name.removesuffix("_id") for name in changed])
        before = sorted(
            (c.kind, c.platform, c.value) for c in ClientContact.objects.filter(client=client)
        )
        after = sorted((c.kind, c.platform, c.value) for c in contacts)
        if before != after:
            changed.append("contacts")
            ClientContact.objects.filter(client=client).delete()
            _store_contacts(contacts)
        details = {
            "changed": [name.removesuffix("_id") for name in changed],
            "contacts": len(contacts),
        }
        record_action("client.update", client, actor, actor_label, details)
    return client


def do_set_client_status(
    client: Client, status: str, *, actor: Any = None, actor_label: str = ""
) -> Client:
    """Move a client between prospective, present and past, audited.

    Archiving is moving to ``past``: nothing is deleted, messages from a past
    client are triaged as from a past client, and it can be undone.
    """
    _check_status(status)
    with transaction.atomic():
        locked = Client.objects.select_for_update().get(pk=client.pk)
        if locked.is_erased:
            raise ActionError(f"client {client.pk} was erased")
        previous = locked.status
        client.status = status
        client.save(update_fields=["status"])
        record_action("client.status", client, actor, actor_label, {"from": previous, "to": status})
    return client
