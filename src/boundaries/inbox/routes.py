"""The addresses a practice receives on: email addresses or domains, SMS numbers, Meta ids.

A message finds its practice by the address it was sent to (``InboundRoute``).
Routes are added and removed only here, each with its audit entry, from the
first-run setup, the settings page and ``boundaries route``.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from boundaries.core.contacts import ContactError, normalise_email, normalise_phone
from boundaries.errors import ActionError
from boundaries.inbox.models import InboundRoute
from boundaries.practices.actions.common import record_action
from boundaries.practices.models import Practice

__all__ = ["KIND_NAMES", "do_add_route", "do_remove_route", "normalise_route", "routes_of"]

#: What each kind is called on screens and in the command's options.
KIND_NAMES = {
    InboundRoute.Kind.EMAIL: "email address or @domain",
    InboundRoute.Kind.SMS: "SMS number",
    InboundRoute.Kind.META_PAGE: "Facebook Page or Instagram account id",
}


def normalise_route(kind: str, address: str, country: str) -> str:
    """The address as routes store it, or ``ActionError`` saying what was expected."""
    value = address.strip()
    if kind == InboundRoute.Kind.EMAIL:
        if value.startswith("@"):
            domain = value[1:].lower().rstrip(".")
            labels = domain.split(".")
            if len(labels) < 2 or not all(
                label and label.replace("-", "").isalnum() for label in labels
            ):
                raise ActionError(f"{address!r} is not a domain such as @therapy.example.org")
            return "@" + domain
        try:
            return normalise_email(value)
        except ContactError:
            raise ActionError(
                f"{address!r} is not an email address (or a whole domain written @domain)"
            ) from None
    if kind == InboundRoute.Kind.SMS:
        try:
            return normalise_phone(value, country)
        except ContactError as error:
            raise ActionError(f"the SMS number: {error} (write it as +44..., +1...)") from None
    if kind == InboundRoute.Kind.META_PAGE:
        if not value.isdigit() or not 5 <= len(value) <= 25:
            raise ActionError(
                f"{address!r} is not a Page or Instagram account id (the digits Meta shows)"
            )
        return value
    raise ActionError(f"the kind of address is email, sms or meta_page, not {kind!r}")


def routes_of(practice: Practice) -> list[InboundRoute]:
    return list(InboundRoute.objects.filter(practice=practice).order_by("kind", "address"))


def do_add_route(
    practice: Practice, *, kind: str, address: str, actor: Any = None, actor_label: str = ""
) -> InboundRoute:
    """Receive messages sent to ADDRESS for PRACTICE; one practice per address."""
    value = normalise_route(kind, address, practice.country)
    with transaction.atomic():
        taken = InboundRoute.objects.filter(kind=kind, address=value).first()
        if taken is not None:
            if taken.practice_id == practice.pk:
                raise ActionError(f"{value} is already one of this practice's addresses")
            # Do not say whose: another practice's addresses are none of this one's business.
            raise ActionError(f"{value} already belongs to another practice on this installation")
        route = InboundRoute.objects.create(practice=practice, kind=kind, address=value)
        record_action("route.add", route, actor, actor_label, {"kind": kind}, practice=practice)
    return route


def do_remove_route(
    practice: Practice, *, route_id: int, actor: Any = None, actor_label: str = ""
) -> str:
    """Stop receiving on one of the practice's addresses; returns the address removed."""
    with transaction.atomic():
        route = InboundRoute.objects.filter(practice=practice, pk=route_id).first()
        if route is None:
            raise ActionError("that address is not one of this practice's")
        address = route.address
        record_action(
            "route.remove", route, actor, actor_label, {"kind": route.kind}, practice=practice
        )
        route.delete()
    return address
