"""The ``boundaries`` command.

Bad input gets one clear line on stderr and exit code 2, never a traceback.
Commands that need the database set Django up lazily, so ``policy check`` and
``triage`` start fast and work without one.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from boundaries.cli_output import EXIT_BAD_INPUT, err, fail, out

if TYPE_CHECKING:
    from boundaries.core.policy.model import Policy
    from boundaries.practices.models import Client, Practice

app = typer.Typer(
    help="Boundaries: a practice's social media and communications policy, kept.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
policy_app = typer.Typer(
    help="Check, render, publish and compare the policy.", no_args_is_help=True
)
client_app = typer.Typer(help="The client register.", no_args_is_help=True)
agreement_app = typer.Typer(help="Clients' communication agreements.", no_args_is_help=True)
practice_app = typer.Typer(help="Practices on this installation (operators).", no_args_is_help=True)
app.add_typer(policy_app, name="policy")
app.add_typer(client_app, name="client")
app.add_typer(agreement_app, name="agreement")
app.add_typer(practice_app, name="practice")


@contextmanager
def bad_input_is_one_line() -> Iterator[None]:
    """Turn the domain's precise errors into one line and exit code 2."""
    from boundaries.core.policy.errors import PolicyError

    try:
        yield
    except PolicyError as error:
        fail(str(error))
    except OSError as error:
        fail(f"{error.filename or 'file'}: {error.strerror or error}")
    except UnicodeDecodeError:
        fail("the file is not UTF-8 text")


def django_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "boundaries.settings")
    import django

    django.setup()


def _action_errors(function: Callable[[], Any]) -> Any:
    from django.core.exceptions import ValidationError

    from boundaries.core.policy.errors import PolicyError
    from boundaries.practices.actions import ActionError

    try:
        return function()
    except (ActionError, PolicyError) as error:
        fail(str(error))
    except ValidationError as error:
        fail("; ".join(error.messages))


def read_text(path: Path) -> str:
    with bad_input_is_one_line():
        return path.read_text(encoding="utf-8")


def load_policy_file(path: Path) -> Policy:
    from boundaries.core.policy.loader import load_policy

    text = read_text(path)
    with bad_input_is_one_line():
        return load_policy(text, filename=str(path))


def get_practice(slug: str | None) -> Practice:
    from boundaries.practices.models import Practice

    active = Practice.objects.filter(status=Practice.Status.ACTIVE)
    if slug:
        practice = active.filter(slug=slug).first()
        if practice is None:
            fail(f"no practice called {slug!r} (see `boundaries practice list`)")
        return practice
    practices = list(active[:2])
    if not practices:
        fail("there is no practice yet: run `boundaries demo` or `boundaries practice create`")
    if len(practices) > 1:
        fail("this installation has several practices: say which with --practice SLUG")
    return practices[0]


def get_client(practice: Practice, client_id: int) -> Client:
    # CLI users are operators/therapists with shell access to this practice's data;
    # the lookup is still scoped by practice so one practice's ids never reach another's.
    from boundaries.practices.models import Client

    client = Client.objects.filter(practice=practice, pk=client_id).first()
    if client is None:
        fail(f"no client {client_id} in practice {practice.slug}")
    return client


PracticeOpt = Annotated[
    str | None, typer.Option("--practice", help="practice slug (needed when there are several)")
]


# ---------------------------------------------------------------------------- init


@app.command()
def init(
    country: Annotated[str, typer.Option(help="country template: GB or US")] = "GB",
    practice_name: Annotated[str, typer.Option(prompt=True)] = ...,  # type: ignore[assignment]
    therapist_name: Annotated[str, typer.Option(prompt=True)] = ...,  # type: ignore[assignment]
    phone: Annotated[
        str, typer.Option(prompt="Phone for changing appointments", help="E.164 or national")
    ] = ...,  # type: ignore[assignment]
    email: Annotated[str, typer.Option(prompt=True)] = ...,  # type: ignore[assignment]
    website: Annotated[str, typer.Option(prompt=True)] = ...,  # type: ignore[assignment]
    timezone: Annotated[str | None, typer.Option(help="IANA timezone")] = None,
    output: Annotated[Path, typer.Option("--out", help="where to write")] = Path("policy.toml"),
    force: Annotated[bool, typer.Option(help="overwrite an existing file")] = False,
) -> None:
    """Write a policy.toml from a country template, ready to edit and publish."""
    from boundaries.core.policy.loader import load_policy
    from boundaries.core.policy.templates import available_templates, render_template

    code = country.strip().upper()
    if code.lower() not in {t.lower() for t in available_templates()}:
        fail(f"no template for {country!r}; available: {', '.join(available_templates())}")
    if output.exists() and not force:
        fail(f"{output} exists; pass --force to overwrite it")
    with bad_input_is_one_line():
        text = render_template(
            code,
            practice_name=practice_name,
            therapist_name=therapist_name,
            phone=phone,
            email=email,
            website=website,
            timezone=timezone,
        )
        load_policy(text, filename=str(output))
        output.write_text(text, encoding="utf-8")
    out.print(
        f"Wrote {output}. Read it, adjust the wording, then `boundaries policy check {output}`."
    )


# ---------------------------------------------------------------------------- policy


@policy_app.command("check")
def policy_check(file: Path) -> None:
    """Validate a policy.toml; errors name the line and key."""
    policy = load_policy_file(file)
    enabled = sum(1 for clause in policy.clauses.values() if clause.enabled)
    out.print(f"{file}: valid — {enabled} of {len(policy.clauses)} clauses enabled.")


@policy_app.command("render")
def policy_render(
    file: Path,
    fmt: Annotated[str, typer.Option("--format", help="html, markdown or text")] = "text",
) -> None:
    """Render the policy as the public page, Markdown or plain text."""
    from boundaries.core.policy.render import render_html, render_markdown, render_text

    renderers = {"html": render_html, "markdown": render_markdown, "md": render_markdown}
    renderers["text"] = render_text
    if fmt not in renderers:
        fail(f"--format must be html, markdown or text, not {fmt!r}")
    policy = load_policy_file(file)
    sys.stdout.write(renderers[fmt](policy))
    sys.stdout.write("\n")


@policy_app.command("publish")
def policy_publish(
    file: Path,
    summary: Annotated[str, typer.Option(help="what changed, in a sentence (published)")],
    practice: PracticeOpt = None,
    effective: Annotated[str | None, typer.Option(help="effective date, YYYY-MM-DD")] = None,
) -> None:
    """Publish a new immutable version of the practice's policy."""
    from boundaries.practices.actions import do_publish_policy

    text = read_text(file)
    effective_date = None
    if effective:
        try:
            effective_date = dt.date.fromisoformat(effective)
        except ValueError:
            fail(f"--effective must be a date like 2026-12-01, not {effective!r}")
    django_setup()
    target = get_practice(practice)
    version = _action_errors(
        lambda: do_publish_policy(
            target,
            source=text,
            filename=str(file),
            summary=summary,
            effective_date=effective_date,
            actor_label="cli",
        )
    )
    out.print(
        f"Published version {version.number} of {target.name}'s policy, "
        f"effective {version.effective_date} (sha256 {version.content_hash[:12]})."
    )


@policy_app.command("versions")
def policy_versions(practice: PracticeOpt = None) -> None:
    """List the published versions."""
    django_setup()
    target = get_practice(practice)
    table = Table("version", "effective", "published", "by", "sha256", "summary")
    for version in target.policy_versions.order_by("number"):
        table.add_row(
            str(version.number),
            str(version.effective_date),
            f"{version.published_at:%Y-%m-%d %H:%M}",
            version.published_by_label,
            version.content_hash[:12],
            version.summary,
        )
    out.print(table)


@policy_app.command("diff")
def policy_diff(
    old: Annotated[str, typer.Argument(help="a policy.toml, or a version number")],
    new: Annotated[str, typer.Argument(help="a policy.toml, or a version number")],
    practice: PracticeOpt = None,
) -> None:
    """Show what changed between two versions (files or published version numbers)."""
    from boundaries.core.policy.versions import diff_policies, render_diff_text

    sys.stdout.write(
        render_diff_text(diff_policies(_policy_ref(old, practice), _policy_ref(new, practice)))
    )
    sys.stdout.write("\n")


def _policy_ref(ref: str, practice: str | None) -> Policy:
    from boundaries.core.policy.versions import policy_from_dict

    if ref.isdigit() and not Path(ref).exists():
        django_setup()
        target = get_practice(practice)
        version = target.policy_versions.filter(number=int(ref)).first()
        if version is None:
            fail(f"{target.slug} has no policy version {ref}")
        return policy_from_dict(version.data)
    return load_policy_file(Path(ref))


# ---------------------------------------------------------------------------- practice


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


def _owner_password(*, from_stdin: bool) -> tuple[str, bool]:
    """The owner's first password: from standard input, or generated and shown once.

    Never an option: a password on the command line stays in the shell's history
    and in the process list.
    """
    import secrets

    if from_stdin:
        password = sys.stdin.readline().rstrip("\n")
        if not password:
            fail("--password-stdin: give the owner's password on standard input")
        return password, False
    return secrets.token_urlsafe(18), True


@practice_app.command("create")
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
) -> None:
    """Create a practice (hosting operators): its domains, limits and owner account."""
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError
    from django.db import transaction

    from boundaries.practices.actions import do_add_therapist, do_create_practice
    from boundaries.practices.models import Therapist

    try:
        storage_bytes = parse_bytes(max_storage)
    except ValueError as error:
        fail(str(error))
    if (owner_email or owner_name) and not owner_username:
        fail("--owner-email and --owner-name need --owner-username")
    django_setup()
    password, generated = ("", False)
    if owner_username:
        password, generated = _owner_password(from_stdin=password_stdin)
        try:
            validate_password(password)
        except ValidationError as error:
            fail("the owner's password: " + " ".join(error.messages))

    def create() -> tuple[Any, Any]:
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
            return practice, owner

    created, owner = _action_errors(create)
    out.print(f"Created practice {escape(created.name)} ({created.slug}).")
    for hostname in created.domains.values_list("hostname", flat=True):
        out.print(f"Public site: https://{hostname}/ (and /p/{created.slug}/)")
    if owner is not None:
        out.print(f"Owner account: {escape(owner.user.get_username())}")
        if generated:
            # Shown this once and stored only as a hash; the owner enrols an authenticator
            # at first sign-in.
            out.print(f"First password (shown once, pass it on securely): {password}")


@practice_app.command("list")
def practice_list(
    deleted: Annotated[bool, typer.Option(help="include deleted practices' tombstones")] = False,
) -> None:
    """List the practices on this installation, with their domains and limits."""
    from boundaries.practices.models import Practice

    django_setup()
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


domain_app = typer.Typer(
    help="Host names that serve a practice's public site.", no_args_is_help=True
)
practice_app.add_typer(domain_app, name="domain")


@domain_app.command("add")
def domain_add(slug: str, hostname: str) -> None:
    """Serve SLUG's public site at https://HOSTNAME/ (point its DNS and TLS at the proxy)."""
    from boundaries.practices.actions import do_add_domain

    django_setup()
    target = get_practice(slug)
    domain = _action_errors(lambda: do_add_domain(target, hostname, actor_label="cli"))
    out.print(f"{domain.hostname} now serves {target.slug}'s public site.")


@domain_app.command("remove")
def domain_remove(slug: str, hostname: str) -> None:
    """Stop serving SLUG's site on HOSTNAME (requests for it are then refused)."""
    from boundaries.practices.actions import do_remove_domain

    django_setup()
    target = get_practice(slug)
    _action_errors(lambda: do_remove_domain(target, hostname, actor_label="cli"))
    out.print(f"Removed {hostname.strip().lower()} from {target.slug}.")


@practice_app.command("limits")
def practice_limits(
    slug: str,
    max_clients: Annotated[int | None, typer.Option(help="0 = no limit")] = None,
    max_storage: Annotated[str | None, typer.Option(help="e.g. 5GB; 0 = no limit")] = None,
    max_messages_per_day: Annotated[int | None, typer.Option(help="0 = no limit")] = None,
) -> None:
    """Change a practice's limits; the ones not given stay as they are."""
    from boundaries.practices.actions import do_set_practice_limits

    try:
        storage_bytes = parse_bytes(max_storage) if max_storage is not None else None
    except ValueError as error:
        fail(str(error))
    django_setup()
    target = get_practice(slug)
    _action_errors(
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


@practice_app.command("export")
def practice_export(
    slug: str,
    output: Annotated[Path, typer.Argument(help="the zip file to write")],
    decrypt: Annotated[
        bool, typer.Option(help="add the plaintext of messages, welfare records and files")
    ] = False,
    force: Annotated[bool, typer.Option(help="overwrite an existing file")] = False,
) -> None:
    """Export all of a practice's records (JSON per table, vault files, manifest); audited."""
    from boundaries.practices.data_export import do_export_practice

    if output.exists() and not force:
        fail(f"{output} exists; pass --force to overwrite it")
    django_setup()
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


@practice_app.command("delete")
def practice_delete(
    slug: str,
    confirm: Annotated[str, typer.Option(help="the practice's slug again, to confirm")],
) -> None:
    """Delete everything of a practice; the audit log and a tombstone row are kept."""
    from boundaries.practices.actions import do_delete_practice

    django_setup()
    target = get_practice(slug)
    removal = _action_errors(lambda: do_delete_practice(target, confirm=confirm, actor_label="cli"))
    out.print(
        f"Deleted practice {slug}: {sum(removal.rows.values()):,} rows and "
        f"{removal.files_removed} vault files. The audit log is kept."
    )
    if removal.files_missing:
        err.print(
            f"{len(removal.files_missing)} vault files were already gone or could not be "
            "deleted: " + ", ".join(removal.files_missing[:10])
        )


# ---------------------------------------------------------------------------- clients


def _handles(values: list[str]) -> dict[str, str]:
    handles: dict[str, str] = {}
    for value in values:
        platform, sep, handle = value.partition(":")
        if not sep or not platform.strip() or not handle.strip():
            raise ValueError(f"a handle is PLATFORM:HANDLE, e.g. instagram:@name — not {value!r}")
        handles[platform.strip().lower()] = handle.strip()
    return handles


@client_app.command("add")
def client_add(
    first_name: Annotated[str, typer.Option("--first")],
    last_name: Annotated[str, typer.Option("--last")],
    email: Annotated[list[str] | None, typer.Option(help="repeatable")] = None,
    phone: Annotated[list[str] | None, typer.Option(help="repeatable; national or E.164")] = None,
    handle: Annotated[list[str] | None, typer.Option(help="PLATFORM:HANDLE, repeatable")] = None,
    status: Annotated[str, typer.Option(help="present, past or prospective")] = "present",
    country: Annotated[str, typer.Option(help="for crisis resources")] = "",
    practice: PracticeOpt = None,
) -> None:
    """Add a client to the register."""
    from boundaries.practices.actions import do_add_client

    try:
        handles = _handles(handle or [])
    except ValueError as error:
        fail(str(error))
    django_setup()
    target = get_practice(practice)
    client = _action_errors(
        lambda: do_add_client(
            target,
            first_name=first_name,
            last_name=last_name,
            emails=email or [],
            phones=phone or [],
            handles=handles,
            status=status,
            country=country,
            actor_label="cli",
        )
    )
    out.print(f"Added client {client.pk}.")


@client_app.command("list")
def client_list(
    practice: PracticeOpt = None,
    status: Annotated[str | None, typer.Option(help="present, past or prospective")] = None,
) -> None:
    """List clients with their current agreement."""
    from boundaries.practices.models import Client

    django_setup()
    target = get_practice(practice)
    clients = Client.objects.filter(practice=target).prefetch_related("agreements")
    if status:
        clients = clients.filter(status=status)
    table = Table(
        "id", "name", "status", "country", "agreed channels", "reminders", "email content"
    )
    for client in clients:
        agreement = client.current_agreement()
        table.add_row(
            str(client.pk),
            str(client),
            client.status,
            client.country,
            ", ".join(agreement.channels) if agreement else "—",
            agreement.reminder_detail if agreement else "—",
            ("agreed" if agreement.session_content_by_email else "no") if agreement else "—",
        )
    out.print(table)


@client_app.command("export")
def client_export(
    client_id: int,
    output: Annotated[Path, typer.Argument(help="the zip file to write")],
    practice: PracticeOpt = None,
    force: Annotated[bool, typer.Option(help="overwrite an existing file")] = False,
) -> None:
    """A client's own data, readable, for their right of access (audited)."""
    import shutil

    from boundaries.practices.data_export import do_export_client

    if output.exists() and not force:
        fail(f"{output} exists; pass --force to overwrite it")
    django_setup()
    client = get_client(get_practice(practice), client_id)
    handle, result = do_export_client(client, actor_label="cli", via="cli")
    with handle, bad_input_is_one_line():
        descriptor = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as target:
            shutil.copyfileobj(handle, target)
    out.print(f"Wrote {output}: {result.files} files; manifest sha256 {result.manifest_sha256}.")
    if result.unreadable:
        err.print(f"{len(result.unreadable)} items could not be read: see the manifest.")
        raise typer.Exit(1)


@client_app.command("erase")
def client_erase(
    client_id: int,
    reason: Annotated[str, typer.Option(help="why (recorded in the audit log; no content)")],
    confirm: Annotated[int, typer.Option(help="the client's id again, to confirm")],
    practice: PracticeOpt = None,
) -> None:
    """Erase a client's content and contact details; welfare checks and the audit log stay."""
    from boundaries.practices.actions import do_erase_client

    if confirm != client_id:
        fail("--confirm must repeat the client's id")
    django_setup()
    client = get_client(get_practice(practice), client_id)
    removal = _action_errors(lambda: do_erase_client(client, actor_label="cli", reason=reason))
    kept = client.welfare_checks.count()
    out.print(
        f"Erased client {client_id}: {sum(removal.rows.values()):,} records and "
        f"{removal.files_removed} files removed; kept {kept} welfare checks and the audit log."
    )


IMPORT_COLUMNS = ("first_name", "last_name", "email", "phone", "status", "country", "handles")


@client_app.command("import")
def client_import(file: Path, practice: PracticeOpt = None) -> None:
    """Import clients from CSV; each row is reported, and a bad row never stops the good ones.

    Columns: first_name, last_name, email, phone, status, country, handles
    (handles as ``platform:handle`` separated by spaces or semicolons).
    """
    from boundaries.practices.actions import ActionError, do_add_client

    text = read_text(file)
    rows = list(csv.DictReader(text.splitlines()))
    if not rows:
        fail(f"{file}: no rows (the first line must name the columns)")
    missing = {"first_name", "last_name"} - set(rows[0].keys())
    if missing:
        fail(f"{file}: missing column(s) {', '.join(sorted(missing))}")
    django_setup()
    target = get_practice(practice)
    report = Table("line", "result")
    added = failed = 0
    for line_number, row in enumerate(rows, start=2):
        try:
            handles = _handles((row.get("handles") or "").replace(";", " ").split())
            client = do_add_client(
                target,
                first_name=row.get("first_name") or "",
                last_name=row.get("last_name") or "",
                emails=[row.get("email") or ""],
                phones=[row.get("phone") or ""],
                handles=handles,
                status=(row.get("status") or "present").strip().lower(),
                country=row.get("country") or "",
                actor_label="cli import",
            )
        except (ActionError, ValueError) as error:
            failed += 1
            report.add_row(str(line_number), f"[red]skipped: {error}[/]")
        else:
            added += 1
            report.add_row(str(line_number), f"added as client {client.pk}")
    out.print(report)
    out.print(f"{added} added, {failed} skipped.")
    if failed:
        raise typer.Exit(1)


# ---------------------------------------------------------------------------- agreements


@agreement_app.command("show")
def agreement_show(client_id: int, practice: PracticeOpt = None) -> None:
    """Show a client's agreement, every version."""
    django_setup()
    client = get_client(get_practice(practice), client_id)
    table = Table("version", "channels", "reminders", "session content by email", "recorded")
    for agreement in client.agreements.order_by("version"):
        email_terms = "no"
        if agreement.session_content_by_email:
            email_terms = (
                f"agreed {agreement.session_content_agreed_on}: {agreement.session_content_terms}"
            )
        table.add_row(
            str(agreement.version),
            ", ".join(agreement.channels),
            agreement.reminder_detail,
            email_terms,
            f"{agreement.recorded_at:%Y-%m-%d %H:%M} by {agreement.recorded_by_label}",
        )
    out.print(f"Client {client.pk} ({client.get_status_display()})")
    out.print(table)


@agreement_app.command("set")
def agreement_set(
    client_id: int,
    channels: Annotated[str, typer.Option(help="comma-separated: email,sms,phone,portal")],
    standard_reminders: Annotated[
        bool, typer.Option(help="reminders may say what the appointment is for")
    ] = False,
    session_content_by_email: Annotated[bool, typer.Option()] = False,
    agreed_on: Annotated[str | None, typer.Option(help="YYYY-MM-DD")] = None,
    terms: Annotated[str, typer.Option(help="what was agreed")] = "",
    note: Annotated[str, typer.Option()] = "",
    practice: PracticeOpt = None,
) -> None:
    """Record a new version of a client's agreement (the old one is kept)."""
    from boundaries.practices.actions import do_set_agreement

    agreed_date = None
    if agreed_on:
        try:
            agreed_date = dt.date.fromisoformat(agreed_on)
        except ValueError:
            fail(f"--agreed-on must be a date like 2026-11-01, not {agreed_on!r}")
    django_setup()
    client = get_client(get_practice(practice), client_id)
    agreement = _action_errors(
        lambda: do_set_agreement(
            client,
            channels=channels.split(","),
            reminder_detail="standard" if standard_reminders else "discreet",
            session_content_by_email=session_content_by_email,
            session_content_agreed_on=agreed_date,
            session_content_terms=terms,
            note=note,
            actor_label="cli",
        )
    )
    out.print(f"Recorded agreement version {agreement.version} for client {client.pk}.")


# ---------------------------------------------------------------------------- running


@app.command(
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
    add_help_option=False,
)
def manage(ctx: typer.Context) -> None:
    """Run a Django management command (e.g. `boundaries manage collectstatic`)."""
    django_setup()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["boundaries manage", *ctx.args])


@app.command()
def migrate() -> None:
    """Create or update the database."""
    django_setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    out.print("Database is up to date.")


@app.command()
def demo(
    host: Annotated[str, typer.Option()] = "127.0.0.1",
    port: Annotated[int, typer.Option()] = 8000,
    serve_site: Annotated[bool, typer.Option("--serve/--no-serve")] = True,
    smtp_port: Annotated[int, typer.Option(help="demo SMTP receiver port")] = 2525,
) -> None:
    """Create the database, load a demo practice, and serve it with a worker and SMTP receiver."""
    django_setup()
    from django.core.management import call_command

    from boundaries.practices.demo import DEMO_PASSWORD, DEMO_USERNAME, load_demo

    call_command("migrate", interactive=False, verbosity=0)
    practice, created = load_demo()
    out.print(
        f"Demo practice {practice.name!r} {'loaded' if created else 'already present'}: "
        f"{practice.clients.count()} fictional clients."
    )
    out.print(f"Demo login: username [bold]{DEMO_USERNAME}[/] password [bold]{DEMO_PASSWORD}[/]")
    if serve_site:
        children = _start_children(
            [
                ["worker"],
                ["scheduler"],
                ["smtpd", "--host", "127.0.0.1", "--port", str(smtp_port)],
            ]
        )
        out.print(
            f"Background worker started; demo mail to inbox@riverside-therapy.example "
            f"on SMTP 127.0.0.1:{smtp_port}."
        )
        try:
            _serve(host, port)
        finally:
            for child in children:
                child.terminate()
            for child in children:
                child.wait(timeout=10)


def _start_children(commands: list[list[str]]) -> list[Any]:
    """Start sibling `boundaries` processes (one process tree for the demo)."""
    import subprocess

    executable = [sys.executable, "-m", "boundaries"]
    return [subprocess.Popen([*executable, *command]) for command in commands]  # noqa: S603


@app.command()
def serve(
    host: Annotated[str, typer.Option()] = "127.0.0.1",
    port: Annotated[int, typer.Option()] = 8000,
    workers: Annotated[int, typer.Option(help="web worker processes")] = 2,
) -> None:
    """Serve the site with gunicorn (behind a reverse proxy in production)."""
    django_setup()
    _serve(host, port, workers)


def _serve(host: str, port: int, workers: int = 2) -> None:
    from gunicorn.app.base import BaseApplication

    from boundaries.wsgi import application

    class Server(BaseApplication):  # type: ignore[misc]  # gunicorn ships no types
        def load_config(self) -> None:
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", workers)
            self.cfg.set("accesslog", None)

        def load(self) -> Any:
            return application

    out.print(f"Serving on [bold]http://{host}:{port}/[/] — press Ctrl+C to stop.")
    Server().run()


@app.command()
def worker(
    interval: Annotated[float, typer.Option(help="seconds between polls when idle")] = 0.5,
    batch: Annotated[bool, typer.Option(help="run what is queued, then exit")] = False,
) -> None:
    """Run background tasks (triage actions, replies, alerts) from the database queue."""
    django_setup()
    from django.core.management import call_command

    options = ["--no-reload", "--queue-name", "*", "--interval", str(interval)]
    if batch:
        options += ["--batch", "--no-startup-delay"]
    call_command("db_worker", *options)


@app.command()
def scheduler(
    interval: Annotated[float, typer.Option(help="seconds between checks")] = 30.0,
    once: Annotated[bool, typer.Option(help="enqueue what is due, then exit")] = False,
) -> None:
    """Enqueue periodic jobs (retention, audit checkpoints) once per period."""
    import time

    django_setup()
    from boundaries import clock
    from boundaries.records.scheduling import run_due

    while True:
        for name in run_due(clock.now()):
            out.print(f"enqueued {name}")
        if once:
            return
        time.sleep(interval)


@app.command()
def smtpd(
    host: Annotated[str, typer.Option()] = "127.0.0.1",
    port: Annotated[int, typer.Option()] = 2525,
) -> None:
    """Receive the practice's mail over SMTP (250 only after the message is stored)."""
    import signal
    import threading

    django_setup()
    from boundaries.channels.email.smtpd import make_controller, raise_open_files_limit
    from boundaries.core.classifier import load_default_classifier

    # Load the classifier before listening, so the first message is triaged at full speed.
    load_default_classifier()
    # Every connection is a file descriptor; systemd's default soft limit is 1,024.
    open_files = raise_open_files_limit()
    controller = make_controller(host, port)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    controller.start()
    out.print(
        f"SMTP receiver listening on {host}:{port} (at most {controller.doorman.total} "
        f"connections, {controller.doorman.per_address} per address; open files {open_files})"
    )
    try:
        stop.wait()
    finally:
        controller.stop()


vault_app = typer.Typer(help="The encrypted vault: keys and rotation.")
app.add_typer(vault_app, name="vault")


@vault_app.command("generate-key")
def vault_generate_key() -> None:
    """Print a new random master key (store it outside the database)."""
    from boundaries.vault.keys import generate_master_key

    sys.stdout.write(generate_master_key() + "\n")


@vault_app.command("rotate-key")
def vault_rotate_key() -> None:
    """Rewrap every data key under the current master key; old keys come from
    BOUNDARIES_MASTER_KEYS_OLD. Content is not re-encrypted."""
    from rich.progress import Progress

    django_setup()
    from boundaries.vault.keys import KeyringError, keyring_from_settings
    from boundaries.vault.rotation import count_objects, rotate

    try:
        keyring = keyring_from_settings()
    except KeyringError as error:
        fail(str(error))
    with Progress() as progress:
        bar = progress.add_task("rewrapping data keys", total=count_objects())
        report = rotate(keyring, step=lambda: progress.advance(bar))
    out.print(
        f"Rewrapped {report.rewrapped_rows} sealed records and {report.rewrapped_files} files; "
        f"{report.already_current} were already under the current key."
    )


calendar_app = typer.Typer(help="Appointments from the practice's calendar.")
app.add_typer(calendar_app, name="calendar")


@calendar_app.command("import")
def calendar_import(file: Path, practice: PracticeOpt = None) -> None:
    """Import appointment times from a .ics export; attendees are matched by email."""
    from boundaries.practices.calendar import import_ics

    with bad_input_is_one_line():
        data = file.read_bytes()
    django_setup()
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


imap_app = typer.Typer(help="Mailboxes at the practice's provider, polled over IMAP.")
app.add_typer(imap_app, name="imap")


@imap_app.command("add")
def imap_add(
    host: Annotated[str, typer.Option()],
    username: Annotated[str, typer.Option()],
    port: Annotated[int, typer.Option()] = 993,
    ssl: Annotated[bool, typer.Option("--ssl/--no-ssl")] = True,
    folder: Annotated[str, typer.Option()] = "INBOX",
    practice: PracticeOpt = None,
) -> None:
    """Add a mailbox; the password is read from standard input and stored encrypted."""
    from boundaries.channels.email.imap import seal_password
    from boundaries.inbox.models import MailboxAccount

    password = sys.stdin.readline().rstrip("\n")
    if not password:
        fail("give the mailbox password on standard input")
    django_setup()
    target = get_practice(practice)
    account = MailboxAccount.objects.create(
        practice=target,
        host=host,
        port=port,
        use_ssl=ssl,
        username=username,
        folder=folder,
        sealed_password=seal_password(target.pk, username, password),
    )
    out.print(f"Added mailbox {account.pk}. Poll it with `boundaries imap poll`.")


@imap_app.command("poll")
def imap_poll(
    once: Annotated[bool, typer.Option(help="poll each mailbox once, then exit")] = False,
    interval: Annotated[int, typer.Option(help="seconds between polls")] = 60,
) -> None:
    """Fetch new mail from every mailbox and triage it."""
    import time

    from imapclient.exceptions import IMAPClientError

    django_setup()
    from boundaries.channels.email.imap import poll_account
    from boundaries.inbox.models import MailboxAccount

    while True:
        for account in MailboxAccount.objects.select_related("practice"):
            try:
                result = poll_account(account)
            except (IMAPClientError, OSError) as error:
                err.print(f"mailbox {account.pk}: {type(error).__name__}: will retry")
                continue
            out.print(
                f"mailbox {account.pk}: {result.fetched} fetched, {result.stored} new, "
                f"{result.removed} moved into the vault"
            )
        if once:
            return
        time.sleep(interval)


def _mount_optional(module: str, name: str, help_text: str) -> None:
    """Mount a sub-command that lives in its own module."""
    import importlib

    try:
        sub = importlib.import_module(module)
    except ModuleNotFoundError as error:
        if error.name != module:  # a real missing dependency must not hide
            raise
        return
    app.add_typer(sub.app, name=name, help=help_text)


_mount_optional("boundaries.cli_triage", "triage", "Triage a message as Boundaries would.")
_mount_optional("boundaries.cli_guard", "guard", "Check a draft before it is sent.")
_mount_optional("boundaries.cli_audit", "audit", "Verify and export the audit log.")
_mount_optional("boundaries.cli_exports", "exports", "Audit your platform downloads for clients.")


def _register_commands(module: str, names: tuple[str, ...]) -> None:
    """Top-level commands that live in their own module."""
    import importlib

    sub = importlib.import_module(module)
    for name in names:
        app.command(name)(getattr(sub, name))


_register_commands("boundaries.cli_backup", ("backup", "restore"))


def main() -> None:
    app()
