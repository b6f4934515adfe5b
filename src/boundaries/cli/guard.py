"""``boundaries guard check``: run the outbound guard on a draft from the command line.

Exit codes: 0 the draft is clean; 1 it has findings (blocked, or warnings that need
a typed reason to send); 2 bad input, as one line on stderr. The draft's text is
printed back only as the few words a finding points at, on the user's own
terminal; JSON output carries positions, never the words.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from PIL import Image, UnidentifiedImageError
from rich.markup import escape

from boundaries.cli.output import EXIT_BAD_INPUT
from boundaries.cli.output import fail as _fail
from boundaries.cli.output import out as _out
from boundaries.core.classifier import load_default_classifier
from boundaries.core.guard import (
    Draft,
    DraftPart,
    Finding,
    GuardResult,
    ImageMeta,
    OutboundChannel,
    Recipient,
    RecipientStatus,
    check,
)
from boundaries.core.policy.errors import PolicyError
from boundaries.core.policy.loader import load_policy
from boundaries.core.policy.model import Policy, Severity
from boundaries.core.policy.templates import demo_policy
from boundaries.core.types import AgreedChannel, AgreementTerms, ReminderDetail

__all__ = ["EXIT_BAD_INPUT", "EXIT_FINDINGS", "app", "make_app", "read_image_meta"]

EXIT_FINDINGS = 1

#: Reads the policy named by ``--policy`` (None: the demo policy). Raises ``BadInputError``.
PolicySource = Callable[[Path | None], Policy]


class BadInputError(Exception):
    """Something the user typed or pointed at cannot be used; the message is one line."""


def load_policy_source(path: Path | None) -> Policy:
    """``--policy FILE`` through the policy loader, or the demo policy when none is given."""
    if path is None:
        return demo_policy()
    try:
        text = path.read_text(encoding="utf-8")
        return load_policy(text, filename=str(path))
    except PolicyError as error:
        raise BadInputError(str(error)) from None
    except OSError as error:
        raise BadInputError(f"{path}: {error.strerror or 'cannot be read'}") from None
    except UnicodeDecodeError:
        raise BadInputError(f"{path}: not UTF-8 text") from None


def read_image_meta(path: Path) -> ImageMeta | None:
    """What the guard needs to know of an attached file: for an image, whether it has GPS."""
    gps_ifd = 0x8825  # EXIF pointer to the GPS block
    try:
        with Image.open(path) as image:
            exif = image.getexif()
            has_gps = bool(exif.get_ifd(gps_ifd)) if gps_ifd in exif else False
            content_type = Image.MIME.get(image.format or "", "image/unknown")
    except UnidentifiedImageError:
        return None  # not an image: nothing to strip, nothing for the location rule
    except OSError as error:
        raise BadInputError(f"{path}: {error.strerror or 'cannot be read'}") from None
    return ImageMeta(has_gps=has_gps, content_type=content_type, size=path.stat().st_size)


_Choice = TypeVar("_Choice", OutboundChannel, RecipientStatus)


def _choice(kind: type[_Choice], value: str, option: str) -> _Choice:
    try:
        return kind(value.strip().lower())
    except ValueError:
        allowed = ", ".join(member.value for member in kind)
        raise BadInputError(f"{option} must be one of {allowed}, not {value!r}") from None


def _agreement(agreed: str | None, by_email: bool, discreet: bool) -> AgreementTerms | None:
    if agreed is None and not by_email and not discreet:
        return None
    if agreed is None:  # no limit given: the client has not restricted the channels
        return AgreementTerms(
            channels=frozenset(AgreedChannel),
            reminder_detail=ReminderDetail.DISCREET if discreet else ReminderDetail.STANDARD,
            session_content_by_email=by_email,
        )
    channels = set()
    for name in agreed.split(","):
        if not name.strip():
            continue
        try:
            channels.add(AgreedChannel(name.strip().lower()))
        except ValueError:
            allowed = ", ".join(member.value for member in AgreedChannel)
            raise BadInputError(f"--agreed takes {allowed}, not {name.strip()!r}") from None
    return AgreementTerms(
        channels=frozenset(channels),
        reminder_detail=ReminderDetail.DISCREET if discreet else ReminderDetail.STANDARD,
        session_content_by_email=by_email,
    )


def _read_draft(file: Path) -> str:
    if str(file) == "-":
        return sys.stdin.read()
    try:
        return file.read_text(encoding="utf-8")
    except OSError as error:
        raise BadInputError(f"{file}: {error.strerror or 'cannot be read'}") from None
    except UnicodeDecodeError:
        raise BadInputError(f"{file}: not UTF-8 text") from None


def result_as_json(result: GuardResult) -> dict[str, object]:
    """The verdict and each finding's clause, rule, severity, explanation and position."""
    return {
        "verdict": _verdict(result),
        "blocked": result.blocked,
        "needs_reason": result.needs_reason,
        "findings": [
            {
                "clause": f.clause.value,
                "rule": f.rule.value,
                "severity": f.severity.value,
                "explanation": f.explanation,
                "span": None
                if f.span is None
                else {"part": f.span.part.value, "start": f.span.start, "end": f.span.end},
                "attachment": f.attachment,
            }
            for f in result.findings
        ],
    }


def _verdict(result: GuardResult) -> str:
    if result.blocked:
        return "blocked"
    return "needs_reason" if result.needs_reason else "clean"


def _print_readably(result: GuardResult, draft: Draft) -> None:
    for number, finding in enumerate(result.findings, start=1):
        colour = "red" if finding.severity is Severity.BLOCK else "yellow"
        _out.print(
            f"[bold {colour}]{number}. {finding.severity.value.upper()}[/] "
            f"[bold]{finding.clause.value}[/] [dim]({finding.rule.value})[/]"
        )
        where = _where(finding, draft)
        if where:
            _out.print(f"   [dim]{escape(where)}[/]")
        _out.print(f"   {escape(finding.explanation)}")
    if result.blocked:
        blocking = sum(1 for f in result.findings if f.severity is Severity.BLOCK)
        _out.print(f"[bold red]Blocked:[/] {blocking} finding(s) stop this draft being sent.")
    elif result.needs_reason:
        _out.print(
            f"[bold yellow]Warnings:[/] {len(result.findings)} finding(s); "
            "sending it needs a typed reason, which is audited."
        )
    else:
        _out.print("[bold green]Clean:[/] nothing in this draft goes against the policy.")


def _where(finding: Finding, draft: Draft) -> str:
    if finding.attachment is not None:
        return f"attachment {finding.attachment + 1}"
    if finding.span is None:
        return ""
    part = draft.subject if finding.span.part is DraftPart.SUBJECT else draft.text
    words = " ".join(part[finding.span.start : finding.span.end].split())
    return f"{finding.span.part.value} {finding.span.start}-{finding.span.end}: “{words}”"


def make_app(policy_source: PolicySource = load_policy_source) -> typer.Typer:
    """The guard's commands, reading policies through ``policy_source``."""
    guard_app = typer.Typer(
        help="Check what you are about to send against the policy.",
        no_args_is_help=True,
        pretty_exceptions_enable=False,
    )

    @guard_app.callback()
    def guard() -> None:
        """Check what you are about to send against the policy."""

    @guard_app.command("check")
    def check_command(
        file: Annotated[
            Path | None, typer.Argument(help="the draft as plain text; - reads standard input")
        ] = None,
        channel: Annotated[
            str | None,
            typer.Option(help="email, sms, portal, social_dm, social_post, review_reply, ..."),
        ] = None,
        to: Annotated[
            str | None,
            typer.Option("--to", help="present_client, past_client, unknown or public"),
        ] = None,
        agreed: Annotated[
            str | None,
            typer.Option(help="channels the client agreed to, e.g. email,sms,phone,portal"),
        ] = None,
        session_content_by_email: Annotated[
            bool, typer.Option(help="the client agreed in advance to session content by email")
        ] = False,
        discreet: Annotated[
            bool, typer.Option(help="the client asked for discreet reminders")
        ] = False,
        automated: Annotated[bool, typer.Option(help="this is an automated reply")] = False,
        country: Annotated[
            str | None, typer.Option(help="the recipient's country (ISO code) for crisis lines")
        ] = None,
        subject: Annotated[str, typer.Option(help="the email subject")] = "",
        attach: Annotated[
            list[Path] | None, typer.Option(help="an attached file (images are read for GPS)")
        ] = None,
        policy: Annotated[
            Path | None, typer.Option("--policy", help="policy.toml (default: the demo policy)")
        ] = None,
        output: Annotated[str, typer.Option("--format", help="text or json")] = "text",
    ) -> None:
        """Check a draft: exit 0 clean, 1 with findings, 2 on bad input."""
        if file is None:
            _fail("give the draft as a FILE (or - for standard input)")
        if channel is None or to is None:
            _fail("--channel and --to are required")
        if output not in {"text", "json"}:
            _fail(f"--format must be text or json, not {output!r}")
        try:
            outbound = _choice(OutboundChannel, channel, "--channel")
            status = _choice(RecipientStatus, to, "--to")
            terms = _agreement(agreed, session_content_by_email, discreet)
            images = tuple(
                meta for path in attach or [] if (meta := read_image_meta(path)) is not None
            )
            draft = Draft(_read_draft(file), subject, automated, images)
            chosen_policy = policy_source(policy)
        except BadInputError as error:
            _fail(str(error))
        if country and country.strip().upper() not in chosen_policy.crisis:
            known = ", ".join(sorted(chosen_policy.crisis))
            _fail(f"--country {country!r} has no crisis resources (known: {known})")
        recipient = Recipient(status, country.strip().upper() if country else None)
        result = check(
            draft, outbound, recipient, chosen_policy, terms, classifier=load_default_classifier()
        )
        if output == "json":
            sys.stdout.write(json.dumps(result_as_json(result), indent=2) + "\n")
        else:
            _print_readably(result, draft)
        if result.findings:
            raise typer.Exit(EXIT_FINDINGS)

    return guard_app


app = make_app()
