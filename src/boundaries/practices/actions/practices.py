"""Creating practices, setting their limits (applied by ``inbox.limits``), adding therapists."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.text import slugify

from boundaries.audit.log import record
from boundaries.errors import ActionError
from boundaries.practices.actions.common import (
    checked_country,
    checked_limit,
    checked_timezone,
    record_action,
)
from boundaries.practices.actions.domains import do_add_domain
from boundaries.practices.models import Practice, Therapist


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
            country=checked_country(country),
            timezone=checked_timezone(timezone_name),
            professional_body=professional_body,
            max_clients=checked_limit("the client limit", max_clients),
            max_vault_bytes=checked_limit("the storage limit", max_vault_bytes),
            max_messages_per_day=checked_limit("the daily message limit", max_messages_per_day),
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
        name: checked_limit(name.replace("_", " "), value)
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


def do_set_reminder_quiet_hours(
    practice: Practice, *, start: dt.time, end: dt.time, actor: Any = None, actor_label: str = ""
) -> Practice:
    """The practice's quiet hours for reminders, local time (equal times: none).

    A client's agreement may set their own; this is the default for the rest.
    """
    with transaction.atomic():
        practice.reminder_quiet_start = start
        practice.reminder_quiet_end = end
        practice.save(update_fields=["reminder_quiet_start", "reminder_quiet_end"])
        details = {"start": f"{start:%H:%M}", "end": f"{end:%H:%M}"}
        record_action("practice.reminder_quiet_hours", practice, actor, actor_label, details)
    return practice


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
        record_action(
            "therapist.add", therapist, actor, actor_label, {"role": role}, practice=practice
        )
    return therapist
