"""A practice's own details, its therapists' alert contacts and roles, set after creation.

Used by the first-run setup, the settings page and ``boundaries setup``; each
change writes its audit entry (which fields changed, never their values where
they are personal) in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from boundaries.audit.log import record
from boundaries.core.contacts import ContactError, normalise_email, normalise_phone
from boundaries.errors import ActionError
from boundaries.practices.actions.common import checked_timezone, record_action, who_acted
from boundaries.practices.models import Practice, Therapist

__all__ = [
    "do_join_as_owner",
    "do_set_alert_contacts",
    "do_set_practice_details",
    "do_set_therapist_role",
]


def do_set_practice_details(
    practice: Practice,
    *,
    name: str,
    timezone_name: str,
    professional_body: str = "",
    actor: Any = None,
    actor_label: str = "",
) -> Practice:
    """Rename the practice, change its time zone or professional body."""
    if not name.strip():
        raise ActionError("a practice needs a name")
    values = {
        "name": name.strip()[:200],
        "timezone": checked_timezone(timezone_name.strip()),
        "professional_body": professional_body.strip()[:200],
    }
    _save_changes(practice, values, "practice.details", actor, actor_label)
    return practice


def do_set_alert_contacts(
    therapist: Therapist,
    *,
    alert_email: str,
    alert_phone: str,
    digest_time: dt.time | None = None,
    actor: Any = None,
    actor_label: str = "",
) -> Therapist:
    """Where urgent alerts go: an email address (else the sign-in email) and a phone for texts."""
    values: dict[str, Any] = {"alert_email": "", "alert_phone": ""}
    if alert_email.strip():
        try:
            values["alert_email"] = normalise_email(alert_email)
        except ContactError:
            raise ActionError(f"{alert_email.strip()!r} is not an email address") from None
    if alert_phone.strip():
        try:
            values["alert_phone"] = normalise_phone(alert_phone, therapist.practice.country)
        except ContactError as error:
            raise ActionError(f"the alert phone: {error} (write it as +44..., +1...)") from None
    if digest_time is not None:
        values["digest_time"] = digest_time
    _save_changes(therapist, values, "therapist.alert_contacts", actor, actor_label)
    return therapist


def do_set_therapist_role(
    therapist: Therapist, *, role: str, actor: Any = None, actor_label: str = ""
) -> Therapist:
    """Make a therapist an owner (sees every client, manages the practice) or not.

    A practice always keeps at least one owner.
    """
    if role not in Therapist.Role.values:
        raise ActionError(f"a role is one of {', '.join(Therapist.Role.values)}, not {role!r}")
    if therapist.role == role:
        return therapist
    with transaction.atomic():
        Practice.objects.select_for_update().filter(pk=therapist.practice_id).first()
        owners = Therapist.objects.filter(practice_id=therapist.practice_id, role="owner")
        if therapist.role == Therapist.Role.OWNER and owners.count() <= 1:
            raise ActionError("a practice needs at least one owner: make someone else owner first")
        before = therapist.role
        therapist.role = role
        therapist.save(update_fields=["role"])
        record_action("therapist.role", therapist, actor, actor_label, {"from": before, "to": role})
    return therapist


def do_join_as_owner(
    practice: Practice, user: Any, *, display_name: str, actor_label: str = ""
) -> Therapist:
    """Make an existing account (the person running the first-run setup) the practice's owner."""
    if not display_name.strip():
        raise ActionError("say the name clients know you by")
    with transaction.atomic():
        if Therapist.objects.filter(user=user).exists():
            raise ActionError("this account already belongs to a practice")
        therapist = Therapist.objects.create(
            user=user,
            practice=practice,
            role=Therapist.Role.OWNER,
            display_name=display_name.strip()[:200],
        )
        record(
            action="therapist.add",
            obj=therapist,
            practice=practice,
            actor=user,
            actor_label=who_acted(user, actor_label),
            details={"role": Therapist.Role.OWNER, "joined": "setup"},
        )
    return therapist


def _save_changes(
    obj: Practice | Therapist, values: dict[str, Any], action: str, actor: Any, actor_label: str
) -> None:
    """Save the ``values`` that differ from ``obj``'s, audited by the names of the fields
    that changed (never their values, which may be personal); nothing when none did."""
    changed = [field for field, value in values.items() if getattr(obj, field) != value]
    if not changed:
        return
    with transaction.atomic():
        for field in changed:
            setattr(obj, field, values[field])
        obj.save(update_fields=changed)
        record_action(action, obj, actor, actor_label, {"changed": changed})
