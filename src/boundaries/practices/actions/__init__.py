"""Every change to practices, clients, agreements, agenda and policy versions, one module a topic.

Erasing a client and deleting a practice live above, in ``boundaries.data_rights``;
publishing a policy version lives in ``boundaries.portal.actions``, because it
tells every present client and asks them to acknowledge it in the portal.

Each ``do_*`` validates, writes, and appends its audit entry in one
transaction; nothing else writes these models. Errors are ``ActionError`` with
a message fit to show a therapist (it never repeats client content).

Code imports from the topic modules (``practices.actions.clients`` ...); the
names are also gathered here so that ``from boundaries.practices import actions``
keeps working for the tests and the demo.
"""

from __future__ import annotations

from boundaries.errors import ActionError
from boundaries.practices.actions.agenda import (
    agenda_entries,
    agenda_items,
    do_add_agenda_item,
    do_add_agenda_items,
    do_mark_agenda_discussed,
)
from boundaries.practices.actions.agreements import do_set_agreement, do_set_reminders
from boundaries.practices.actions.appointments import (
    do_add_appointment,
    do_cancel_appointment,
    do_confirm_appointment,
)
from boundaries.practices.actions.client_import import do_import_clients
from boundaries.practices.actions.clients import (
    do_add_client,
    do_set_client_status,
    do_set_emergency_contact,
    do_update_client,
)
from boundaries.practices.actions.domains import do_add_domain, do_remove_domain, normalise_hostname
from boundaries.practices.actions.practices import (
    do_add_therapist,
    do_create_practice,
    do_set_practice_limits,
    do_set_reminder_quiet_hours,
)

__all__ = [
    "ActionError",
    "agenda_entries",
    "agenda_items",
    "do_add_agenda_item",
    "do_add_agenda_items",
    "do_add_appointment",
    "do_add_client",
    "do_add_domain",
    "do_add_therapist",
    "do_cancel_appointment",
    "do_confirm_appointment",
    "do_create_practice",
    "do_import_clients",
    "do_mark_agenda_discussed",
    "do_remove_domain",
    "do_set_agreement",
    "do_set_client_status",
    "do_set_emergency_contact",
    "do_set_practice_limits",
    "do_set_reminder_quiet_hours",
    "do_set_reminders",
    "do_update_client",
    "normalise_hostname",
]
