"""A client's emergency contact: someone the therapist may ring when the client is at risk.

Stored sealed on the client row (envelope encryption, as welfare entries and
portal messages are): it names a third person, it is never looked up by
value, and nothing but the therapist's urgent-item screen and the client's own
data export reads it. Changes go through ``actions.do_set_emergency_contact``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from boundaries.core.contacts import ContactError, normalise_phone
from boundaries.sealed import seal_json, unseal_json

__all__ = [
    "MAX_NAME",
    "MAX_RELATIONSHIP",
    "EmergencyContact",
    "emergency_contact",
    "emergency_contact_of",
    "seal_emergency_contact",
]

MAX_NAME = 200
MAX_RELATIONSHIP = 100


@dataclass(frozen=True, slots=True)
class EmergencyContact:
    name: str
    phone: str  # E.164
    relationship: str = ""

    def as_dict(self) -> dict[str, str]:
        return {"name": self.name, "phone": self.phone, "relationship": self.relationship}


def emergency_contact(name: str, phone: str, relationship: str, region: str) -> EmergencyContact:
    """A checked contact: a name, a valid phone (stored in E.164), an optional relationship.

    Raises ``ContactError`` with a message fit to show (it never repeats the values).
    """
    name, relationship = name.strip(), relationship.strip()
    if not name or not phone.strip():
        raise ContactError("an emergency contact needs a name and a phone number")
    if len(name) > MAX_NAME:
        raise ContactError(f"an emergency contact's name can be at most {MAX_NAME} characters")
    if len(relationship) > MAX_RELATIONSHIP:
        raise ContactError(f"the relationship can be at most {MAX_RELATIONSHIP} characters")
    return EmergencyContact(name, normalise_phone(phone, region), relationship)


def _object_id(client: Any) -> str:
    # Bound to the practice and the client: a blob copied onto another row does not open.
    return f"client-emergency:{client.practice_id}:{client.pk}"


def seal_emergency_contact(client: Any, contact: EmergencyContact | None) -> bytes:
    """The sealed column's value: empty when no contact is recorded."""
    if contact is None:
        return b""
    return seal_json(contact.as_dict(), object_id=_object_id(client))


def emergency_contact_of(client: Any) -> EmergencyContact | None:
    """The client's emergency contact, opened; ``None`` when none is recorded."""
    blob = bytes(client.sealed_emergency_contact or b"")
    if not blob:
        return None
    values = unseal_json(blob, object_id=_object_id(client))
    return EmergencyContact(values["name"], values["phone"], values.get("relationship", ""))
