"""``boundaries platform-audit``: the boundary audit of a platform download, from the command line.

The group was first called ``exports``; that name is still accepted.

Exit codes: 0 complete and no client found; 1 clients found, or the download
could not all be read (never an all-clear then); 2 bad input, as one line on
stderr.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from boundaries.cli.output import EXIT_BAD_INPUT
from boundaries.cli.output import err as _err
from boundaries.cli.output import fail as _fail
from boundaries.cli.output import out as _out
from boundaries.errors import ActionError
from boundaries.platform_audit.actions import do_import_export
from boundaries.platform_audit.models import ExportAudit
from boundaries.platform_audit.presenting import groups_for, summary_lines
from boundaries.practices.models import Therapist

__all__ = ["EXIT_BAD_INPUT", "EXIT_FOUND", "app"]

EXIT_FOUND = 1

app = typer.Typer(
    help="Audit your own Facebook, Instagram or LinkedIn download for clients.",
    no_args_is_help=True,
)

_STAGES = {
    "read": "Reading the download",
    "match": "Matching everyone against the client register",
    "save": "Saving the audit",
}


def _print_report(audit: ExportAudit, user: object) -> None:
    report = audit.report
    _out.print(
        f"Audit {audit.pk}: {audit.platform_labels or 'no platform recognised'}, "
        f"{report.people_checked:,} people checked, {report.clients_found} clients found."
    )
    for line in summary_lines(report):
        _out.print(f"  {escape(line)}")
    if not report.complete:
        _out.print("[bold red]INCOMPLETE[/]: parts of the download could not be read:")
        for problem in report.problems():
            _out.print(f"  - {escape(problem)}")
        _out.print("This is not an all-clear. Download your data again (JSON) and re-run.")
    for group in groups_for(report, user):
        if not group.rows:
            continue
        _out.print(f"\n[bold]{escape(group.title)}[/] ({len(group.rows)}), clause {group.clause}")
        for row in group.rows:
            kind = "certain" if row.certain else "possible"
            _out.print(
                f"  - {escape(row.client)} on {row.platform}, shown as {escape(row.shown_as)}: "
                f"{kind}, {row.confidence}%. {escape(row.reason)}"
            )
    if report.all_clear:
        _out.print("[green]All clear[/]: no present or past client in these lists.")


@app.command("import")
def import_export(
    file: Annotated[Path, typer.Argument(help="the .zip the platform sent, unopened")],
    practice: Annotated[str, typer.Option("--practice", help="the practice's slug")],
    therapist: Annotated[str, typer.Option("--therapist", help="the therapist's username")],
) -> None:
    """Audit a download: clients to remove, requests to decline, clients followed."""
    try:
        data = file.read_bytes()
    except OSError as error:
        _fail(f"{file}: {error.strerror or 'cannot be read'}")
    found = (
        Therapist.objects.select_related("practice", "user")
        .filter(practice__slug=practice, user__username=therapist)
        .first()
    )
    if found is None:
        _fail(f"no therapist {therapist!r} in a practice {practice!r}")
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=_err,
        transient=True,
    ) as progress:
        task = progress.add_task("Starting", total=len(_STAGES))

        def step(stage: str) -> None:
            progress.update(task, description=_STAGES[stage], advance=1)

        try:
            audit = do_import_export(found, data, actor_label=f"cli:{therapist}", progress=step)
        except ActionError as error:
            progress.stop()
            _fail(f"{file}: {error}")
    _print_report(audit, found.user)
    if not audit.complete or audit.clients_found:
        raise typer.Exit(EXIT_FOUND)
