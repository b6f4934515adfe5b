"""``boundaries triage``: decide what would happen to a message, without storing anything.

With TEXT, one decision is printed (``--format text`` for people, ``json`` for
programs). Without TEXT, JSON Lines are read from stdin and one JSON decision is
written per line, in order; a line that cannot be read gets ``{"line": N,
"error": "..."}`` in its place and the rest go on (exit code 2 at the end).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape

from boundaries import clock
from boundaries.cli.output import EXIT_BAD_INPUT
from boundaries.cli.output import err as _err
from boundaries.cli.output import fail as _fail
from boundaries.cli.output import out as _out
from boundaries.core.decision_json import InputError, decision_to_dict, request_from_dict
from boundaries.core.policy.errors import PolicyError
from boundaries.core.policy.loader import load_policy
from boundaries.core.policy.model import Policy
from boundaries.core.policy.templates import available_templates, demo_policy
from boundaries.core.triage import decide
from boundaries.core.types import Channel, Decision, RiskLevel, SenderStatus

__all__ = ["EXIT_BAD_INPUT", "app"]


app = typer.Typer(add_completion=False, invoke_without_command=True, no_args_is_help=False)


def _policy(path: Path | None, country: str | None) -> Policy:
    if path is None:
        code = (country or "GB").upper()
        return demo_policy(code if code in available_templates() else "GB")
    try:
        return load_policy(path.read_text(encoding="utf-8"), filename=str(path))
    except OSError as error:
        _fail(f"{path}: {error.strerror or error}")
    except UnicodeDecodeError:
        _fail(f"{path}: not UTF-8 text")
    except PolicyError as error:
        _fail(str(error))


def _print_text(decision: Decision) -> None:
    if decision.crisis:
        _out.print("[bold white on red] URGENT [/] the therapist is alerted now")
    elif decision.risk is RiskLevel.CONCERN:
        _out.print("[bold black on yellow] CONCERN [/] on today's review list, no page")
    _out.print(f"[bold]risk:[/] {decision.risk.value}")
    _out.print(f"[bold]actions:[/] {', '.join(a.value for a in decision.actions)}")
    if decision.clauses:
        _out.print(f"[bold]clauses:[/] {', '.join(c.value for c in decision.clauses)}")
    labels = ", ".join(sorted(label.value for label in decision.labels)) or "none"
    _out.print(f"[bold]labels:[/] {escape(labels)}")
    for reason in decision.reasons:
        _out.print(f"  - {escape(reason)}")
    if decision.agenda_note:
        _out.print(f"[bold]agenda:[/] {escape(decision.agenda_note)}")
    if decision.reply:
        _out.print("[bold]reply:[/]")
        _out.print(escape(decision.reply))
    else:
        _out.print("[bold]reply:[/] none")


@app.callback()
def triage(
    text: Annotated[
        str | None, typer.Argument(help="The message. Without it, JSON Lines are read from stdin.")
    ] = None,
    channel: Annotated[Channel, typer.Option(help="Where the message arrived.")] = Channel.EMAIL,
    sender: Annotated[
        SenderStatus, typer.Option(help="Who the sender is to the practice.")
    ] = SenderStatus.UNKNOWN,
    country: Annotated[
        str | None, typer.Option(help="Sender's country (ISO code) for crisis resources.")
    ] = None,
    agreed: Annotated[
        str | None,
        typer.Option(
            help="Channels the client agreed to, comma-separated (email,sms,phone,portal)."
        ),
    ] = None,
    session_email_agreed: Annotated[
        bool, typer.Option(help="The client agreed to session content by email.")
    ] = False,
    subject: Annotated[str, typer.Option(help="Subject line, for email.")] = "",
    policy_file: Annotated[
        Path | None, typer.Option("--policy", help="policy.toml (default: the country template).")
    ] = None,
    output: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
) -> None:
    """Triage a message as Boundaries would, and say why."""
    if output not in {"text", "json"}:
        _fail(f"--format: expected text or json, got {output!r}")
    defaults: dict[str, Any] = {
        "channel": channel.value,
        "sender": sender.value,
        "country": country,
        "subject": subject,
        "agreed_channels": agreed,
        "session_content_by_email": session_email_agreed,
    }
    policy = _policy(policy_file, country)
    if text is not None:
        try:
            message, context = request_from_dict({"text": text}, now=clock.now(), defaults=defaults)
        except InputError as error:
            _fail(str(error))
        decision = decide(message, policy, context)
        if output == "json":
            _out.out(json.dumps(decision_to_dict(decision), ensure_ascii=False))
        else:
            _print_text(decision)
        return
    raise typer.Exit(_batch(policy, defaults))


def _batch(policy: Policy, defaults: dict[str, Any]) -> int:
    bad = 0
    write = sys.stdout.write
    for number, line in enumerate(sys.stdin, start=1):
        if not line.strip():
            continue
        try:
            message, context = request_from_dict(
                json.loads(line), now=clock.now(), defaults=defaults
            )
        except (json.JSONDecodeError, InputError) as error:
            bad += 1
            reason = (
                f"not JSON: {error.msg}" if isinstance(error, json.JSONDecodeError) else str(error)
            )
            write(json.dumps({"line": number, "error": reason}) + "\n")
            continue
        result = decision_to_dict(decide(message, policy, context))
        write(json.dumps({"line": number, **result}, ensure_ascii=False) + "\n")
    sys.stdout.flush()
    if bad:
        _err.print(f"[bold red]error:[/] {bad} line(s) could not be read; see their error objects")
        return EXIT_BAD_INPUT
    return 0
