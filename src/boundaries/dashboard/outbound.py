"""Everything a therapist sends through Boundaries passes the outbound guard first.

Blocking findings stop the message. Warnings let it go only with a typed
reason, which goes to the audit log with the rule ids (never the draft).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction

from boundaries.audit.log import record
from boundaries.core.guard import (
    Draft,
    GuardResult,
    OutboundChannel,
    Recipient,
    RecipientStatus,
    check,
)
from boundaries.core.policy.templates import demo_policy
from boundaries.inbox.triage import policy_for, sender_context
from boundaries.practices.models import Client

SENDABLE = (OutboundChannel.PORTAL, OutboundChannel.EMAIL, OutboundChannel.SMS)


class GuardRefusal(Exception):  # noqa: N818 - a refusal the therapist sees, not a bug
    def __init__(self, result: GuardResult, message: str) -> None:
        super().__init__(message)
        self.result = result


def guard_for_client(
    client: Client, channel: OutboundChannel, text: str, subject: str = ""
) -> GuardResult:
    policy = policy_for(client.practice) or demo_policy(client.practice.country)
    context = sender_context(client.practice, client)
    status = {
        Client.Status.PRESENT: RecipientStatus.PRESENT_CLIENT,
        Client.Status.PAST: RecipientStatus.PAST_CLIENT,
    }.get(Client.Status(client.status), RecipientStatus.UNKNOWN)
    return check(
        Draft(text=text, subject=subject),
        channel,
        Recipient(status=status, country=client.country),
        policy,
        context.agreement,
    )


@dataclass(frozen=True, slots=True)
class Cleared:
    result: GuardResult
    reason: str


def clear_to_send(
    client: Client,
    channel: OutboundChannel,
    text: str,
    *,
    subject: str = "",
    reason: str = "",
    actor: Any,
) -> Cleared:
    """Run the guard: refuse if blocked or if warnings lack a reason; audit any override."""
    result = guard_for_client(client, channel, text, subject)
    if result.blocked:
        raise GuardRefusal(result, "The guard blocked this message; see why below.")
    if result.needs_reason and not reason.strip():
        raise GuardRefusal(result, "Say why you are sending this despite the warnings.")
    if result.findings:
        with transaction.atomic():
            record(
                action="guard.override",
                obj=client,
                practice=client.practice,
                actor=actor,
                reason=reason.strip(),
                details={
                    "channel": channel.value,
                    "rules": sorted({f.rule.value for f in result.findings}),
                },
            )
    return Cleared(result, reason.strip())
