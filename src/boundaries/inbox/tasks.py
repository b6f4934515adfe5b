"""Background work for inbound messages: alerts first, then replies and the rest.

``carry_out`` runs the pending actions of one message in the decision's order.
Each action is marked done in its own transaction after its side effect, so a
crash repeats at most the one action in flight (alerts are at-least-once: a
duplicate alert is far better than a missing one). Temporary failures are
retried with backoff; after the last attempt the action is marked failed and
the dashboard shows it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import unicodedata
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils.crypto import salted_hmac
from django_tasks import task

from boundaries import clock
from boundaries.audit.log import record
from boundaries.core.types import PUBLIC_CHANNELS, Action, Channel
from boundaries.inbox.delivery import ALERT_SUBJECT, RetryLaterError, Skip, senders
from boundaries.inbox.models import ActionRun, Alert, Message, ReplyLedger
from boundaries.inbox.sealing import Content, unseal
from boundaries.links import site_link
from boundaries.practices.models import Therapist

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
REPLY_ACTIONS = (Action.CRISIS_RESOURCES_REPLY, Action.REDIRECT_REPLY, Action.SECURE_CHANNEL_REPLY)


def alert_text(message: Message) -> str:
    link = site_link(reverse("dashboard:message", args=[message.pk]))
    return f"{ALERT_SUBJECT}. Open Boundaries to see it: {link}"


def _alert_recipients(message: Message) -> list[Therapist]:
    if message.client is not None and message.client.therapist is not None:
        return [message.client.therapist]
    return list(
        Therapist.objects.filter(practice_id=message.practice_id, role=Therapist.Role.OWNER)
    )


def send_alert(message: Message, content: Content) -> str:
    alert = Alert.objects.get(message=message)
    text = alert_text(message)
    delivered = 0
    for therapist in _alert_recipients(message):
        for kind, sender in senders().alert.items():
            if (kind == "email" and (therapist.alert_email or therapist.user.email)) or (
                kind == "sms" and therapist.alert_phone
            ):
                sender(therapist, text)
                delivered += 1
    if delivered == 0:
        raise RetryLaterError("no alert channel could be used")
    Alert.objects.filter(pk=alert.pk, sent_at__isnull=True).update(sent_at=clock.now())
    return f"sent on {delivered} channel(s)"


def _counterpart(address: str) -> str:
    return hashlib.sha256(address.strip().lower().encode()).hexdigest()


def crisis_text_digest(address: str, subject: str, text: str) -> str:
    """A keyed digest of a crisis message's words and sender, for its reply slot.

    The words are normalised (lines quoted from earlier mail dropped, Unicode
    compatibility forms folded, case and spacing ignored), so the same message
    sent again shares one slot while anything the person writes differently gets
    its own. Keyed with the secret key (HMAC-SHA-256): a short text could be
    guessed from a plain hash, and the ledger must hold no content.
    """
    lines = [
        line for line in f"{subject}\n{text}".splitlines() if not line.lstrip().startswith(">")
    ]
    words = " ".join(unicodedata.normalize("NFKC", " ".join(lines)).casefold().split())
    value = f"{address.strip().lower()}\0{words}"
    return salted_hmac(_LEDGER_SALT, value, algorithm="sha256").hexdigest()


_LEDGER_SALT = "boundaries.inbox.ReplyLedger.text_digest"


def reply_slot(message: Message, content: Content) -> dict[str, Any]:
    """The loop guard's slot for a reply to this message: whom, on which channel, for what.

    Routine replies share one slot per sender and channel. A crisis reply's slot
    is also keyed by the message's words: loop protection is for automated
    senders (which ``send_reply`` refuses before it gets here), never for a
    person, so a person's new crisis message always gets the crisis resources,
    whatever was sent to them before; only the same crisis words again within
    the window are answered once.
    """
    crisis = message.crisis
    return {
        "practice_id": message.practice_id,
        "channel": message.channel,
        "counterpart": _counterpart(content.reply_address),
        "kind": ReplyLedger.Kind.CRISIS if crisis else ReplyLedger.Kind.ROUTINE,
        "text_digest": (
            crisis_text_digest(content.reply_address, content.subject, content.text)
            if crisis
            else ""
        ),
    }


def send_reply(message: Message, content: Content) -> str:
    reply = str(content.extra.get("reply") or "")
    if not reply:
        raise Skip("the decision has no reply text")
    if content.extra.get("auto_generated"):
        raise Skip("the message was sent automatically; no reply (RFC 3834)")
    if not content.reply_address:
        raise Skip("there is no address a private reply may go to")
    if Channel(message.channel) == Channel.REVIEW:
        raise Skip("a review site offers no private reply; nothing is said in public")
    if not message.crisis and not message.practice.policy_versions.exists():
        raise Skip("no policy is published yet; only crisis replies are sent")
    sender = senders().reply.get(message.channel)
    if sender is None:
        raise Skip(f"replies on {message.channel} are not supported yet")
    window = dt.timedelta(hours=settings.AUTO_REPLY_WINDOW_HOURS)
    key = reply_slot(message, content)
    # Claim the reply slot in a short transaction, send outside it (a network call must
    # not hold the database's write lock), and give the slot back if sending fails.
    # The claim inserts first: two workers answering the same sender at once both find
    # no row to lock, so the unique slot decides; the loser reads the winner's row
    # (get_or_create retries its read after the IntegrityError) and stands down.
    with transaction.atomic():
        now = clock.now()
        ledger, created = ReplyLedger.objects.select_for_update().get_or_create(
            **key, defaults={"last_replied_at": now}
        )
        previous = None if created else ledger.last_replied_at
        if previous is not None:
            if now - previous < window:
                raise Skip(
                    "the same crisis message was already answered with crisis resources recently"
                    if message.crisis
                    else "this sender was already answered automatically recently (no mail loops)"
                )
            ledger.last_replied_at = now
            ledger.save(update_fields=["last_replied_at"])
        if message.crisis:
            # Crisis slots are one per message text: drop this sender's that are over.
            ReplyLedger.objects.filter(
                practice_id=key["practice_id"],
                channel=key["channel"],
                counterpart=key["counterpart"],
                kind=ReplyLedger.Kind.CRISIS,
                last_replied_at__lt=now - window,
            ).delete()
    try:
        provider_id = sender(message, content, reply)
    except BaseException:
        with transaction.atomic():
            if previous is None:
                ReplyLedger.objects.filter(**key).delete()
            else:
                ReplyLedger.objects.filter(**key).update(last_replied_at=previous)
        raise
    return f"sent {provider_id[:80]}" if provider_id else "sent"


def _handle(action: Action, message: Message, content: Content, replied: bool) -> str:
    if action == Action.URGENT_ALERT:
        return send_alert(message, content)
    if action in REPLY_ACTIONS:
        if replied:
            return "covered by the reply already sent for this message"
        if Channel(message.channel) in PUBLIC_CHANNELS and action != Action.CRISIS_RESOURCES_REPLY:
            raise Skip("nothing is said on a public channel")
        return send_reply(message, content)
    if action == Action.REVIEW_TODAY:
        return "on today's review list"
    if action == Action.QUARANTINE_TO_VAULT:
        return "content held only in the encrypted store"
    if action == Action.AGENDA_ITEM:
        return (
            "added to the next session's agenda" if message.client_id else "sender is not a client"
        )
    if action == Action.DECLINE_CONNECTION:
        return "recommend declining without a response"
    return "shown in the dashboard"


def finish_run(run: ActionRun, status: str, detail: str, *, by: str = "worker") -> None:
    """One of the decision's actions done, skipped or given up, with its audit entry.

    ``detail`` says why in plain words and never holds content; ``by`` is who carried it
    out (the worker, or the SMS webhook that answered in its own response).
    """
    status = ActionRun.Status(status)
    with transaction.atomic():
        run.status = status
        run.detail = detail[:300]
        run.attempts += 1
        run.updated_at = clock.now()
        run.save(update_fields=["status", "detail", "attempts", "updated_at"])
        record(
            action=f"action.{run.action}.{status.value}",
            obj=run.message,
            practice=run.message.practice,
            actor_label=by,
            details={"detail": run.detail},
        )


@task(priority=0)
def carry_out(message_id: int) -> None:
    message = Message.objects.select_related("practice", "client__therapist").get(pk=message_id)
    content = unseal(
        bytes(message.sealed), practice_id=message.practice_id, content_hash=message.content_hash
    )
    runs = {run.action: run for run in message.action_runs.all()}
    replied = any(
        runs[a.value].status == ActionRun.Status.DONE for a in REPLY_ACTIONS if a.value in runs
    )
    retry = False
    for action_name in message.actions:
        run = runs.get(action_name)
        if run is None or run.status != ActionRun.Status.PENDING:
            continue
        action = Action(action_name)
        try:
            detail = _handle(action, message, content, replied)
        except Skip as skip:
            finish_run(run, ActionRun.Status.SKIPPED, str(skip))
            continue
        except (RetryLaterError, OSError) as error:
            logger.warning(
                "action %s for message %s failed: %s", action, message.pk, type(error).__name__
            )
            if run.attempts + 1 >= MAX_ATTEMPTS:
                finish_run(run, ActionRun.Status.FAILED, f"gave up after {MAX_ATTEMPTS} attempts")
            else:
                run.attempts += 1
                run.save(update_fields=["attempts"])
                retry = True
            continue
        if action in REPLY_ACTIONS:
            replied = True
        finish_run(run, ActionRun.Status.DONE, detail)
    statuses = set(message.action_runs.values_list("status", flat=True))
    if retry:
        attempt = max(run.attempts for run in message.action_runs.all())
        backoff = dt.timedelta(seconds=min(600, 5 * 2**attempt))
        carry_out.using(
            priority=100 if message.crisis else 0, run_after=clock.now() + backoff
        ).enqueue(message.pk)
        return
    status = Message.Status.FAILED if ActionRun.Status.FAILED in statuses else Message.Status.DONE
    Message.objects.filter(pk=message.pk).update(status=status)
