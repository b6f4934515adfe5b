"""The communication agreement with a client: which channels, which reminders, since when."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction

from boundaries.audit.log import record
from boundaries.core.types import AgreedChannel, ReminderDetail
from boundaries.errors import ActionError
from boundaries.practices.actions.agenda import do_add_agenda_item
from boundaries.practices.actions.common import who_acted
from boundaries.practices.models import (
    AgendaItem,
    Client,
    CommunicationAgreement,
)


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
            recorded_by_label=who_acted(actor, actor_label),
        )
        record(
            action="agreement.set",
            obj=agreement,
            practice=client.practice,
            actor=actor,
            actor_label=who_acted(actor, actor_label),
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
