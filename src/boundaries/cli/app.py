"""The ``boundaries`` command tree: each group's Typer app, mounted in one place.

Import this only once Django is set up (``boundaries.cli.main`` does that at the
door): the command modules import models at their top.
"""

from __future__ import annotations

import typer

from boundaries.cli import (
    agreement,
    alerts,
    audit,
    backup,
    calendar,
    client,
    guard,
    imap,
    platform_audit,
    policy,
    practice,
    route,
    services,
    setup,
    triage,
    vault,
)
from boundaries.cli.output import OneLineUsageErrors

__all__ = ["app"]

app = typer.Typer(
    cls=OneLineUsageErrors,
    help="Boundaries: a practice's social media and communications policy, kept.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)

# Top-level commands, in the order `boundaries --help` lists them.
app.command("init")(policy.init)
app.command("setup")(setup.setup)
app.add_typer(services.app)  # manage, migrate, demo, serve, worker, scheduler, smtpd
app.add_typer(backup.app)  # backup, restore

# Command groups.
app.add_typer(policy.app, name="policy")
app.add_typer(client.app, name="client")
app.add_typer(agreement.app, name="agreement")
app.add_typer(practice.app, name="practice")
app.add_typer(route.app, name="route")
app.add_typer(alerts.app, name="alerts")
app.add_typer(vault.app, name="vault")
app.add_typer(calendar.app, name="calendar")
app.add_typer(imap.app, name="imap")
app.add_typer(triage.app, name="triage", help="Triage a message as Boundaries would.")
app.add_typer(guard.app, name="guard", help="Check a draft before it is sent.")
app.add_typer(audit.app, name="audit", help="Verify and export the audit log.")
app.add_typer(
    platform_audit.app, name="platform-audit", help="Audit your platform downloads for clients."
)
# The group's first name, kept so that scripts written for it still run; not listed.
app.add_typer(platform_audit.app, name="exports", hidden=True)
