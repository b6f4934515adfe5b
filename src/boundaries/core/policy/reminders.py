"""Appointment reminders: the ``[reminders]`` table of policy.toml and the words a reminder says.

Clause ``location``: a reminder shows on a lock screen, so what it says depends on
the level of detail the client agreed to (``ReminderDetail``):

- ``full``: the practice's and the therapist's names may appear;
- ``discreet``: never "therapy", "counselling", "psychotherapy", a clinical title, the
  practice's name or the therapist's; it may come from a neutral sender name;
- ``minimal``: the date and time, nothing else.

A reminder is not a reply to anything, so it never carries the crisis footer (a
footer on a lock screen says what the appointment is), and it never carries
session content: the only values filled in are the time, the practice's phone
and, at the full level, the two names. How to confirm or cancel (``answer``) is
added after the template by the channel (reply C or X, a link, a button).

Pure: the time of the appointment, the time zone and the practice's details are
arguments. ``parse_reminders`` is called by the loader with its error reporter,
so every refusal names the file, line and key like the rest of the policy.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import NoReturn, Protocol

from boundaries.core.types import ReminderDetail

__all__ = [
    "DEFAULT_REMINDERS",
    "FORBIDDEN_TITLES",
    "FORBIDDEN_WORDS",
    "PLACEHOLDERS_BY_LEVEL",
    "ReminderTemplate",
    "ReminderTemplates",
    "RenderedReminder",
    "forbidden_in",
    "format_when",
    "parse_reminders",
    "render_reminder",
]

#: Words a discreet or minimal reminder never contains: they say what the appointment is.
#: Matched as word stems, case-insensitively ("Counselling", "therapist's", "psychotherapies").
FORBIDDEN_WORDS: tuple[str, ...] = (
    "therap",  # therapy, therapist, therapeutic
    "counsel",  # counselling, counseling, counsellor
    "psychotherap",
    "psycholog",
    "psychiatr",
    "psychoanaly",
    "mental health",
    "clinic",  # clinic, clinical, clinician
    "session",
    "wellbeing",
    "well-being",
    "treatment",
    "ukcp",
    "bacp",
)
#: Titles, matched as whole words only ("Dr" but not "drop").
FORBIDDEN_TITLES: tuple[str, ...] = ("dr", "doctor", "lpc", "lcsw", "lmft", "phd", "psyd")
_FORBIDDEN = re.compile(
    "|".join(
        [rf"\b{re.escape(word)}[\w-]*" for word in FORBIDDEN_WORDS]
        + [rf"\b{re.escape(title)}\b" for title in FORBIDDEN_TITLES]
    ),
    re.IGNORECASE,
)

#: Names shorter than this are not looked for (they match ordinary words).
MIN_NAME_CHARS = 4

#: What each level's template may say. ``when`` is the local day and time.
PLACEHOLDERS_BY_LEVEL: Mapping[ReminderDetail, frozenset[str]] = {
    ReminderDetail.FULL: frozenset({"when", "practice", "therapist", "phone"}),
    ReminderDetail.DISCREET: frozenset({"when", "sender", "phone"}),
    ReminderDetail.MINIMAL: frozenset({"when"}),
}
_LEVELS = (ReminderDetail.FULL, ReminderDetail.DISCREET, ReminderDetail.MINIMAL)
_KEYS = ("sender_name", *(level.value for level in _LEVELS))
_TEMPLATE_KEYS = ("subject", "text")


@dataclass(frozen=True, slots=True)
class ReminderTemplate:
    """One level's wording: the email subject and the text (SMS, email body, portal)."""

    subject: str
    text: str


@dataclass(frozen=True, slots=True)
class ReminderTemplates:
    """The three levels and the neutral name discreet and minimal reminders come from."""

    sender_name: str
    full: ReminderTemplate
    discreet: ReminderTemplate
    minimal: ReminderTemplate

    def for_level(self, level: ReminderDetail) -> ReminderTemplate:
        return {
            ReminderDetail.FULL: self.full,
            ReminderDetail.DISCREET: self.discreet,
            ReminderDetail.MINIMAL: self.minimal,
        }[level]


#: Used when policy.toml has no [reminders] table. Our own words.
DEFAULT_REMINDERS = ReminderTemplates(
    sender_name="Appointments",
    full=ReminderTemplate(
        subject="Your appointment with {therapist} on {when}",
        text=(
            "This is a reminder of your appointment with {therapist} at {practice} on {when}. "
            "To change it, please call {phone}."
        ),
    ),
    discreet=ReminderTemplate(
        subject="Your appointment on {when}",
        text="{sender}: a reminder of your appointment on {when}. To change it, call {phone}.",
    ),
    minimal=ReminderTemplate(subject="{when}", text="{when}"),
)


@dataclass(frozen=True, slots=True)
class RenderedReminder:
    """A reminder ready for a channel. ``sender_name`` is the From name an email shows."""

    subject: str
    text: str
    sender_name: str


def format_when(starts_at: dt.datetime, timezone: str, country: str) -> str:
    """The appointment's day and time where the practice is: "Tue 9 Dec, 14:00".

    The US reads a 12-hour clock ("Tue Dec 9, 2:00 PM").
    """
    local = starts_at.astimezone(zoneinfo.ZoneInfo(timezone))
    day = local.strftime("%a")
    if country.upper() == "US":
        hour = local.hour % 12 or 12
        half = "AM" if local.hour < 12 else "PM"
        return f"{day} {local:%b} {local.day}, {hour}:{local:%M} {half}"
    return f"{day} {local.day} {local:%b}, {local:%H:%M}"


def forbidden_in(text: str, *names: str) -> str | None:
    """The first word in ``text`` that tells what the appointment is, or a name it gives away.

    ``names`` are the practice's name and the therapist's (with any title): a
    discreet reminder contains neither, in any case, as whole words.
    """
    match = _FORBIDDEN.search(text)
    if match is not None:
        return match.group()
    for name in names:
        cleaned = " ".join(name.split())
        # A name shorter than four letters ("A", "Jo") cannot be told from ordinary words.
        if len(cleaned) < MIN_NAME_CHARS:
            continue
        words = r"\s+".join(re.escape(word) for word in cleaned.split(" "))
        if re.search(rf"(?<!\w){words}(?!\w)", text, re.IGNORECASE):
            return cleaned
    return None


def render_reminder(
    templates: ReminderTemplates,
    level: ReminderDetail,
    *,
    starts_at: dt.datetime,
    timezone: str,
    country: str,
    practice_name: str,
    therapist_name: str,
    phone: str,
    answer: str = "",
) -> RenderedReminder:
    """The subject, text and sender name of one reminder at ``level``.

    ``answer`` says how to confirm or cancel on this channel; it is appended
    to the text. Discreet and minimal reminders come from the neutral sender
    name; a full one from the practice.
    """
    values = {
        "when": format_when(starts_at, timezone, country),
        "practice": practice_name,
        "therapist": therapist_name,
        "phone": phone,
        "sender": templates.sender_name,
    }
    template = templates.for_level(level)
    allowed = PLACEHOLDERS_BY_LEVEL[level]
    fill = {name: value for name, value in values.items() if name in allowed}
    text = template.text.format_map(fill)
    if answer:
        text = f"{text} {answer}"
    return RenderedReminder(
        subject=template.subject.format_map(fill),
        text=text,
        sender_name=practice_name if level is ReminderDetail.FULL else templates.sender_name,
    )


# ---------------------------------------------------------------------------- parsing

KeyPath = tuple[str | int, ...]


class Reporter(Protocol):
    """What the loader offers (``loader._Loader``): each check raises ``PolicyError``."""

    def table(
        self, value: object, path: KeyPath, allowed: Collection[str], what: str = ...
    ) -> dict[str, object]: ...

    def text(
        self,
        table: Mapping[str, object],
        path: KeyPath,
        key: str,
        *,
        what: str = ...,
        default: str | None = ...,
        allow_empty: bool = ...,
        multiline: bool = ...,
    ) -> str: ...

    def placeholders(self, path: KeyPath, text: str, allowed: frozenset[str]) -> None: ...

    def fail(
        self, path: KeyPath, expected: str, *, got: object = ..., message: str | None = ...
    ) -> NoReturn: ...


def parse_reminders(
    value: object, reporter: Reporter, *, names: tuple[str, ...]
) -> ReminderTemplates:
    """The ``[reminders]`` table, checked: placeholders per level, no giveaway words.

    ``names`` are what a discreet reminder must never show: the practice's name,
    the therapist's (with any title), the professional body's short name. Every
    key is required when the table is present (a half-written table is a typo,
    as elsewhere in the loader); a policy without the table uses ``DEFAULT_REMINDERS``.
    """
    path: KeyPath = ("reminders",)
    table = reporter.table(value, path, _KEYS)
    sender = reporter.text(table, path, "sender_name", what='a neutral name, e.g. "Appointments"')
    word = forbidden_in(sender, *names)
    if word is not None:
        reporter.fail(
            (*path, "sender_name"),
            "a neutral name",
            message=f"gives away what the appointment is or who it is with ({word!r})",
        )
    levels: dict[str, ReminderTemplate] = {}
    for level in _LEVELS:
        level_path: KeyPath = (*path, level.value)
        if level.value not in table:
            reporter.fail(
                level_path,
                "a table",
                message=f"missing; expected a reminders.{level.value} table with subject and text",
            )
        level_table = reporter.table(table[level.value], level_path, _TEMPLATE_KEYS)
        parts: dict[str, str] = {}
        for key in _TEMPLATE_KEYS:
            text = reporter.text(
                level_table, level_path, key, what="a string (our own words)", multiline=True
            )
            reporter.placeholders((*level_path, key), text, PLACEHOLDERS_BY_LEVEL[level])
            word = forbidden_in(text, *names) if level is not ReminderDetail.FULL else None
            if word is not None:
                reporter.fail(
                    (*level_path, key),
                    "words that do not say what the appointment is",
                    message=(
                        f"a {level.value} reminder shows on a lock screen and must not say {word!r}"
                    ),
                )
            parts[key] = text
        levels[level.value] = ReminderTemplate(**parts)
    return ReminderTemplates(
        sender_name=sender,
        full=levels[ReminderDetail.FULL.value],
        discreet=levels[ReminderDetail.DISCREET.value],
        minimal=levels[ReminderDetail.MINIMAL.value],
    )
