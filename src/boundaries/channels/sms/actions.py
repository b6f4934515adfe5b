"""What the Twilio webhook changes: opt-outs (STOP/START) and a reply given in its TwiML answer.

Each function runs inside the webhook's transaction together with ``do_ingest``,
so the message, the opt-out and the record that its reply was given commit
together or not at all.
"""

from __future__ import annotations

import phonenumbers
from django.db import transaction

from boundaries import clock
from boundaries.audit.log import record
from boundaries.channels.sms.models import SmsOptOut, number_digest
from boundaries.channels.sms.parse import Keyword
from boundaries.channels.sms.senders import answering_in_twiml
from boundaries.core.policy.templates import demo_policy
from boundaries.inbox.delivery import Skip
from boundaries.inbox.models import ActionRun, Message
from boundaries.inbox.sealing import unseal
from boundaries.inbox.tasks import REPLY_ACTIONS, finish_run, send_reply
from boundaries.inbox.triage import policy_for
from boundaries.practices.models import Practice

__all__ = ["do_answer_in_twiml", "do_record_sms_keyword", "do_skip_replies", "help_text"]


def do_record_sms_keyword(practice: Practice, number: str, keyword: Keyword) -> SmsOptOut | None:
    """Record an opt-out or opt-in for ``number``; HELP changes nothing here.

    Twilio's opt-out handling (on by default) sends the carrier-required
    confirmation of STOP and START itself; we record the choice so that nothing
    automated is ever texted to a number that said STOP.
    """
    if keyword == Keyword.HELP or not number:
        return None
    opted_out = keyword == Keyword.OPT_OUT
    with transaction.atomic():
        row, _ = SmsOptOut.objects.update_or_create(
            practice=practice,
            number_hash=number_digest(number),
            defaults={"opted_out": opted_out, "changed_at": clock.now()},
        )
        record(
            action="sms.opt_out" if opted_out else "sms.opt_in",
            obj=row,
            practice=practice,
            actor_label="carrier keyword",
        )
    return row


def _display(phone: str) -> str:
    try:
        number = phonenumbers.parse(phone, None)
    except phonenumbers.NumberParseException:
        return phone
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def help_text(practice: Practice, country: str) -> str:
    """Our answer to HELP: who this is, the practice's phone, how to stop, the crisis footer.

    ``country`` picks the crisis resources (the sender's, when the register knows it).
    """
    policy = policy_for(practice)
    phone = f" To reach us, call {_display(policy.practice.phone)}." if policy else ""
    # Without a published policy the country template still knows the crisis lines.
    footer = (policy or demo_policy(practice.country)).crisis_for(country).footer()
    return (
        f"{practice.name}: texts to this number are for appointments and are not read "
        f"around the clock.{phone} Reply STOP to stop texts. {footer}"
    )


def do_answer_in_twiml(message: Message) -> str:
    """The reply to give in the webhook's answer, or '' — marking its action done if given.

    The inbox's own ``send_reply`` decides whether a reply may go (a published
    policy, an address, the loop-prevention window, STOP); only the sending is
    replaced by the TwiML answer. When it says no, the action stays pending and
    the worker records why.
    """
    pending = {
        run.action: run
        # Through the message's own manager: each run's ``message`` is this one, not refetched.
        for run in message.action_runs.select_for_update().filter(
            action__in=[action.value for action in REPLY_ACTIONS],
            status=ActionRun.Status.PENDING,
        )
    }
    first = next((name for name in message.actions if name in pending), None)
    if first is None:
        return ""
    content = unseal(
        bytes(message.sealed), practice_id=message.practice_id, content_hash=message.content_hash
    )
    with answering_in_twiml() as collected:
        try:
            send_reply(message, content)
        except Skip:
            return ""
    if not collected:
        return ""
    finish_run(
        pending[first],
        ActionRun.Status.DONE,
        "sent in the answer to Twilio's webhook (TwiML)",
        by="sms webhook",
    )
    return collected[0]


def do_skip_replies(message: Message, reason: str) -> int:
    """Mark the decision's pending replies skipped (a carrier keyword gets no other answer)."""
    runs = list(
        message.action_runs.select_for_update().filter(
            action__in=[action.value for action in REPLY_ACTIONS],
            status=ActionRun.Status.PENDING,
        )
    )
    with transaction.atomic():
        for run in runs:
            finish_run(run, ActionRun.Status.SKIPPED, reason, by="sms webhook")
    return len(runs)
