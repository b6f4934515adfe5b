"""A practice's own host names (its public site and portal on a domain of its own)."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db import IntegrityError, transaction

from boundaries.audit.log import record
from boundaries.errors import ActionError
from boundaries.practices.models import (
    Practice,
    PracticeDomain,
)

_LABEL_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-")


def django_host_patterns(patterns: Iterable[str]) -> list[str]:
    """``*.example.net`` (as operators often write it) becomes Django's ``.example.net``."""
    return [p[1:] if p.startswith("*.") else p for p in (q.strip().lower() for q in patterns) if p]


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
