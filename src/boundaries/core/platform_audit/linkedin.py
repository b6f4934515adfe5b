"""LinkedIn's data download: ``Connections.csv`` and ``Invitations.csv``.

``Connections.csv`` starts with a few lines of notes before its header::

    Notes:
    "When exporting your connection data, you may notice that some of the email ..."

    First Name,Last Name,URL,Email Address,Company,Position,Connected On

(older downloads have no ``URL`` column). ``Invitations.csv`` has one row per
pending invitation::

    From,To,Sent At,Message,Direction,inviterProfileUrl,inviteeProfileUrl

with ``Direction`` ``INCOMING`` or ``OUTGOING``. The message is never read.
"""

from __future__ import annotations

import csv
import io
from pathlib import PurePosixPath

from boundaries.core.platform_audit.model import Person, Platform, Section, SectionData, Unreadable

__all__ = ["is_linkedin_list", "read_linkedin_csv"]

_FILES = {"connections.csv": Section.CONNECTIONS, "invitations.csv": None}


def is_linkedin_list(path: str) -> bool:
    return PurePosixPath(path).name.lower() in _FILES


def _rows(data: bytes, required: set[str]) -> tuple[list[dict[str, str]], int] | str:
    """Rows under the first line that has every ``required`` column, and how many were bad."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return "not UTF-8 text, so not LinkedIn's CSV"
    try:
        lines = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error as error:
        return f"malformed CSV ({error})"
    for number, cells in enumerate(lines):  # noqa: B007 - the header line is used after the loop
        header = [c.strip().lower() for c in cells]
        if required <= set(header):
            break
    else:
        wanted = ", ".join(sorted(required))
        return f"no header row with the columns {wanted}"
    rows: list[dict[str, str]] = []
    bad = 0
    for cells in lines[number + 1 :]:
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            bad += 1
            continue
        rows.append(dict(zip(header, (c.strip() for c in cells), strict=True)))
    return rows, bad


def _connections(source: str, data: bytes) -> tuple[list[SectionData], list[Unreadable]]:
    parsed = _rows(data, {"first name", "last name"})
    if isinstance(parsed, str):
        return [], [Unreadable(source, parsed)]
    rows, bad = parsed
    people = []
    for row in rows:
        name = f"{row.get('first name', '')} {row.get('last name', '')}".strip()
        url = row.get("url", "")
        email = row.get("email address", "")
        if not (name or url or email):
            bad += 1
            continue
        people.append(Person(name=name, url=url, email=email))
    unreadable = [Unreadable(source, f"{bad} rows could not be read")] if bad else []
    section = SectionData(Platform.LINKEDIN, Section.CONNECTIONS, source, tuple(people))
    return [section], unreadable


def _invitations(source: str, data: bytes) -> tuple[list[SectionData], list[Unreadable]]:
    parsed = _rows(data, {"from", "to", "direction"})
    if isinstance(parsed, str):
        return [], [Unreadable(source, parsed)]
    rows, bad = parsed
    received: list[Person] = []
    sent: list[Person] = []
    for row in rows:
        direction = row.get("direction", "").upper()
        if direction == "INCOMING":
            received.append(Person(name=row["from"], url=row.get("inviterprofileurl", "")))
        elif direction == "OUTGOING":
            sent.append(Person(name=row["to"], url=row.get("inviteeprofileurl", "")))
        else:
            bad += 1
    unreadable = [Unreadable(source, f"{bad} rows could not be read")] if bad else []
    sections = [
        SectionData(Platform.LINKEDIN, Section.REQUESTS_RECEIVED, source, tuple(received)),
        SectionData(Platform.LINKEDIN, Section.REQUESTS_SENT, source, tuple(sent)),
    ]
    return sections, unreadable


def read_linkedin_csv(source: str, data: bytes) -> tuple[list[SectionData], list[Unreadable]]:
    if PurePosixPath(source).name.lower() == "connections.csv":
        return _connections(source, data)
    return _invitations(source, data)
