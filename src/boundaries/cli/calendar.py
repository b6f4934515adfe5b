"""``boundaries calendar``: appointment times from the practice's calendar export."""

from __future__ import annotations

from pathlib import Path

import typer

from boundaries.cli.inputs import PracticeOpt, bad_input_is_one_line, get_practice
from boundaries.cli.output import EXIT_BAD_INPUT, err, out
from boundaries.practices.calendar import import_ics

__all__ = ["app"]

app = typer.Typer(help="Appointments from the practice's calendar.")


@app.command("import")
def calendar_import(file: Path, practice: PracticeOpt = None) -> None:
    """Import appointment times from a .ics export; attendees are matched by email."""
    # Imported on use: icalendar adds a twentieth to every command's start-up.

    with bad_input_is_one_line():
        data = file.read_bytes()
    report = import_ics(get_practice(practice), data)
    for problem in report.problems:
        err.print(f"problem: {problem}")
    unmatched = ", ".join(report.unmatched[:10])
    out.print(
        f"{report.added} added, {report.updated} updated, "
        f"{len(report.unmatched)} events matched no client (UIDs: {unmatched})"
    )
    if report.problems and not (report.added or report.updated):
        raise typer.Exit(EXIT_BAD_INPUT)
