"""The communication agreement with a client: which channels, which reminders, since when."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from boundaries.core.reminders import DEFAULT_OFFSETS, MAX_OFFSET, MIN_OFFSET, normal_offsets
from boundaries.core.types import AgreedChannel, ReminderDetail
from boundaries.errors import ActionError
from boundaries.practices.actions.agenda import do_add_agenda_item
from boundaries.practices.actions.common import record_action, who_acted
from boundaries.practices.models import (
    REMINDER_CHANNELS,
    AgendaItem,
    Client,
    CommunicationAgreement,
)

__all__ = ["KEEP", "do_set_agreement", "do_set_reminders"]


class _Keep:
    """The quiet hours are the current version's (None means the practice's)."""


KEEP = _Keep()


@dataclass(frozen=True, slots=True)
class _Reminders:
    channel: str
    offsets: list[int]
    quiet_start: dt.time | None
    quiet_end: dt.time | None

    @property
    def quiet_label(self) -> str:
        if self.quiet_start is None or self.quiet_end is None:
            return "practice default"
        return f"{self.quiet_start:%H:%M}-{self.quiet_end:%H:%M}"


def _checked_reminders(
    agreed: list[str],
    channel: str,
    offsets: Iterable[int],
    quiet: tuple[dt.time, dt.time] | None,
) -> _Reminders:
    """Clause location and no-social-business: reminders go only on an agreed channel."""
    channel = channel.strip().lower()
    if channel in {"", "none"}:
        return _Reminders("", [], None, None)
    possible = ", ".join(c.value for c in REMINDER_CHANNELS)
    if channel not in {c.value for c in REMINDER_CHANNELS}:
        raise ActionError(f"reminders go by {possible}, or none; not {channel!r}")
    if channel not in agreed:
        raise ActionError(f"reminders by {channel} need {channel} among the agreed channels")
    minutes = normal_offsets(offsets) or list(DEFAULT_OFFSETS)  # 48 h and 2 h before
    if any(not MIN_OFFSET <= m <= MAX_OFFSET for m in minutes):
        raise ActionError(
            f"a reminder goes between {MIN_OFFSET} minutes and {MAX_OFFSET // 1440} days before"
        )
    if len(minutes) > 3:
        raise ActionError("at most three reminders per appointment")
    start, end = quiet if quiet is not None else (None, None)
    return _Reminders(channel, minutes, start, end)


def do_set_agreement(
    client: Client,
    *,
    channels: Iterable[str],
    reminder_detail: str | None = None,
    reminder_channel: str | None = None,
    reminder_offsets: Iterable[int] | None = None,
    reminder_quiet_hours: tuple[dt.time, dt.time] | _Keep | None = KEEP,
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

    Reminder settings left out (None; ``KEEP`` for the quiet hours) are the current
    version's, so changing the channels elsewhere (the portal's preferences) never
    switches reminders off by accident; a reminder channel no longer agreed is
    dropped, and a first version has no reminders and the discreet level.
    """
    current = client.current_agreement()
    try:
        agreed = sorted({AgreedChannel(c.strip().lower()).value for c in channels if c.strip()})
    except ValueError:
        valid = ", ".join(c.value for c in AgreedChannel)
        raise ActionError(f"channels must be among {valid}") from None
    if reminder_detail is None:
        reminder_detail = current.reminder_detail if current else ReminderDetail.DISCREET
    try:
        detail = ReminderDetail(reminder_detail)
    except ValueError:
        raise ActionError("reminder detail must be full, discreet or minimal") from None
    if reminder_channel is None:
        kept = current.reminder_channel if current else ""
        reminder_channel = kept if kept in agreed else ""
    if reminder_offsets is None:
        reminder_offsets = current.reminder_offsets if current else ()
    if isinstance(reminder_quiet_hours, _Keep):
        reminder_quiet_hours = _quiet_of(current) if current else None
    reminders = _checked_reminders(agreed, reminder_channel, reminder_offsets, reminder_quiet_hours)
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
            reminder_detail=detail.value,
            reminder_channel=reminders.channel,
            reminder_offsets=reminders.offsets,
            reminder_quiet_start=reminders.quiet_start,
            reminder_quiet_end=reminders.quiet_end,
            session_content_by_email=session_content_by_email,
            session_content_agreed_on=session_content_agreed_on
            if session_content_by_email
            else None,
            session_content_terms=session_content_terms.strip() if session_content_by_email else "",
            note=note[:500],
            recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
            recorded_by_label=who_acted(actor, actor_label),
        )
        details = {
            "client": client.pk,
            "version": agreement.version,
            "channels": agreed,
            "reminder_detail": detail.value,
            "reminder_channel": reminders.channel,
            "reminder_offsets": reminders.offsets,
            "reminder_quiet_hours": reminders.quiet_label,
            "session_content_by_email": session_content_by_email,
            "source": source,
        }
        record_action(
            "agreement.set", agreement, actor, actor_label, details, practice=client.practice
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


def do_set_reminders(
    client: Client,
    *,
    channel: str | None = None,
    offsets: Iterable[int] | None = None,
    detail: str | None = None,
    quiet_hours: tuple[dt.time, dt.time] | _Keep | None = KEEP,
    actor: Any = None,
    actor_label: str = "",
    source: str = AgendaItem.Source.THERAPIST,
) -> CommunicationAgreement:
    """A new agreement version that changes only the reminder settings given.

    Everything else is copied from the current version (there must be one: the
    channels a reminder may use are part of it).
    """
    current = client.current_agreement()
    if current is None:
        raise ActionError("record the client's agreed channels first (boundaries agreement set)")
    return do_set_agreement(
        client,
        channels=current.channels,
        reminder_detail=detail,
        reminder_channel=channel,
        reminder_offsets=offsets,
        reminder_quiet_hours=quiet_hours,
        session_content_by_email=current.session_content_by_email,
        session_content_agreed_on=current.session_content_agreed_on,
        session_content_terms=current.session_content_terms,
        note=current.note,
        source=source,
        actor=actor,
        actor_label=actor_label,
    )


def _quiet_of(agreement: CommunicationAgreement) -> tuple[dt.time, dt.time] | None:
    """A version's own quiet hours, or None for the practice's."""
    if agreement.reminder_quiet_start is None or agreement.reminder_quiet_end is None:
        return None
    return (agreement.reminder_quiet_start, agreement.reminder_quiet_end)
