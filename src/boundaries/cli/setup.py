"""``boundaries setup``: the first-run setup of the browser, for operators who prefer the shell.

The same steps in the same order: practice details, the owner's account,
the policy (from the country template, or a file), the addresses messages
arrive at, the alert contacts, and publishing version 1. Every value can be
given as an option; what is missing is asked for, unless ``--no-input``, when
it is an error. Everything is checked before anything is written, and written
in one transaction: a refusal leaves the installation as it was.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from rich.markup import escape

from boundaries.channels.alert_check import do_send_test_alert
from boundaries.cli.alerts import print_tries
from boundaries.cli.inputs import action_errors, owner_password, read_text
from boundaries.cli.output import fail, out
from boundaries.core.policy.model import EthicsBody
from boundaries.core.policy.templates import available_templates
from boundaries.inbox.routes import do_add_route
from boundaries.practices.actions.details import do_set_alert_contacts
from boundaries.practices.actions.practices import do_add_therapist, do_create_practice
from boundaries.practices.models import PolicyVersion, Practice, Therapist
from boundaries.setup import actions as steps  # the browser's setup, step by step

__all__ = ["setup"]

TIMEZONES = {"GB": "Europe/London", "US": "America/New_York"}


def _ask(value: str | None, question: str, *, no_input: bool, flag: str, default: str = "") -> str:
    """VALUE, or the answer to QUESTION; with --no-input a missing value is an error."""
    if value is not None:
        return value
    if no_input:
        if default:
            return default
        fail(f"{flag} is needed (or run without --no-input to be asked)")
    answer: str = typer.prompt(question, default=default or None, show_default=bool(default))
    return answer


def setup(
    practice_name: Annotated[str | None, typer.Option(help="the practice's name")] = None,
    country: Annotated[str | None, typer.Option(help="GB or US (the policy template)")] = None,
    timezone: Annotated[str | None, typer.Option(help="IANA time zone")] = None,
    professional_body: Annotated[str, typer.Option(help="e.g. UKCP, BACP")] = "",
    slug: Annotated[str, typer.Option(help="short name used in addresses")] = "",
    owner_username: Annotated[str | None, typer.Option(help="the owner's username")] = None,
    owner_name: Annotated[
        str | None, typer.Option(help="the owner's name as clients know it")
    ] = None,
    owner_email: Annotated[str | None, typer.Option(help="the owner's email")] = None,
    password_stdin: Annotated[
        bool, typer.Option(help="read the owner's password from standard input (else generated)")
    ] = False,
    policy: Annotated[
        Path | None, typer.Option(help="publish this policy.toml instead of the template")
    ] = None,
    phone: Annotated[str | None, typer.Option(help="policy: phone for appointments")] = None,
    policy_email: Annotated[str | None, typer.Option(help="policy: email clients may use")] = None,
    website: Annotated[str | None, typer.Option(help="policy: the practice's website")] = None,
    body_name: Annotated[str, typer.Option(help="policy: licensing body (US)")] = "",
    body_short_name: Annotated[str, typer.Option(help="its short name")] = "",
    body_address: Annotated[str, typer.Option(help="its postal address")] = "",
    body_url: Annotated[str, typer.Option(help="its website")] = "",
    email_route: Annotated[
        list[str] | None, typer.Option(help="an address or @domain mail arrives at; repeatable")
    ] = None,
    sms_number: Annotated[str, typer.Option(help="the Twilio number clients text")] = "",
    meta_id: Annotated[
        list[str] | None, typer.Option(help="a Facebook Page or Instagram id; repeatable")
    ] = None,
    alert_email: Annotated[str, typer.Option(help="email for urgent alerts")] = "",
    alert_phone: Annotated[str, typer.Option(help="mobile for urgent alerts by text")] = "",
    summary: Annotated[str, typer.Option(help="the first version's published summary")] = (
        "First version"
    ),
    test_alert: Annotated[
        bool, typer.Option(help="send the owner a test alert at the end")
    ] = False,
    no_input: Annotated[bool, typer.Option(help="never ask; a missing value is an error")] = False,
    show_key: Annotated[
        bool, typer.Option(help="print the key the browser's setup asks for, and stop")
    ] = False,
) -> None:
    """Set up a practice: details, owner, policy, addresses, alerts, publish (version 1)."""
    if show_key:
        if not steps.installation_is_empty():
            fail("this installation has accounts already: sign in, or use `boundaries setup`")
        out.print(f"Setup key: {steps.first_run_key()}")
        out.print("Open /dashboard/setup/ in the browser and give this key.")
        return
    name = _ask(practice_name, "Practice name", flag="--practice-name", no_input=no_input)
    code = _ask(
        country, "Country (GB or US)", flag="--country", default="GB", no_input=no_input
    ).upper()
    if code not in available_templates():
        fail(f"no policy template for {code!r}; available: {', '.join(available_templates())}")
    zone = _ask(
        timezone, "Time zone", flag="--timezone", default=TIMEZONES.get(code, ""), no_input=no_input
    )
    username = _ask(owner_username, "Owner's username", flag="--owner-username", no_input=no_input)
    display = _ask(
        owner_name, "Owner's name as clients know it", flag="--owner-name", no_input=no_input
    )
    email = _ask(owner_email, "Owner's email", flag="--owner-email", no_input=no_input)
    source = read_text(policy) if policy is not None else None
    details: dict[str, str] = {}
    if source is None:
        details = {
            "phone": _ask(
                phone, "Phone for changing appointments", flag="--phone", no_input=no_input
            ),
            "email": _ask(
                policy_email,
                "Email clients may write to",
                flag="--policy-email",
                default=email,
                no_input=no_input,
            ),
            "website": _ask(website, "Website (https://...)", flag="--website", no_input=no_input),
        }
    body_parts = [body_name, body_short_name, body_address, body_url]
    if any(body_parts) and not all(body_parts):
        fail("the licensing body needs --body-name, --body-short-name, --body-address, --body-url")
    body = (
        EthicsBody(name=body_name, short_name=body_short_name, address=body_address, url=body_url)
        if all(body_parts)
        else None
    )
    password, generated = owner_password(from_stdin=password_stdin)
    try:
        validate_password(password)
    except ValidationError as error:
        fail("the owner's password: " + " ".join(error.messages))

    def run() -> tuple[Practice, Therapist, PolicyVersion]:
        with transaction.atomic():  # all of it, or nothing
            created = do_create_practice(
                name=name,
                country=code,
                timezone_name=zone,
                professional_body=professional_body,
                slug=slug,
                actor_label="cli",
            )
            owner = do_add_therapist(
                created,
                username=username,
                password=password,
                display_name=display,
                email=email,
                role=Therapist.Role.OWNER,
                actor_label="cli",
            )
            progress = steps.do_start_setup(created, actor_label="cli")
            text = source or steps.template_draft(
                created,
                therapist_name=display,
                phone=details["phone"],
                email=details["email"],
                website=details["website"],
                body=body,
            )
            steps.do_save_policy_draft(progress, text, actor_label="cli")
            for address in email_route or []:
                do_add_route(created, kind="email", address=address, actor_label="cli")
            if sms_number:
                do_add_route(created, kind="sms", address=sms_number, actor_label="cli")
            for account in meta_id or []:
                do_add_route(created, kind="meta_page", address=account, actor_label="cli")
            if alert_email or alert_phone:
                do_set_alert_contacts(
                    owner, alert_email=alert_email, alert_phone=alert_phone, actor_label="cli"
                )
            version = steps.do_finish_setup(progress, summary=summary, actor_label="cli")
            return created, owner, version

    practice, owner, version = action_errors(run)
    out.print(
        f"Set up {escape(practice.name)} ({practice.slug}), "
        f"policy version {version.number} published."
    )
    out.print(f"Owner account: {escape(owner.user.get_username())}")
    if generated:
        out.print(f"First password (shown once, pass it on securely): {password}")
    out.print("At first sign-in the owner sets up an authenticator app and gets recovery codes.")
    if test_alert:
        print_tries(do_send_test_alert(owner, actor_label="cli"), not_sent="Test alert not sent")
