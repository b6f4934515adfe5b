"""Every change to practices, clients, agreements, agenda and policy versions.

Each ``do_*`` validates, writes, and appends its audit entry in one
transaction; nothing else writes these models. Errors are ``ActionError`` with
a message fit to show a therapist (it never repeats client content).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils import timezone
from django.utils.text import slugify

from boundaries.audit.log import append, record
from boundaries.audit.log import entry as audit_entry
from boundaries.audit.models import AuditEntry
from boundaries.core.contacts import (
    ContactError,
    normalise_email,
    normalise_handle,
    normalise_phone,
)
from boundaries.core.types import AgreedChannel, ReminderDetail
from boundaries.errors import ActionError
from boundaries.practices.emergency import (
    EmergencyContact,
    emergency_contact,
    seal_emergency_contact,
)
from boundaries.practices.models import (
    AgendaItem,
    Appointment,
    Client,
    ClientContact,
    CommunicationAgreement,
    PolicyAcknowledgement,
    PolicyVersion,
    Practice,
    PracticeDomain,
    Therapist,
    next_appointments,
)
from boundaries.sql import insert_all

logger = logging.getLogger(__name__)


def _label(actor: Any, actor_label: str) -> str:
    if actor is not None and getattr(actor, "is_authenticated", False):
        return str(actor.get_username())
    return actor_label or "system"


def _country(value: str) -> str:
    code = value.strip().upper()
    if len(code) != 2 or not code.isalpha():
        raise ActionError(f"country must be a two-letter ISO code such as GB or US, not {value!r}")
    return code


def _timezone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ActionError(
            f"timezone must be an IANA name such as Europe/London, not {name!r}"
        ) from None
    return name


def _limit(name: str, value: int) -> int:
    if value < 0:
        raise ActionError(f"{name} must be 0 (no limit) or more, not {value}")
    return value


def do_create_practice(
    *,
    name: str,
    country: str,
    timezone_name: str = "Europe/London",
    professional_body: str = "",
    slug: str = "",
    domains: Iterable[str] = (),
    max_clients: int = 0,
    max_vault_bytes: int = 0,
    max_messages_per_day: int = 0,
    actor_label: str = "operator",
) -> Practice:
    if not name.strip():
        raise ActionError("a practice needs a name")
    slug = slug or slugify(name)[:60]
    if not slug or slug != slugify(slug) or len(slug) > 60:  # it is part of the site's addresses
        raise ActionError(
            "an address name is up to 60 lower-case letters, digits and hyphens, "
            f"such as 'harbour-light', not {slug!r}"
        )
    if slug.startswith("deleted-"):
        raise ActionError("addresses starting 'deleted-' are kept for deleted practices")
    with transaction.atomic():
        if Practice.objects.filter(slug=slug).exists():
            raise ActionError(f"a practice with the address name {slug!r} already exists")
        practice = Practice.objects.create(
            name=name.strip(),
            slug=slug,
            country=_country(country),
            timezone=_timezone(timezone_name),
            professional_body=professional_body,
            max_clients=_limit("the client limit", max_clients),
            max_vault_bytes=_limit("the storage limit", max_vault_bytes),
            max_messages_per_day=_limit("the daily message limit", max_messages_per_day),
        )
        record(
            action="practice.create",
            obj=practice,
            practice=practice,
            actor_label=actor_label,
            details={
                "max_clients": max_clients,
                "max_vault_bytes": max_vault_bytes,
                "max_messages_per_day": max_messages_per_day,
            },
        )
        for hostname in domains:
            do_add_domain(practice, hostname, actor_label=actor_label)
    return practice


# ---------------------------------------------------------------------------- domains

_LABEL_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-")


def normalise_hostname(value: str) -> str:
    """A host name as requests will carry it: lower-case, IDNA (``xn--``), no port or dot.

    Refuses what is not a plain DNS name: schemes, paths, ports, wildcards, IP
    addresses and single labels, each with a message that says which.
    """
    text = value.strip().lower().rstrip(".")
    if not text:
        raise ActionError("a domain is needed, e.g. policy.example.org")
    if "://" in text or "/" in text:
        raise ActionError(f"give the host name only, without https:// or a path: {value!r}")
    if ":" in text:
        raise ActionError(f"give the host name without a port: {value!r}")
    if "*" in text:
        raise ActionError("a practice's domain is one host name; wildcards go in settings")
    try:
        text = text.encode("idna").decode("ascii")
    except UnicodeError:
        raise ActionError(f"{value!r} is not a valid host name") from None
    labels = text.split(".")
    if len(text) > 253 or len(labels) < 2:  # DNS: 253 characters; a dot at least
        raise ActionError(f"{value!r} is not a full host name such as policy.example.org")
    for label in labels:
        if not 1 <= len(label) <= 63 or not set(label) <= _LABEL_CHARS:  # RFC 1035
            raise ActionError(f"{value!r} is not a valid host name")
        if label.startswith("-") or label.endswith("-"):
            raise ActionError(f"{value!r} is not a valid host name")
    if labels[-1].isdigit():
        raise ActionError("an IP address cannot be a practice's domain; use a host name")
    return text


def do_add_domain(
    practice: Practice, hostname: str, *, actor_label: str = "operator"
) -> PracticeDomain:
    """Serve the practice's public site at ``/`` on ``hostname`` (unique across practices)."""
    from boundaries.site.hosts import django_host_patterns

    name = normalise_hostname(hostname)
    if name in django_host_patterns(settings.BOUNDARIES_ALLOWED_HOSTS):
        raise ActionError(
            f"{name} is one of this installation's own host names (BOUNDARIES_ALLOWED_HOSTS)"
        )
    if not practice.is_active:
        raise ActionError("that practice has been deleted")
    with transaction.atomic():
        owner = PracticeDomain.objects.filter(hostname=name).select_related("practice").first()
        if owner is not None:
            where = "this practice" if owner.practice_id == practice.pk else "another practice"
            raise ActionError(f"{name} is already the domain of {where}")
        try:
            with transaction.atomic():
                domain = PracticeDomain.objects.create(practice=practice, hostname=name)
        except IntegrityError:
            raise ActionError(f"{name} is already the domain of another practice") from None
        record(
            action="practice.domain_added",
            obj=domain,
            practice=practice,
            actor_label=actor_label,
            details={"hostname": name},
        )
    return domain


def do_remove_domain(practice: Practice, hostname: str, *, actor_label: str = "operator") -> None:
    name = normalise_hostname(hostname)
    with transaction.atomic():
        domain = PracticeDomain.objects.filter(practice=practice, hostname=name).first()
        if domain is None:
            raise ActionError(f"{name} is not a domain of this practice")
        record(
            action="practice.domain_removed",
            obj=domain,
            practice=practice,
            actor_label=actor_label,
            details={"hostname": name},
        )
        domain.delete()


# ---------------------------------------------------------------------------- limits


def do_set_practice_limits(
    practice: Practice,
    *,
    max_clients: int | None = None,
    max_vault_bytes: int | None = None,
    max_messages_per_day: int | None = None,
    actor_label: str = "operator",
) -> Practice:
    """Change a practice's limits (0 = no limit); only the ones given change."""
    changes = {
        name: _limit(name.replace("_", " "), value)
        for name, value in (
            ("max_clients", max_clients),
            ("max_vault_bytes", max_vault_bytes),
            ("max_messages_per_day", max_messages_per_day),
        )
        if value is not None
    }
    if not changes:
        raise ActionError("say which limit to change")
    with transaction.atomic():
        for name, value in changes.items():
            setattr(practice, name, value)
        practice.save(update_fields=list(changes))
        record(
            action="practice.limits",
            obj=practice,
            practice=practice,
            actor_label=actor_label,
            details=changes,
        )
    return practice


def _locked(practice_id: int) -> Practice:
    """The practice row, locked to the end of the transaction, so two changes that
    check a limit queue instead of both passing it."""
    return Practice.objects.select_for_update().get(pk=practice_id)


def note_inbound_limit(practice: Practice, now: dt.datetime, arriving: int = 1) -> list[bool]:
    """For each of ``arriving`` messages arriving now, in order: is it over the daily limit?

    Over the limit, a message is still stored, triaged and acted on: refusing it
    could lose a crisis, which is the worst failure this system can have. It is
    flagged (``Message.over_daily_limit``) and the operator is told in the logs.
    """
    if not practice.max_messages_per_day:
        return [False] * arriving
    from boundaries.inbox.models import Message

    received = Message.objects.filter(
        practice_id=practice.pk, received_at__gt=now - dt.timedelta(days=1)
    ).count()
    flags = [received + n >= practice.max_messages_per_day for n in range(arriving)]
    if flags and flags[-1]:
        logger.warning(
            "practice %s is over its daily message limit (%s in 24 hours, limit %s): "
            "message stored, triaged and flagged",
            practice.pk,
            received + arriving,
            practice.max_messages_per_day,
        )
    return flags


def do_add_therapist(
    practice: Practice,
    *,
    username: str,
    password: str | None,
    display_name: str,
    email: str = "",
    role: str = Therapist.Role.THERAPIST,
    actor: Any = None,
    actor_label: str = "",
) -> Therapist:
    user_model = get_user_model()
    with transaction.atomic():
        if user_model.objects.filter(username=username).exists():
            raise ActionError(f"the username {username!r} is taken")
        user = user_model.objects.create_user(username=username, email=email, password=password)
        therapist = Therapist.objects.create(
            user=user, practice=practice, role=role, display_name=display_name
        )
        record(
            action="therapist.add",
            obj=therapist,
            practice=practice,
            actor=actor,
            actor_label=_label(actor, actor_label),
            details={"role": role},
        )
    return therapist


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
    if not first_name.strip() or not last_name.strip():
        raise ActionError("a client needs a first and a last name")
    if status not in Client.Status.values:
        raise ActionError(
            f"status must be one of {', '.join(Client.Status.values)}, not {status!r}"
        )
    if therapist is not None and therapist.practice_id != practice.pk:
        raise ActionError("that therapist belongs to another practice")
    country_code = _country(country or practice.country)
    with transaction.atomic():
        locked = _locked(practice.pk)
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
        try:
            with transaction.atomic():
                ClientContact.objects.bulk_create(contacts)
        except IntegrityError:
            raise ActionError("the same email, phone or handle is listed twice") from None
        record(
            action="client.add",
            obj=client,
            practice=practice,
            actor=actor,
            actor_label=_label(actor, actor_label),
            details={
                "status": status,
                "contacts": len(contacts),
                "emergency_contact": checked is not None,
            },
        )
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
        record(
            action="client.emergency_contact",
            obj=client,
            practice=client.practice,
            actor=actor,
            actor_label=_label(actor, actor_label),
            details={"recorded": checked is not None},
        )
    return client


def do_set_client_status(
    client: Client, status: str, *, actor: Any = None, actor_label: str = "", reason: str = ""
) -> Client:
    if status not in Client.Status.values:
        raise ActionError(
            f"status must be one of {', '.join(Client.Status.values)}, not {status!r}"
        )
    with transaction.atomic():
        old = client.status
        client.status = status
        client.save(update_fields=["status"])
        record(
            action="client.status",
            obj=client,
            practice=client.practice,
            actor=actor,
            actor_label=_label(actor, actor_label),
            reason=reason,
            details={"from": old, "to": status},
        )
    return client


def do_add_agenda_item(
    client: Client,
    *,
    kind: str,
    source: str,
    note: str = "",
    actor: Any = None,
    actor_label: str = "",
) -> AgendaItem:
    return do_add_agenda_items(
        [(client, kind, note)], source=source, actor=actor, actor_label=actor_label
    )[0]


def do_add_agenda_items(
    wanted: Sequence[tuple[Client, str, str]],
    *,
    source: str,
    actor: Any = None,
    actor_label: str = "",
) -> list[AgendaItem]:
    """Add (client, kind, note) items, each on its client's next appointment, in one go."""
    items = agenda_items(wanted, source=source)
    practices = Practice.objects.in_bulk({item.practice_id for item in items})
    with transaction.atomic():
        insert_all(items)
        append(agenda_entries(items, practices, actor=actor, actor_label=actor_label))
    return items


def agenda_items(wanted: Sequence[tuple[Client, str, str]], *, source: str) -> list[AgendaItem]:
    """Unsaved agenda items for (client, kind, note), each on its client's next appointment.

    For a caller that saves them in a transaction of its own, together with
    ``agenda_entries`` for the audit log (the inbox's group commit).
    """
    for _, kind, _ in wanted:
        if kind not in AgendaItem.Kind.values:
            raise ActionError(f"unknown agenda kind {kind!r}")
    if source not in AgendaItem.Source.values:
        raise ActionError(f"unknown agenda source {source!r}")
    if not wanted:
        return []
    next_ones = next_appointments(client.pk for client, _, _ in wanted)
    return [
        AgendaItem(
            practice_id=client.practice_id,
            client=client,
            appointment=next_ones.get(client.pk),
            kind=kind,
            source=source,
            note=note[:500],
        )
        for client, kind, note in wanted
    ]


def agenda_entries(
    items: Sequence[AgendaItem],
    practices: Mapping[int, Practice],
    *,
    actor: Any = None,
    actor_label: str = "",
) -> list[AuditEntry]:
    """The audit entries for saved agenda items (``practices`` by id holds their practices)."""
    label = _label(actor, actor_label)
    return [
        audit_entry(
            action="agenda.add",
            obj=item,
            practice=practices[item.practice_id],
            actor=actor,
            actor_label=label,
            details={"client": item.client.pk, "kind": item.kind, "source": item.source},
        )
        for item in items
    ]


def do_mark_agenda_discussed(
    item: AgendaItem, *, note: str = "", actor: Any = None, actor_label: str = ""
) -> AgendaItem:
    if item.discussed_at is not None:
        raise ActionError("this agenda item is already marked as discussed")
    with transaction.atomic():
        item.discussed_at = timezone.now()
        item.discussed_note = note[:1000]
        item.save(update_fields=["discussed_at", "discussed_note"])
        record(
            action="agenda.discussed",
            obj=item,
            practice=item.client.practice,
            actor=actor,
            actor_label=_label(actor, actor_label),
        )
    return item


def do_set_agreement(
    client: Client,
    *,
    channels: Iterable[str],
    reminder_detail: str = ReminderDetail.DISCREET,
    session_content_by_email: bool = False,
    session_content_agreed_on: dt.date | None = None,
    session_content_terms: str = "",
    note: str = "",
    source: str = AgendaItem.Source.THERAPIST,
    actor: Any = None,
    actor_label: str = "",
) -> CommunicationAgreement:
    """Record a new agreement version; a change is put on the next session's agenda.

    Clause ``no-social-business``: a client may limit the channels used with
    them; the choice is recorded and "discuss communication arrangements" goes
    on the agenda. Clause ``session-content-email``: session content by email
    needs the date it was agreed and its terms.
    """
    try:
        agreed = sorted({AgreedChannel(c.strip().lower()).value for c in channels if c.strip()})
    except ValueError:
        valid = ", ".join(c.value for c in AgreedChannel)
        raise ActionError(f"channels must be among {valid}") from None
    if reminder_detail not in {d.value for d in ReminderDetail}:
        raise ActionError("reminder detail must be 'discreet' or 'standard'")
    if session_content_by_email:
        if AgreedChannel.EMAIL.value not in agreed:
            raise ActionError("session content by email needs email among the agreed channels")
        if session_content_agreed_on is None or not session_content_terms.strip():
            raise ActionError(
                "session content by email needs the date it was agreed and the terms agreed"
            )
    with transaction.atomic():
        # Lock the client row so two concurrent changes cannot take the same version number.
        Client.objects.select_for_update().filter(pk=client.pk).first()
        previous = client.current_agreement()
        agreement = CommunicationAgreement.objects.create(
            practice_id=client.practice_id,
            client=client,
            version=(previous.version + 1) if previous else 1,
            channels=agreed,
            reminder_detail=reminder_detail,
            session_content_by_email=session_content_by_email,
            session_content_agreed_on=session_content_agreed_on
            if session_content_by_email
            else None,
            session_content_terms=session_content_terms.strip() if session_content_by_email else "",
            note=note[:500],
            recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
            recorded_by_label=_label(actor, actor_label),
        )
        record(
            action="agreement.set",
            obj=agreement,
            practice=client.practice,
            actor=actor,
            actor_label=_label(actor, actor_label),
            details={
                "client": client.pk,
                "version": agreement.version,
                "channels": agreed,
                "reminder_detail": reminder_detail,
                "session_content_by_email": session_content_by_email,
                "source": source,
            },
        )
        if previous is not None or source == AgendaItem.Source.PORTAL:
            do_add_agenda_item(
                client,
                kind=AgendaItem.Kind.COMMUNICATION,
                source=AgendaItem.Source.AGREEMENT,
                note=f"Agreement changed to version {agreement.version}",
                actor=actor,
                actor_label=actor_label,
            )
    return agreement


def do_add_appointment(
    client: Client,
    *,
    starts_at: dt.datetime,
    duration: dt.timedelta = dt.timedelta(minutes=50),
    uid: str = "",
    source: str = "manual",
    actor: Any = None,
    actor_label: str = "",
) -> Appointment:
    if timezone.is_naive(starts_at):
        raise ActionError("an appointment time needs a timezone")
    with transaction.atomic():
        appointment = Appointment.objects.create(
            practice_id=client.practice_id,
            client=client,
            therapist=client.therapist,
            starts_at=starts_at,
            ends_at=starts_at + duration,
            uid=uid or f"appt-{client.pk}-{int(starts_at.timestamp())}",
            source=source,
        )
        # Agenda items waiting for "the next session" attach to it if it is the earliest.
        AgendaItem.objects.filter(
            client=client, discussed_at__isnull=True, appointment__isnull=True
        ).update(appointment=appointment)
        record(
            action="appointment.add",
            obj=appointment,
            practice=client.practice,
            actor=actor,
            actor_label=_label(actor, actor_label),
            details={"client": client.pk},
        )
    return appointment


def do_publish_policy(
    practice: Practice,
    *,
    source: str,
    filename: str = "policy.toml",
    summary: str,
    effective_date: dt.date | None = None,
    actor: Any = None,
    actor_label: str = "",
) -> PolicyVersion:
    """Validate and publish a new immutable version (clause ``amendments``)."""
    from boundaries.core.policy.loader import load_policy
    from boundaries.core.policy.versions import content_hash, policy_to_dict

    policy = load_policy(source, filename=filename)  # raises PolicyError, one clear line
    if policy.practice.country != practice.country:
        raise ActionError(
            f"the policy is for country {policy.practice.country} "
            f"but the practice is in {practice.country}"
        )
    if not summary.strip():
        raise ActionError("say in a few words what changed (the change summary is published)")
    digest = content_hash(policy)
    with transaction.atomic():
        Practice.objects.select_for_update().filter(pk=practice.pk).first()
        current = practice.current_policy()
        if current is not None and current.content_hash == digest:
            raise ActionError(
                f"nothing changed: the policy is identical to version {current.number}"
            )
        version = PolicyVersion.objects.create(
            practice=practice,
            number=(current.number + 1) if current else 1,
            source=source,
            data=policy_to_dict(policy),
            content_hash=digest,
            effective_date=effective_date or timezone.localdate(),
            summary=summary.strip()[:500],
            published_by_label=_label(actor, actor_label),
        )
        record(
            action="policy.publish",
            obj=version,
            practice=practice,
            actor=actor,
            actor_label=_label(actor, actor_label),
            details={"number": version.number, "hash": digest},
        )
        if version.number > 1:
            # Clause amendments: every present client is told (without content) and asked
            # to acknowledge it in the portal. Queued in this transaction: all or nothing.
            from boundaries.portal.tasks import notify_clients_of_new_policy

            notify_clients_of_new_policy.enqueue(version.pk)
    return version


# ---------------------------------------------------------------------------- data rights


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
    from boundaries.vault.files import vault_storage

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
    from django_otp import devices_for_user

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
    from boundaries.inbox.models import Message
    from boundaries.portal.models import MagicLink, PortalAccount, SecureMessage
    from boundaries.vault.models import VaultObject

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
        client.erased_at = timezone.now()
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
            actor_label=_label(actor, actor_label),
            reason=reason,
            details={"removed": dict(sorted(removal.rows.items())), "files": len(files)},
        )
    _remove_vault_files(files, removal)
    return removal


def _delete_welfare_records(practice: Practice, removal: Removal) -> None:
    """Welfare entries point at the entries they correct (PROTECT): remove leaves first."""
    from boundaries.welfare.models import WelfareCheck, WelfareEntry

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
    from boundaries.practices.scope import practice_scoped_models

    if confirm != practice.slug:
        raise ActionError(
            f"to delete it, confirm with the practice's address name {practice.slug!r}"
        )
    if not practice.is_active:
        raise ActionError("that practice has already been deleted")
    from boundaries.portal.models import PortalAccount
    from boundaries.vault.models import VaultObject

    removal = Removal()
    user_model = get_user_model()
    with transaction.atomic():
        practice = _locked(practice.pk)
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
        practice.deleted_at = timezone.now()
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
