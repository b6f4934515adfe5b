"""Importing clients from CSV: each row is added or skipped with a reason; a bad row
never stops the good ones. ``boundaries client import`` and the dashboard's import
page both use it, so a file gives the same report in the shell and in the browser."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from boundaries.errors import ActionError
from boundaries.practices.actions.clients import do_add_client
from boundaries.practices.actions.common import record_action
from boundaries.practices.models import Practice, Therapist

__all__ = [
    "IMPORT_COLUMNS",
    "ImportedRow",
    "do_import_clients",
    "parse_handles",
    "read_client_rows",
]

IMPORT_COLUMNS = ("first_name", "last_name", "email", "phone", "status", "country", "handles")


@dataclass(frozen=True, slots=True)
class ImportedRow:
    """One data row of the file: its line number and either the new client's id or why not."""

    line: int
    client_id: int | None
    problem: str = ""

    @property
    def added(self) -> bool:
        return self.client_id is not None


def parse_handles(values: list[str]) -> dict[str, str]:
    """``platform:handle`` pairs, as the CLI's ``--handle`` and the CSV's ``handles`` give them."""
    handles: dict[str, str] = {}
    for value in values:
        platform, sep, handle = value.partition(":")
        if not sep or not platform.strip() or not handle.strip():
            raise ValueError(f"a handle is PLATFORM:HANDLE, e.g. instagram:@name — not {value!r}")
        handles[platform.strip().lower()] = handle.strip()
    return handles


def read_client_rows(text: str) -> list[dict[str, str]]:
    """The file's rows by column name; ``ActionError`` when the file as a whole is unusable."""
    try:
        # strict: a quote left open is an error, not one field swallowing the rest of the file
        rows = list(csv.DictReader(text.splitlines(), strict=True))
    except csv.Error as error:
        raise ActionError(f"not readable as CSV: {error}") from None
    if not rows:
        raise ActionError("no rows (the first line must name the columns)")
    missing = {"first_name", "last_name"} - set(rows[0].keys())
    if missing:
        raise ActionError(f"missing column(s) {', '.join(sorted(missing))}")
    return rows


def do_import_clients(
    practice: Practice,
    rows: list[dict[str, str]],
    *,
    therapist: Therapist | None = None,
    actor: Any = None,
    actor_label: str = "",
) -> list[ImportedRow]:
    """Add each row as a client (each with its own audit entry, in its own transaction),
    then one audit entry for the import with the counts (no names)."""
    report: list[ImportedRow] = []
    for line, row in enumerate(rows, start=2):
        try:
            handles = parse_handles((row.get("handles") or "").replace(";", " ").split())
            client = do_add_client(
                practice,
                first_name=row.get("first_name") or "",
                last_name=row.get("last_name") or "",
                emails=[row.get("email") or ""],
                phones=[row.get("phone") or ""],
                handles=handles,
                status=(row.get("status") or "present").strip().lower(),
                country=row.get("country") or "",
                therapist=therapist,
                actor=actor,
                actor_label=actor_label,
            )
        except (ActionError, ValueError) as error:
            report.append(ImportedRow(line, None, str(error)))
        else:
            report.append(ImportedRow(line, client.pk))
    added = sum(1 for row in report if row.added)
    with transaction.atomic():
        details = {"rows": len(report), "added": added, "skipped": len(report) - added}
        record_action("client.import", None, actor, actor_label, details, practice=practice)
    return report
