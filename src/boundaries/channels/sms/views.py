"""Twilio's inbound-message webhook: signed, routed by number, stored once, answered in TwiML.

The answer is TwiML: ``<Response><Message>…</Message></Response>`` with the
decision's reply (the policy's words and the crisis footer, never the client's
own), or an empty ``<Response/>`` when there is nothing to say. The message,
its decision, its alert and the record that its reply was given commit before
the answer is written; the alert to the therapist goes out from the worker
at once (crisis messages first in its queue).

An answer to an appointment reminder ("C", "X", "confirm": ``reminders.answers``)
is recognised only after triage found no risk in it, and is answered with the
appointment's time and what happened.

Carrier keywords: STOP (and its synonyms) records an opt-out and is answered
with an empty ``<Response/>`` (Twilio sends the carrier's own confirmation);
START records an opt-in; HELP is answered with our own short help text.

Twilio signs the URL and the parameters but no time, so a signed request can
be replayed at will. A ``MessageSid`` that is already stored is therefore
refused with 403: nothing is stored, alerted or answered again. Twilio itself
does not retry a message webhook that was answered; the only legitimate
repeat is a network retry of a message we already hold, so nothing is lost.
"""

from __future__ import annotations

import logging
import re
from xml.sax.saxutils import escape

from django.conf import settings
from django.db import OperationalError, transaction
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from boundaries import clock
from boundaries.channels.sms.actions import (
    do_answer_in_twiml,
    do_record_sms_keyword,
    do_skip_replies,
    help_text,
)
from boundaries.channels.sms.outbound import twilio_config
from boundaries.channels.sms.parse import Keyword, SmsFormatError, parse_sms
from boundaries.channels.sms.signature import is_valid_signature
from boundaries.channels.sms.tasks import move_media_to_vault
from boundaries.inbox.actions import Arrival, do_ingest
from boundaries.inbox.models import InboundRoute, Message
from boundaries.practices.models import Practice
from boundaries.reminders.answers import answer_by_sms

__all__ = ["EMPTY_TWIML", "twilio_sms", "twiml"]

logger = logging.getLogger(__name__)

EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>'
# Characters XML 1.0 cannot carry at all, even escaped.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def twiml(*replies: str) -> str:
    """The TwiML document answering with one text per reply; empty ``<Response/>`` for none."""
    verbs = "".join(
        f"<Message>{escape(_NOT_XML.sub('', reply))}</Message>" for reply in replies if reply
    )
    if not verbs:
        return EMPTY_TWIML
    return f'<?xml version="1.0" encoding="UTF-8"?><Response>{verbs}</Response>'


def _text(body: str, status: int) -> HttpResponse:
    return HttpResponse(body, status=status, content_type="text/plain; charset=utf-8")


def _signed_urls(request: HttpRequest) -> list[str]:
    """The URLs Twilio may have signed: as this request sees itself, and as SITE_URL says."""
    site = str(getattr(settings, "SITE_URL", "") or "").rstrip("/")
    urls = [request.build_absolute_uri()]
    if site:
        urls.append(site + request.get_full_path())
    return list(dict.fromkeys(urls))


def _answer(
    practice: Practice, keyword: Keyword | None, number: str, message: Message, text: str
) -> list[str]:
    """What to say in the webhook's answer to a message just stored (in its transaction)."""
    if keyword is Keyword.OPT_OUT or keyword is Keyword.OPT_IN:
        do_record_sms_keyword(practice, number, keyword)
        do_skip_replies(message, "a carrier keyword: the carrier confirms it, we say nothing")
        return []
    if keyword == Keyword.HELP:
        country = message.client.country if message.client else practice.country
        replies = [help_text(practice, country)]
        if message.crisis:  # the classifier may read a bare "help" as a cry for help
            replies.append(do_answer_in_twiml(message))
        do_skip_replies(message, "a HELP keyword is answered with the help text")
        return replies
    # "C" or "X" after a reminder, once triage has found no risk in it (reminders.answers).
    answered = answer_by_sms(practice, message, text)
    if answered:
        do_skip_replies(message, "answered as a reply to an appointment reminder")
        return [answered]
    return [do_answer_in_twiml(message)]


@csrf_exempt  # authenticated by Twilio's signature instead
@require_POST
def twilio_sms(request: HttpRequest) -> HttpResponse:
    raw = request.body
    params = {name: request.POST.getlist(name) for name in request.POST}
    to = (params.get("To") or [""])[0].strip()
    # Each number is checked with the auth token of the Twilio account it belongs to.
    token = twilio_config(to).auth_token
    signature = request.headers.get("X-Twilio-Signature", "")
    if not is_valid_signature(_signed_urls(request), params, signature, token):
        logger.warning("sms webhook: missing or invalid signature; refused")
        return _text("Signature missing or invalid.", 403)
    route = (
        InboundRoute.objects.filter(kind=InboundRoute.Kind.SMS, address=to)
        .select_related("practice")
        .first()
    )
    if route is None:
        logger.warning("sms webhook: no practice uses the number it was sent to")
        return _text("No practice here uses that number.", 404)
    practice = route.practice
    try:
        parsed = parse_sms(params, region=practice.country, now=clock.now())
    except SmsFormatError as error:
        logger.warning("sms webhook: not an inbound message (%s)", error)
        return _text("Not an inbound message.", 400)
    arrival = Arrival(
        message=parsed.message,
        raw=raw,
        external_id=parsed.message_sid,
        reply_address=parsed.reply_address,
        extra={"to": parsed.to, "keyword": parsed.keyword.value if parsed.keyword else ""},
    )
    replies: list[str] = []
    try:
        # One transaction: the worker never sees the message without its opt-out, and a
        # reply given here is recorded as done before the worker could send it again.
        with transaction.atomic():
            ingested = do_ingest(practice, arrival)
            if ingested.created:
                replies = _answer(
                    practice,
                    parsed.keyword,
                    parsed.reply_address,
                    ingested.message,
                    parsed.message.text,
                )
                if parsed.message.attachments and ingested.message.client_id:
                    # A client's pictures go to their vault and are deleted at Twilio.
                    move_media_to_vault.enqueue(ingested.message.pk)
    except OperationalError:
        logger.warning("sms webhook: database unavailable; asked Twilio to try the fallback")
        return _text("Temporarily unavailable.", 503)
    if not ingested.created:
        logger.warning("sms webhook: message %s delivered again; refused", ingested.message.pk)
        return _text("This message was already received.", 403)
    replied = sum(1 for reply in replies if reply)
    logger.info(
        "sms webhook: message %s stored; texts in the answer=%s", ingested.message.pk, replied
    )
    return HttpResponse(twiml(*replies), content_type="text/xml; charset=utf-8")
