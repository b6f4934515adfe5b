"""Meta's webhook: the subscription handshake (GET) and signed event deliveries (POST).

A delivery is answered 200 only after every message in it is committed, so
Meta retries a delivery we could not store; a redelivered event is stored once
(the platform's message or comment id is the external id), and a delivery
whose signed time stamps are older than Meta ever retries is refused with 403
as a replay (``META_MAX_DELIVERY_AGE_HOURS``). A delivery with no time stamp at
all counts as too old unless every message in it is new: one that repeats a
stored message is refused the same way. Events for a Page
or Instagram account that no practice uses are ignored, as are shapes we do
not read; both are logged by kind only.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter

from django.conf import settings
from django.db import OperationalError, transaction
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from boundaries import clock
from boundaries.channels.meta.parse import MetaEvent, MetaFormatError, parse_webhook
from boundaries.channels.meta.signature import is_valid_signature, verify_challenge
from boundaries.channels.meta.tasks import move_media_to_vault
from boundaries.inbox.actions import Arrival, do_ingest
from boundaries.inbox.models import InboundRoute, Message
from boundaries.practices.models import Practice

__all__ = ["meta_webhook"]

logger = logging.getLogger(__name__)


def _text(body: str, status: int) -> HttpResponse:
    return HttpResponse(body, status=status, content_type="text/plain; charset=utf-8")


def _max_age() -> dt.timedelta:
    return dt.timedelta(hours=int(getattr(settings, "META_MAX_DELIVERY_AGE_HOURS", 48)))


def _verify(request: HttpRequest) -> HttpResponse:
    challenge = verify_challenge(
        request.GET.get("hub.mode", ""),
        request.GET.get("hub.verify_token", ""),
        request.GET.get("hub.challenge", ""),
        str(getattr(settings, "META_VERIFY_TOKEN", "") or ""),
    )
    if challenge is None:
        logger.warning("meta webhook: subscription request with a wrong verify token; refused")
        return _text("Verification failed.", 403)
    return _text(challenge, 200)


def _routes(events: tuple[MetaEvent, ...]) -> dict[str, Practice]:
    accounts = {event.account_id for event in events}
    return {
        route.address: route.practice
        for route in InboundRoute.objects.filter(
            kind=InboundRoute.Kind.META_PAGE, address__in=accounts
        ).select_related("practice")
    }


def _all_new(events: tuple[MetaEvent, ...]) -> bool:
    """Every event has an id and none is stored yet (events no practice takes aside)."""
    routes = _routes(events)
    for event in events:
        practice = routes.get(event.account_id)
        if practice is None:
            continue
        if not event.external_id:
            return False
        stored = Message.objects.filter(
            practice=practice, channel=event.message.channel, external_id=event.external_id
        )
        if stored.exists():
            return False
    return True


def _ingest(events: tuple[MetaEvent, ...]) -> Counter[str]:
    routes = _routes(events)
    outcome: Counter[str] = Counter()
    for event in events:
        practice = routes.get(event.account_id)
        if practice is None:
            outcome["unrouted"] += 1
            continue
        arrival = Arrival(
            message=event.message,
            raw=event.raw,
            external_id=event.external_id,
            reply_address=event.reply_address,
            extra={"meta_account": event.account_id, "meta_recipient": event.recipient},
        )
        # One transaction: a message is never stored without the task that fetches its files.
        with transaction.atomic():
            ingested = do_ingest(practice, arrival)
            if ingested.created and event.message.attachments and ingested.message.client_id:
                # A client's files go to their vault while Meta's links to them still work.
                move_media_to_vault.enqueue(ingested.message.pk)
        outcome["stored" if ingested.created else "repeated"] += 1
    return outcome


@csrf_exempt  # authenticated by Meta's signature instead
@require_http_methods(["GET", "POST"])
def meta_webhook(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _verify(request)
    body = request.body
    secret = str(getattr(settings, "META_APP_SECRET", "") or "")
    if not is_valid_signature(body, request.headers.get("X-Hub-Signature-256", ""), secret):
        logger.warning("meta webhook: missing or invalid signature; refused")
        return _text("Signature missing or invalid.", 403)
    try:
        parsed = parse_webhook(body, now=clock.now())
    except MetaFormatError as error:
        logger.warning("meta webhook: %s", error)
        return _text("The body must be a JSON object.", 400)
    if parsed.sent_at is not None and parsed.sent_at < clock.now() - _max_age():
        # Meta stopped retrying long before this: a signed body this old is a replay.
        logger.warning("meta webhook: delivery stamped %s is too old; refused", parsed.sent_at)
        return _text("Delivery too old; refused as a replay.", 403)
    if parsed.sent_at is None and parsed.events and not _all_new(parsed.events):
        # No time to check: treated as too old, unless every message in it is one we have
        # never seen (the signature, checked above, vouches that Meta sent it once).
        logger.warning("meta webhook: delivery without a time stamp repeats a message; refused")
        return _text("Delivery without a time stamp repeats a message; refused.", 403)
    for kind, count in sorted(Counter(parsed.ignored).items()):
        logger.info("meta webhook: ignored kind=%s count=%s", kind, count)
    try:
        outcome = _ingest(parsed.events)
    except OperationalError:
        logger.warning("meta webhook: database unavailable; Meta will deliver again")
        return _text("Temporarily unavailable.", 503)
    if outcome:
        logger.info("meta webhook: %s", " ".join(f"{k}={v}" for k, v in sorted(outcome.items())))
    return _text("EVENT_RECEIVED", 200)
