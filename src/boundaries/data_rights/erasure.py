"""Erasing a client and deleting a practice: every row and stored file, and the audit kept."""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import ProtectedError, RestrictedError
from django_otp import devices_for_user

from boundaries import clock
from boundaries.audit.log import record
from boundaries.errors import ActionError
from boundaries.inbox.models import Message
from boundaries.portal.models import MagicLink, PortalAccount, SecureMessage
from boundaries.practices.actions.common import lock_practice, who_acted
from boundaries.practices.models import (
    AgendaItem,
    Appointment,
    Client,
    ClientContact,
    CommunicationAgreement,
    PolicyAcknowledgement,
    Practice,
    Therapist,
)
from boundaries.practices.scope import practice_scoped_models
from boundaries.vault.files import vault_storage
from boundaries.vault.models import VaultObject
from boundaries.welfare.models import WelfareCheck, WelfareEntry

logger = logging.getLogger(__name__)


@dataclass(slots=True)
class Removal:
    """What an erasure or a deletion removed: rows per model, and the vault files."""

    rows: Counter[str] = field(default_factory=Counter)
    files_removed: int = 0
    files_missing: list[str] = field(default_factory=list)

    def count(self, deleted: tuple[int, dict[str, int]]) -> None:
        self.rows.update({label.lower(): n for label, n in deleted[1].items() if n})


def _remove_vault_files(names: list[str], removal: Removal) -> None:
    """Delete encrypted files from the vault storage, after their rows are gone.

    Runs after the transaction: a file whose row survived a rollback must not
    vanish. A file that cannot be deleted is named (by storage name, which says
    nothing about its content) so the operator can remove it by hand.
    """

    storage = vault_storage()
    for name in names:
        try:
            if storage.exists(name):
                storage.delete(name)
                removal.files_removed += 1
            else:
                removal.files_missing.append(name)
        except OSError:
            logger.warning("vault file %s could not be deleted", name)
            removal.files_missing.append(name)


def _retire_user(user: Any, removal: Removal) -> None:
    """Delete a sign-in account, or blank it when the audit log names it as an actor.

    Audit entries point at their actor with PROTECT and are never changed, so such
    an account stays as an inactive tombstone: no name, no email, no password, no
    second factor; it can never sign in again.
    """
    try:
        with transaction.atomic():
            removal.count(user.delete())
            return
    except (ProtectedError, RestrictedError):
        pass

    for device in devices_for_user(user, confirmed=None):
        device.delete()
    user.username = f"deleted-user-{user.pk}"
    user.email = ""
    user.first_name = ""
    user.last_name = ""
    user.is_active = False
    user.set_unusable_password()
    user.save()
    removal.rows["accounts.retired_user"] += 1


def do_erase_client(
    client: Client, *, actor: Any = None, actor_label: str = "", reason: str
) -> Removal:
    """A client's right to erasure: remove their content and contact details.

    Kept, because the records policy says they must be (docs/operators.md,
    "Clients' data rights"): the client's welfare checks (clause no-searching;
    append-only, the break-glass record) and the audit log (hash-chained, never
    changed; it holds ids and decisions, no content). The client row stays as a
    tombstone so both still point somewhere: no names, no nicknames, no
    contacts, no emergency contact, status "past", ``erased_at`` set. Everything
    else goes: contacts, agreements, appointments, agenda items, inbound
    messages and their decisions, portal messages, vault files (from storage
    too), acknowledgements, sign-in links and the portal account.
    """

    if not reason.strip():
        raise ActionError("say why the client's data is erased (it is recorded in the audit log)")
    removal = Removal()
    with transaction.atomic():
        Client.objects.select_for_update().filter(pk=client.pk).first()  # one erasure at a time
        client.refresh_from_db()
        if client.is_erased:
            raise ActionError(f"client {client.pk} was already erased")
        files = list(
            VaultObject.objects.filter(client=client).values_list("storage_name", flat=True)
        )
        portal = PortalAccount.objects.filter(client=client).select_related("user").first()
        for queryset in (
            SecureMessage.objects.filter(client=client),
            Message.objects.filter(practice_id=client.practice_id, client=client),
            VaultObject.objects.filter(client=client),
            AgendaItem.objects.filter(client=client),
            Appointment.objects.filter(client=client),
            PolicyAcknowledgement.objects.filter(client=client),
            CommunicationAgreement.objects.filter(client=client),
            ClientContact.objects.filter(client=client),
            MagicLink.objects.filter(client=client),
        ):
            # Querysets, not instances: agreements refuse instance.delete() to keep
            # history from ordinary code; erasure is the one place that overrides it.
            removal.count(queryset.delete())
        if portal is not None:
            user = portal.user
            removal.count(portal.delete())
            _retire_user(user, removal)
        client.first_name = "Erased"
        client.last_name = "client"
        client.nicknames = []
        client.sealed_emergency_contact = b""
        client.erased_at = clock.now()
        # A past client: no notices or reminders are attempted for a row with no contacts.
        client.status = Client.Status.PAST
        client.save(
            update_fields=[
                "first_name",
                "last_name",
                "nicknames",
                "sealed_emergency_contact",
                "erased_at",
                "status",
            ]
        )
        record(
            action="client.erased",
            obj=client,
            practice=client.practice,
            actor=actor,
            actor_label=who_acted(actor, actor_label),
            reason=reason,
            details={"removed": dict(sorted(removal.rows.items())), "files": len(files)},
        )
    _remove_vault_files(files, removal)
    return removal


def _delete_welfare_records(practice: Practice, removal: Removal) -> None:
    """Welfare entries point at the entries they correct (PROTECT): remove leaves first."""

    entries = WelfareEntry.objects.filter(check_record__practice=practice)
    while ids := set(entries.values_list("pk", flat=True)):
        referenced = set(entries.filter(corrects__isnull=False).values_list("corrects", flat=True))
        removal.count(WelfareEntry.objects.filter(pk__in=ids - referenced).delete())
    removal.count(WelfareCheck.objects.filter(practice=practice).delete())


def do_delete_practice(
    practice: Practice, *, confirm: str, actor_label: str = "operator"
) -> Removal:
    """Remove everything of a practice, for an operator whose customer has left.

    Every row that belongs to the practice (found by ``scope.practice_scoped_models``,
    so tables added later are included) is deleted, welfare checks too: the practice,
    the records' controller, takes them with ``boundaries practice export`` first.
    The audit log is kept whole, so the chain still verifies; its entries point at
    the practice row, which stays as a tombstone: name blanked, address freed,
    status ``deleted``. Sign-in accounts are deleted, or blanked and made inactive
    where the audit log names them. Vault files are deleted from storage after
    the rows.
    """

    if confirm != practice.slug:
        raise ActionError(
            f"to delete it, confirm with the practice's address name {practice.slug!r}"
        )
    if not practice.is_active:
        raise ActionError("that practice has already been deleted")

    removal = Removal()
    user_model = get_user_model()
    with transaction.atomic():
        practice = lock_practice(practice.pk)
        files = list(
            VaultObject.objects.filter(practice=practice).values_list("storage_name", flat=True)
        )
        user_ids = set(
            Therapist.objects.filter(practice=practice).values_list("user_id", flat=True)
        )
        user_ids |= set(
            PortalAccount.objects.filter(client__practice=practice).values_list(
                "user_id", flat=True
            )
        )
        _delete_welfare_records(practice, removal)
        removal.count(PolicyAcknowledgement.objects.filter(practice=practice).delete())
        pending = [(model, path) for model, path in practice_scoped_models() if path]
        for _round in range(len(pending) + 1):
            blocked = []
            for model, path in pending:
                queryset = model._base_manager.filter(**{path: practice})
                try:
                    with transaction.atomic():
                        removal.count(queryset.delete())
                except (ProtectedError, RestrictedError):
                    blocked.append((model, path))  # another table still points at it: later
            if not blocked:
                break
            pending = blocked
        else:
            names = ", ".join(model._meta.label for model, _ in pending)
            raise ActionError(f"could not delete the practice's rows in: {names}")
        for user in user_model._default_manager.filter(pk__in=user_ids):
            _retire_user(user, removal)
        practice.name = "Deleted practice"
        practice.slug = f"deleted-{practice.pk}"
        practice.professional_body = ""
        practice.status = Practice.Status.DELETED
        practice.deleted_at = clock.now()
        practice.save(update_fields=["name", "slug", "professional_body", "status", "deleted_at"])
        record(
            action="practice.deleted",
            obj=practice,
            practice=practice,
            actor_label=actor_label,
            details={"removed": dict(sorted(removal.rows.items())), "files": len(files)},
        )
    _remove_vault_files(files, removal)
    logger.info(
        "practice %s deleted: %s rows, %s vault files",
        practice.pk,
        sum(removal.rows.values()),
        removal.files_removed,
    )
    return removal
