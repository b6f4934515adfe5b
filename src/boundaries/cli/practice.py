"""``boundaries practice``: the practices on this installation, for hosting operators."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from rich.markup import escape
from rich.table import Table

from boundaries.cli.inputs import (
    action_errors,
    bad_input_is_one_line,
    get_practice,
    owner_password,
)
from boundaries.cli.output import err, fail, out
from boundaries.data_rights.erasure import do_delete_practice
from boundaries.data_rights.export import do_export_practice
from boundaries.practices.actions.domains import do_add_domain, do_remove_domain
from boundaries.practices.actions.practices import (
    do_add_therapist,
    do_create_practice,
    do_set_practice_limits,
    do_set_reminder_quiet_hours,
)
from boundaries.practices.models import Practice, Therapist
from boundaries.setup.actions import do_start_setup

__all__ = ["app", "parse_bytes"]

app = typer.Typer(help="Practices on this installation (operators).", no_args_is_help=True)
domain_app = typer.Typer(
    help="Host names that serve a practice's public site.", no_args_is_help=True
)
app.add_typer(domain_app, name="domain")


def parse_bytes(value: str) -> int:
    """A size such as 0, 500000, 500MB, 5G or 2GiB, in bytes (1 GB = 10^9, 1 GiB = 2^30)."""
    text = value.strip().upper().replace(" ", "")
    units = {
        "": 1, "B": 1, "K": 10**3, "KB": 10**3, "M": 10**6, "MB": 10**6, "G": 10**9,
        "GB": 10**9, "T": 10**12, "TB": 10**12, "KIB": 2**10, "MIB": 2**20, "GIB": 2**30,
        "TIB": 2**40,
    }  # fmt: skip
    number = text.rstrip("KMGTIB")
    unit = text[len(number) :]
    if not number.isdigit() or unit not in units:
        raise ValueError(
            f"a size is a whole number with an optional unit such as 5GB, not {value!r}"
        )
    return int(number) * units[unit]


@app.command("create")
def practice_create(
    name: str,
    country: Annotated[str, typer.Option(help="ISO code, e.g. GB or US")],
    slug: Annotated[str, typer.Option(help="short name used in addresses")] = "",
    timezone: Annotated[str, typer.Option(help="IANA timezone")] = "Europe/London",
    professional_body: Annotated[str, typer.Option()] = "",
    domain: Annotated[
        list[str] | None,
        typer.Option(help="a host name serving the practice's public site at /; repeatable"),
    ] = None,
    owner_username: Annotated[str, typer.Option(help="create the owner therapist's account")] = "",
    owner_email: Annotated[str, typer.Option(help="the owner's email (alerts, sign-in)")] = "",
    owner_name: Annotated[str, typer.Option(help="the owner's name as clients see it")] = "",
    password_stdin: Annotated[
        bool,
        typer.Option(help="read the owner's password from standard input (else one is generated)"),
    ] = False,
    max_clients: Annotated[int, typer.Option(help="0 = no limit")] = 0,
    max_storage: Annotated[str, typer.Option(help="vault files, e.g. 5GB; 0 = no limit")] = "0",
    max_messages_per_day: Annotated[
        int, typer.Option(help="beyond it messages are kept but flagged; 0 = no limit")
    ] = 0,
    setup: Annotated[
        bool,
        typer.Option(
            help="the owner finishes the setup in the browser at first sign-in (policy, "
            "addresses, alert contacts, publishing); --no-setup if you do it from the shell"
        ),
    ] = True,
) -> None:
    """Create a practice (hosting operators): its domains, limits and owner account."""
    try:
        storage_bytes = parse_bytes(max_storage)
    except ValueError as error:
        fail(str(error))
    if (owner_email or owner_name) and not owner_username:
        fail("--owner-email and --owner-name need --owner-username")
    password, generated = ("", False)
    if owner_username:
        password, generated = owner_password(from_stdin=password_stdin)
        try:
            validate_password(password)
        except ValidationError as error:
            fail("the owner's password: " + " ".join(error.messages))

    def create() -> tuple[Practice, Therapist | None]:
        with transaction.atomic():  # the practice and its owner, or neither
            practice = do_create_practice(
                name=name,
                country=country,
                slug=slug,
                timezone_name=timezone,
                professional_body=professional_body,
                domains=domain or [],
                max_clients=max_clients,
                max_vault_bytes=storage_bytes,
                max_messages_per_day=max_messages_per_day,
                actor_label="cli",
            )
            owner = None
            if owner_username:
                owner = do_add_therapist(
                    practice,
                    username=owner_username,
                    password=password,
                    display_name=owner_name or owner_username,
                    email=owner_email,
                    role=Therapist.Role.OWNER,
                    actor_label="cli",
                )
                if setup:
                    do_start_setup(practice, actor_label="cli")
            return practice, owner

    created, owner = action_errors(create)
    out.print(f"Created practice {escape(created.name)} ({created.slug}).")
    for hostname in created.domains.values_list("hostname", flat=True):
        out.print(f"Public site: https://{hostname}/ (and /p/{created.slug}/)")
    if owner is not None:
        out.print(f"Owner account: {escape(owner.user.get_username())}")
        if generated:
            # Shown this once and stored only as a hash; the owner enrols an authenticator
            # at first sign-in.
            out.print(f"First password (shown once, pass it on securely): {password}")
        if setup:
            out.print(
                "At first sign-in the owner sets up an authenticator, then finishes the setup "
                "in the browser: policy, addresses, alert contacts, publishing."
            )


@app.command("list")
def practice_list(
    deleted: Annotated[bool, typer.Option(help="include deleted practices' tombstones")] = False,
) -> None:
    """List the practices on this installation, with their domains and limits."""
    table = Table("slug", "name", "country", "clients", "domains", "limits", "status")
    practices = Practice.objects.prefetch_related("domains")
    if not deleted:
        practices = practices.filter(status=Practice.Status.ACTIVE)
    for practice in practices:
        limits = ", ".join(
            f"{label} {value:,}"
            for label, value in (
                ("clients", practice.max_clients),
                ("bytes", practice.max_vault_bytes),
                ("messages/day", practice.max_messages_per_day),
            )
            if value
        )
        table.add_row(
            practice.slug,
            escape(practice.name),
            practice.country,
            str(practice.clients.count()),
            ", ".join(d.hostname for d in practice.domains.all()),
            limits or "none",
            practice.status,
        )
    out.print(table)


@domain_app.command("add")
def domain_add(slug: str, hostname: str) -> None:
    """Serve SLUG's public site at https://HOSTNAME/ (point its DNS and TLS at the proxy)."""
    target = get_practice(slug)
    domain = action_errors(lambda: do_add_domain(target, hostname, actor_label="cli"))
    out.print(f"{domain.hostname} now serves {target.slug}'s public site.")


@domain_app.command("remove")
def domain_remove(slug: str, hostname: str) -> None:
    """Stop serving SLUG's site on HOSTNAME (requests for it are then refused)."""
    target = get_practice(slug)
    action_errors(lambda: do_remove_domain(target, hostname, actor_label="cli"))
    out.print(f"Removed {hostname.strip().lower()} from {target.slug}.")


@app.command("limits")
def practice_limits(
    slug: str,
    max_clients: Annotated[int | None, typer.Option(help="0 = no limit")] = None,
    max_storage: Annotated[str | None, typer.Option(help="e.g. 5GB; 0 = no limit")] = None,
    max_messages_per_day: Annotated[int | None, typer.Option(help="0 = no limit")] = None,
) -> None:
    """Change a practice's limits; the ones not given stay as they are."""
    try:
        storage_bytes = parse_bytes(max_storage) if max_storage is not None else None
    except ValueError as error:
        fail(str(error))
    target = get_practice(slug)
    action_errors(
        lambda: do_set_practice_limits(
            target,
            max_clients=max_clients,
            max_vault_bytes=storage_bytes,
            max_messages_per_day=max_messages_per_day,
            actor_label="cli",
        )
    )
    out.print(
        f"{target.slug}: clients {target.max_clients or 'unlimited'}, "
        f"storage {target.max_vault_bytes or 'unlimited'} bytes, "
        f"messages a day {target.max_messages_per_day or 'unlimited'}."
    )


@app.command("quiet-hours")
def practice_quiet_hours(
    slug: str,
    hours: Annotated[str, typer.Argument(help="e.g. 21:00-08:00; 00:00-00:00 for none")],
) -> None:
    """When no appointment reminder goes, in the practice's time zone (clients may differ)."""
    start_text, _, end_text = hours.partition("-")
    try:
        start, end = (
            dt.time.fromisoformat(start_text.strip()),
            dt.time.fromisoformat(end_text.strip()),
        )
    except ValueError:
        fail(f"quiet hours look like 21:00-08:00, not {hours!r}")
    target = get_practice(slug)
    action_errors(
        lambda: do_set_reminder_quiet_hours(target, start=start, end=end, actor_label="cli")
    )
    out.print(f"{target.slug}: no reminders from {start:%H:%M} to {end:%H:%M} ({target.timezone}).")


@app.command("export")
def practice_export(
    slug: str,
    output: Annotated[Path, typer.Argument(help="the zip file to write")],
    decrypt: Annotated[
        bool, typer.Option(help="add the plaintext of messages, welfare records and files")
    ] = False,
    force: Annotated[bool, typer.Option(help="overwrite an existing file")] = False,
) -> None:
    """Export all of a practice's records (JSON per table, vault files, manifest); audited."""
    if output.exists() and not force:
        fail(f"{output} exists; pass --force to overwrite it")
    target = get_practice(slug)
    with bad_input_is_one_line():
        result = do_export_practice(target, output, decrypt=decrypt, actor_label="cli")
    out.print(
        f"Wrote {output}: {sum(result.rows.values()):,} records in {len(result.rows)} tables, "
        f"{result.files} files; manifest sha256 {result.manifest_sha256}."
    )
    if decrypt:
        err.print("This export holds plaintext health records: keep it encrypted and brief.")
    if result.unreadable:
        err.print(f"{len(result.unreadable)} items could not be read: see the manifest.")
        raise typer.Exit(1)


@app.command("delete")
def practice_delete(
    slug: str,
    confirm: Annotated[str, typer.Option(help="the practice's slug again, to confirm")],
) -> None:
    """Delete everything of a practice; the audit log and a tombstone row are kept."""
    target = get_practice(slug)
    removal = action_errors(lambda: do_delete_practice(target, confirm=confirm, actor_label="cli"))
    out.print(
        f"Deleted practice {slug}: {sum(removal.rows.values()):,} rows and "
        f"{removal.files_removed} vault files. The audit log is kept."
    )
    if removal.files_missing:
        err.print(
            f"{len(removal.files_missing)} vault files were already gone or could not be "
            "deleted: " + ", ".join(removal.files_missing[:10])
        )
