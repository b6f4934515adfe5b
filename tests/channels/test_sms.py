"""Text messages through Twilio: signed webhooks, stored once, STOP honoured, crisis first.

Signatures are computed here as Twilio documents them (HMAC-SHA1 of the URL
followed by the sorted parameters, base64), not with our own validator. The
only fake is Twilio's REST API, a tiny HTTP server on loopback that checks the
Messages resource's wire format.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import io
import json
import secrets
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit
from xml.etree import ElementTree

import pytest
from django.test import override_settings
from PIL import Image

from boundaries.channels.sms.parse import Keyword, keyword_of, parse_sms
from boundaries.channels.sms.signature import expected_signature, is_valid_signature
from boundaries.channels.sms.views import EMPTY_TWIML, twiml
from boundaries.core.types import Channel
from tests.channels.conftest import (
    add_rowan,
    alder_practice,
    fake_api,
    run_worker,
    signed_in_alice,
)

ACCOUNT_SID = "AC" + "0123456789abcdef" * 2
AUTH_TOKEN = "f00dfeed" * 4
PRACTICE_NUMBER = "+442079460100"
SYSTEM_NUMBER = "+442079460200"
ALERT_PHONE = "+442079460999"
ROWAN = "+441614960123"
STRANGER = "+441614960456"
WEBHOOK = "http://testserver/hooks/twilio/sms"
CRISIS_TEXT = "I can't do this anymore. I have the pills ready and I want to end it tonight."


def twilio_signature(url: str, params: dict[str, str], token: str = AUTH_TOKEN) -> str:
    """As Twilio's security documentation describes it, written out independently."""
    signed = url + "".join(name + params[name] for name in sorted(params))
    return base64.b64encode(
        hmac.new(token.encode(), signed.encode(), hashlib.sha1).digest()
    ).decode()


def sms_params(
    body: str, *, sender: str = ROWAN, to: str = PRACTICE_NUMBER, **more: str
) -> dict[str, str]:
    return {
        "AccountSid": ACCOUNT_SID,
        "ApiVersion": "2010-04-01",
        "Body": body,
        "From": sender,
        "FromCountry": "GB",
        "MessageSid": more.pop("MessageSid", "SM" + secrets.token_hex(16)),
        "NumMedia": "0",
        "NumSegments": "1",
        "SmsStatus": "received",
        "To": to,
        "ToCountry": "GB",
        **more,
    }


def post(django_client: Any, params: dict[str, str], signature: str | None = None) -> Any:
    headers = {"X-Twilio-Signature": twilio_signature(WEBHOOK, params)}
    if signature is not None:
        headers = {"X-Twilio-Signature": signature} if signature else {}
    return django_client.post(
        "/hooks/twilio/sms",
        data=urlencode(params),
        content_type="application/x-www-form-urlencoded",
        headers=headers,
    )


def twiml_messages(document: bytes | str) -> list[str]:
    """The texts of the <Message> verbs of a TwiML answer (which must be well-formed XML)."""
    root = ElementTree.fromstring(document)  # noqa: S314 - our own answer, in a test
    assert root.tag == "Response"
    return [element.text or "" for element in root.findall("Message")]


# --- the fake Twilio REST API -------------------------------------------------------------


@dataclass
class FakeTwilio:
    port: int = 0
    sent: list[dict[str, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    status: int = 201
    lock: threading.Lock = field(default_factory=threading.Lock)
    # MMS media held "at Twilio": sid -> bytes; what was fetched from storage and deleted.
    media: dict[str, bytes] = field(default_factory=dict)
    fetched: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    media_status: int = 200

    def to(self, number: str) -> list[dict[str, str]]:
        return [message for message in self.sent if message["To"] == number]


MEDIA_PATH = f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages/MM{'ab' * 16}/Media/"


def _handler(fake: FakeTwilio) -> type[BaseHTTPRequestHandler]:
    basic = "Basic " + base64.b64encode(f"{ACCOUNT_SID}:{AUTH_TOKEN}".encode()).decode()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:  # keep test output quiet
            pass

        def _empty(self, status: int, **headers: str) -> None:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def do_GET(self) -> None:
            """The Media resource redirects to signed storage, as Twilio's does."""
            if self.path.startswith(MEDIA_PATH):
                sid = self.path.removeprefix(MEDIA_PATH)
                if self.headers.get("Authorization") != basic:
                    with fake.lock:
                        fake.errors.append("media fetched without basic auth")
                    self._empty(401)
                elif fake.media_status != 200:
                    self._empty(fake.media_status)
                elif sid in fake.media:
                    self._empty(307, Location=f"/storage/{sid}?Signature=abc")
                else:
                    self._empty(404)
            elif self.path.startswith("/storage/"):
                sid = urlsplit(self.path).path.removeprefix("/storage/")
                with fake.lock:
                    if self.headers.get("Authorization"):
                        fake.errors.append("account credentials sent to the storage link")
                    fake.fetched.append(sid)
                data = fake.media.get(sid, b"")
                self.send_response(200 if data else 404)
                self.send_header("Content-Type", "image/jpeg")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            else:
                with fake.lock:
                    fake.errors.append(f"GET {self.path}")
                self._empty(404)

        def do_DELETE(self) -> None:
            sid = self.path.removeprefix(MEDIA_PATH).removesuffix(".json")
            if not (self.path.startswith(MEDIA_PATH) and self.path.endswith(".json")):
                with fake.lock:
                    fake.errors.append(f"DELETE {self.path}")
                self._empty(404)
                return
            if self.headers.get("Authorization") != basic:
                with fake.lock:
                    fake.errors.append("media deleted without basic auth")
                self._empty(401)
                return
            with fake.lock:
                existed = fake.media.pop(sid, None) is not None
                if existed:
                    fake.deleted.append(sid)
            self._empty(204 if existed else 404)

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            problems = []
            if self.path != f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json":
                problems.append(f"path {self.path}")
            basic = base64.b64encode(f"{ACCOUNT_SID}:{AUTH_TOKEN}".encode()).decode()
            if self.headers.get("Authorization") != f"Basic {basic}":
                problems.append("basic auth")
            if self.headers.get("Content-Type") != "application/x-www-form-urlencoded":
                problems.append("content type")
            form = {k: v[0] for k, v in parse_qs(body.decode(), keep_blank_values=True).items()}
            if set(form) != {"To", "From", "Body"} or not all(form.values()):
                problems.append(f"fields {sorted(form)}")
            with fake.lock:
                fake.errors.extend(problems)
                if not problems and fake.status == 201:
                    fake.sent.append(form)
            status = 400 if problems else fake.status
            answer = (
                {"sid": "SM" + secrets.token_hex(16), "status": "queued"}
                if status == 201
                else {"code": 20429 if status == 429 else 21211, "status": status}
            )
            data = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    return Handler


@pytest.fixture
def twilio() -> Iterator[FakeTwilio]:
    fake = FakeTwilio()
    with fake_api(_handler(fake)) as port:
        fake.port = port
        settings = {
            "TWILIO_ACCOUNT_SID": ACCOUNT_SID,
            "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
            "TWILIO_API_BASE": f"http://127.0.0.1:{port}",
            "TWILIO_FROM_NUMBER": SYSTEM_NUMBER,
        }
        with override_settings(**settings):
            yield fake
    assert fake.errors == [], "Boundaries called Twilio's API in the wrong format"


@pytest.fixture
def sms_practice(transactional_db: Any, twilio: FakeTwilio) -> Any:
    """Alder practice with a published policy and a Twilio number; Rowan texts it."""
    from boundaries.inbox.models import InboundRoute
    from boundaries.practices.models import Therapist

    practice, alice = alder_practice()
    Therapist.objects.filter(pk=alice.pk).update(alert_phone=ALERT_PHONE)
    InboundRoute.objects.create(practice=practice, kind="sms", address=PRACTICE_NUMBER)
    add_rowan(practice, alice, channels=["sms", "phone"], phones=[ROWAN])
    return practice


# --- pure: signature, keywords, parsing ---------------------------------------------------


def test_it_computes_the_signature_of_twilios_published_examples() -> None:
    url = "https://mycompany.com/myapp.php?foo=1&bar=2"
    params = {
        "CallSid": ["CA1234567890ABCDE"],
        "Caller": ["+14158675309"],
        "Digits": ["1234"],
        "From": ["+14158675309"],
        "To": ["+18005551212"],
    }
    assert expected_signature(url, params, "12345") == "RSOYDt4T1cUTdK1PDd93/VVr8B8="
    repeated = {"Sid": ["CA123"], "SidAccount": ["AC123"], "Digits": ["5678", "1234", "1234"]}
    assert expected_signature(url, repeated, "12345") == "IK+Dwps556ElfBT0I3Rgjkr1wJU="


def test_it_rejects_a_signature_for_other_parameters_another_url_or_another_token() -> None:
    params = sms_params("Running late", MessageSid="SM" + "a" * 32)
    good = twilio_signature(WEBHOOK, params)
    as_lists = {k: [v] for k, v in params.items()}
    assert is_valid_signature([WEBHOOK], as_lists, good, AUTH_TOKEN)
    assert not is_valid_signature(
        [WEBHOOK], {**as_lists, "Body": ["Running later"]}, good, AUTH_TOKEN
    )
    assert not is_valid_signature([WEBHOOK + "?x=1"], as_lists, good, AUTH_TOKEN)
    assert not is_valid_signature([WEBHOOK], as_lists, good, "another-token")
    assert not is_valid_signature([WEBHOOK], as_lists, good, "")
    assert not is_valid_signature([WEBHOOK], as_lists, "", AUTH_TOKEN)


def test_it_accepts_a_signature_made_with_or_without_the_default_port() -> None:
    params = {"Body": ["hi"]}
    with_port = twilio_signature("https://boundaries.example:443/hooks/twilio/sms", {"Body": "hi"})
    without = twilio_signature("https://boundaries.example/hooks/twilio/sms", {"Body": "hi"})
    assert is_valid_signature(
        ["https://boundaries.example/hooks/twilio/sms"], params, with_port, AUTH_TOKEN
    )
    assert is_valid_signature(
        ["https://boundaries.example:443/hooks/twilio/sms"], params, without, AUTH_TOKEN
    )


@pytest.mark.parametrize(
    ("text", "keyword"),
    [
        ("STOP", Keyword.OPT_OUT),
        (" stop ", Keyword.OPT_OUT),
        ("Unsubscribe", Keyword.OPT_OUT),
        ("CANCEL", Keyword.OPT_OUT),
        ("end", Keyword.OPT_OUT),
        ("Quit.", Keyword.OPT_OUT),
        ("STOPALL", Keyword.OPT_OUT),
        ("START", Keyword.OPT_IN),
        ("unstop", Keyword.OPT_IN),
        ("HELP", Keyword.HELP),
        ("info", Keyword.HELP),
        ("please stop texting me about Tuesday", None),
        ("I need help", None),
        ("", None),
    ],
)
def test_it_recognises_only_whole_message_carrier_keywords(
    text: str, keyword: Keyword | None
) -> None:
    assert keyword_of(text) == keyword


def test_it_reads_a_national_number_and_mms_media_types_without_fetching_them() -> None:
    params = sms_params(
        "photo of the letter",
        sender="0161 496 0123",
        NumMedia="2",
        MediaContentType0="image/jpeg",
        MediaUrl0="https://api.twilio.com/media/ME1",
        MediaContentType1="application/pdf",
        MediaUrl1="https://api.twilio.com/media/ME2",
    )
    now = dt.datetime(2026, 1, 5, 9, 30, tzinfo=dt.UTC)
    parsed = parse_sms({k: [v] for k, v in params.items()}, region="GB", now=now)
    assert parsed.message.channel == Channel.SMS
    assert parsed.message.sender == ROWAN
    assert parsed.reply_address == ROWAN
    assert parsed.to == PRACTICE_NUMBER
    assert [a.content_type for a in parsed.message.attachments] == ["image/jpeg", "application/pdf"]
    assert parsed.message.received_at == now


def test_it_never_offers_a_reply_address_for_an_alphanumeric_sender() -> None:
    params = {k: [v] for k, v in sms_params("Your parcel is on its way", sender="PARCELCO").items()}
    parsed = parse_sms(params, region="GB", now=dt.datetime.now(dt.UTC))
    assert parsed.reply_address == ""
    assert parsed.message.sender == "PARCELCO"


# --- the webhook, end to end --------------------------------------------------------------


def test_it_stores_a_signed_message_encrypted_and_answers_with_empty_twiml(
    sms_practice: Any, client: Any
) -> None:
    from boundaries.inbox.models import Message

    response = post(client, sms_params("Could we talk about Tuesday?"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/xml")
    assert response.content.decode() == EMPTY_TWIML
    message = Message.objects.get()
    assert message.channel == "sms"
    assert message.client is not None and message.client.first_name == "Rowan"
    assert b"Tuesday" not in bytes(message.sealed)


def test_it_matches_the_client_whatever_format_the_number_arrives_in(
    sms_practice: Any, client: Any
) -> None:
    from boundaries.inbox.models import Message

    assert post(client, sms_params("Hello", sender="01614960123")).status_code == 200
    assert Message.objects.get().client is not None


@pytest.mark.parametrize("forgery", ["wrong token", "missing", "tampered body", "other url"])
def test_it_refuses_a_forged_request_with_403_and_stores_nothing(
    sms_practice: Any, client: Any, forgery: str
) -> None:
    from boundaries.inbox.models import Message

    params = sms_params("Could we talk about Tuesday?")
    signature = {
        "wrong token": twilio_signature(WEBHOOK, params, token="not-the-auth-token"),
        "missing": "",
        "tampered body": twilio_signature(WEBHOOK, {**params, "Body": "something else"}),
        "other url": twilio_signature("https://attacker.example/hooks/twilio/sms", params),
    }[forgery]
    response = post(client, params, signature=signature)
    assert response.status_code == 403
    assert b"Tuesday" not in response.content
    assert Message.objects.count() == 0


def test_it_answers_404_for_a_number_no_practice_uses(sms_practice: Any, client: Any) -> None:
    from boundaries.inbox.models import Message

    response = post(client, sms_params("hello", to="+442079460555"))
    assert response.status_code == 404
    assert Message.objects.count() == 0


def test_it_answers_400_for_a_signed_request_that_is_not_an_inbound_message(
    sms_practice: Any, client: Any
) -> None:
    params = sms_params("hello")
    del params["MessageSid"]
    assert post(client, params).status_code == 400


def test_it_answers_a_crisis_in_twiml_alerts_by_text_and_refuses_the_replay(
    sms_practice: Any, client: Any, twilio: FakeTwilio
) -> None:
    from boundaries.inbox.models import ActionRun, Alert, Message

    params = sms_params(CRISIS_TEXT)
    first = post(client, params)
    assert first.status_code == 200
    (reply,) = twiml_messages(first.content)
    assert "116 123" in reply  # Samaritans, for a client in the UK
    assert "pills" not in reply
    again = post(client, params)
    assert again.status_code == 403
    assert b"Message" not in again.content
    message = Message.objects.get()
    assert message.crisis
    assert Alert.objects.filter(message=message).count() == 1
    run_worker()
    run_worker()
    (alert,) = twilio.to(ALERT_PHONE)
    assert alert["From"] == SYSTEM_NUMBER
    assert alert["Body"].startswith("Urgent: a message needs your attention now")
    assert "pills" not in alert["Body"] and "Rowan" not in alert["Body"]
    assert f"/dashboard/messages/{message.pk}/" in alert["Body"]
    assert twilio.to(ROWAN) == []  # the reply went in the TwiML answer, not again by REST
    done = ActionRun.objects.get(message=message, action="crisis_resources_reply")
    assert (done.status, done.detail) == ("done", "sent in the answer to Twilio's webhook (TwiML)")
    assert Alert.objects.get().sent_at is not None


def test_a_second_crisis_text_gets_crisis_resources_but_the_same_text_again_does_not(
    sms_practice: Any, client: Any, twilio: FakeTwilio
) -> None:
    """Loop protection never withholds crisis resources from a person: only the same words
    again within the window go unanswered (the alert goes out every time)."""
    from boundaries.inbox.models import Alert

    first = twiml_messages(post(client, sms_params(CRISIS_TEXT)).content)
    other = twiml_messages(post(client, sms_params("I'm going to kill myself tonight")).content)
    same = twiml_messages(post(client, sms_params(CRISIS_TEXT)).content)
    assert len(first) == 1 and len(other) == 1 and "116 123" in other[0]
    assert same == []
    assert Alert.objects.count() == 3


def test_a_short_code_that_reads_as_a_crisis_is_alerted_but_never_answered(
    sms_practice: Any, client: Any, twilio: FakeTwilio
) -> None:
    """An automated sender (a short code) has no reply address: no loop can start."""
    from boundaries.inbox.models import ActionRun, Alert

    answer = post(client, sms_params(CRISIS_TEXT, sender="88022"))
    assert twiml_messages(answer.content) == []
    assert Alert.objects.count() == 1
    run_worker()
    assert twilio.to("88022") == [] and len(twilio.to(ALERT_PHONE)) == 1
    run = ActionRun.objects.get(action="crisis_resources_reply")
    assert run.status == ActionRun.Status.SKIPPED


def test_it_stores_another_text_that_reuses_a_message_sid_and_notes_the_reuse(
    sms_practice: Any, client: Any
) -> None:
    from boundaries.audit.models import AuditEntry
    from boundaries.inbox.models import Alert, Message

    first = sms_params("can we move thursday", MessageSid="SM" + "ab" * 16)
    assert post(client, first).status_code == 200
    second = sms_params(CRISIS_TEXT, sender=STRANGER, MessageSid=first["MessageSid"])
    assert post(client, second).status_code == 200
    assert post(client, second).status_code == 403  # that one replayed: already stored
    stored = list(Message.objects.order_by("id"))
    assert [message.crisis for message in stored] == [False, True]
    assert Alert.objects.get().message == stored[1]
    entries = AuditEntry.objects.filter(action="message.triaged").order_by("id")
    assert [entry.details.get("id_reused", False) for entry in entries] == [False, True]


def test_it_writes_the_reply_as_well_formed_escaped_twiml() -> None:
    document = twiml('Call <us> on 020 & ask for "Sam"\x00\x1b. 116 123')
    assert "&lt;us&gt;" in document and "&amp;" in document
    (reply,) = twiml_messages(document)
    assert reply == 'Call <us> on 020 & ask for "Sam". 116 123'
    assert twiml("") == EMPTY_TWIML


def test_it_sends_a_reply_the_webhook_did_not_give_through_twilios_rest_api(
    sms_practice: Any, twilio: FakeTwilio
) -> None:
    from boundaries.core.types import InboundMessage
    from boundaries.inbox.actions import Arrival, do_ingest

    message = InboundMessage(
        channel=Channel.SMS, sender=ROWAN, text=CRISIS_TEXT, received_at=dt.datetime.now(dt.UTC)
    )
    arrival = Arrival(
        message=message,
        raw=b"Body=...",
        external_id="SM" + secrets.token_hex(16),
        reply_address=ROWAN,
        extra={"to": PRACTICE_NUMBER},
    )
    do_ingest(sms_practice, arrival)
    run_worker()
    (reply,) = twilio.to(ROWAN)
    assert reply["From"] == PRACTICE_NUMBER  # the number Rowan wrote to
    assert "116 123" in reply["Body"]
    assert len(twilio.to(ALERT_PHONE)) == 1


def test_it_records_stop_and_never_texts_that_number_again_but_still_alerts_for_a_crisis(
    sms_practice: Any, client: Any, twilio: FakeTwilio
) -> None:
    from boundaries.audit.models import AuditEntry
    from boundaries.channels.sms.models import SmsOptOut
    from boundaries.inbox.models import ActionRun, Alert, Message

    stop = post(client, sms_params("STOP"))
    assert stop.status_code == 200
    assert stop.content.decode() == EMPTY_TWIML  # the carrier confirms; we say nothing
    assert SmsOptOut.is_opted_out(sms_practice.pk, ROWAN)
    assert AuditEntry.objects.filter(action="sms.opt_out").count() == 1
    assert ROWAN not in "".join(SmsOptOut.objects.values_list("number_hash", flat=True))
    crisis = post(client, sms_params(CRISIS_TEXT))
    assert crisis.status_code == 200
    assert crisis.content.decode() == EMPTY_TWIML
    run_worker()
    assert twilio.to(ROWAN) == []
    message = Message.objects.get(crisis=True, pk__gt=Message.objects.order_by("pk").first().pk)
    link = f"/dashboard/messages/{message.pk}/"
    assert len([m for m in twilio.to(ALERT_PHONE) if m["Body"].endswith(link)]) == 1
    assert Alert.objects.get(message=message).sent_at is not None
    assert ActionRun.objects.filter(message=message, detail__contains="opted out").exists()


def test_it_answers_help_with_its_own_short_text_and_the_crisis_footer(
    sms_practice: Any, client: Any, twilio: FakeTwilio
) -> None:
    from boundaries.inbox.models import Message

    response = post(client, sms_params("help"))
    assert response.status_code == 200
    help_text, *crisis_reply = twiml_messages(response.content)
    assert help_text.startswith("Alder Tree Counselling:")
    assert "+44 20 7946 0123" in help_text  # the practice phone of the published policy
    assert "STOP" in help_text
    assert "116 123" in help_text and "999" in help_text
    message = Message.objects.get()  # stored and triaged like any other text
    # A bare "help" may be read as a cry for help: then the crisis reply follows, once.
    assert len(crisis_reply) == (1 if message.crisis else 0)
    run_worker()
    assert twilio.to(ROWAN) == []  # nothing more by REST: the answer was the HELP text


def test_it_records_start_after_stop_and_refuses_a_replayed_stop(
    sms_practice: Any, client: Any
) -> None:
    from boundaries.channels.sms.models import SmsOptOut

    stop = sms_params("Stop")
    assert post(client, stop).status_code == 200
    assert post(client, sms_params("START")).status_code == 200
    assert not SmsOptOut.is_opted_out(sms_practice.pk, ROWAN)
    assert post(client, stop).status_code == 403  # the old STOP replayed changes nothing
    assert not SmsOptOut.is_opted_out(sms_practice.pk, ROWAN)


def test_it_checks_each_number_with_the_auth_token_of_its_own_twilio_account(
    sms_practice: Any, client: Any
) -> None:
    from boundaries.inbox.models import InboundRoute, Message

    other_number, other_token = "+442079460300", "0ther7oken" * 3
    InboundRoute.objects.create(practice=sms_practice, kind="sms", address=other_number)
    params = sms_params("Running late", to=other_number)
    with override_settings(TWILIO_NUMBER_ACCOUNTS=[f"{other_number}=AC{'1' * 32}:{other_token}"]):
        assert post(client, params).status_code == 403  # signed with the default account's token
        signed = twilio_signature(WEBHOOK, params, token=other_token)
        assert post(client, params, signature=signed).status_code == 200
    assert Message.objects.count() == 1


def test_it_keeps_the_alert_pending_when_twilio_is_busy_and_still_answers_the_client(
    sms_practice: Any, client: Any, twilio: FakeTwilio
) -> None:
    from boundaries.inbox.models import ActionRun

    twilio.status = 503
    response = post(client, sms_params(CRISIS_TEXT))
    assert b"116 123" in response.content
    run_worker()
    alert = ActionRun.objects.get(action="urgent_alert")
    assert alert.status == ActionRun.Status.PENDING
    assert alert.attempts == 1
    assert twilio.sent == []


# --- MMS pictures: into the client's vault, then deleted at Twilio --------------------------


def mms_params(fake: FakeTwilio, pictures: dict[str, bytes], **more: str) -> dict[str, str]:
    """An MMS webhook naming media at the fake Twilio, which holds ``pictures`` (sid -> bytes)."""
    fake.media.update(pictures)
    media: dict[str, str] = {"NumMedia": str(len(pictures))}
    for n, sid in enumerate(pictures):
        media[f"MediaUrl{n}"] = f"http://127.0.0.1:{fake.port}{MEDIA_PATH}{sid}"
        media[f"MediaContentType{n}"] = "image/jpeg"
    return sms_params("a photo of my sleep diary", **{**media, **more})


def gps_jpeg() -> bytes:
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (51.0, 30.0, 0.0), 3: "W", 4: (0.0, 7.0, 0.0)}  # GPS IFD
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 120, 40)).save(out, "JPEG", exif=exif)
    return out.getvalue()


SID_1, SID_2 = "ME" + "1" * 32, "ME" + "2" * 32


def test_a_clients_pictures_move_to_their_vault_cleaned_and_are_deleted_at_twilio(
    client: Any, sms_practice: Any, twilio: FakeTwilio
) -> None:
    from boundaries.audit.models import AuditEntry
    from boundaries.vault.files import open_decrypted
    from boundaries.vault.models import VaultObject

    response = post(client, mms_params(twilio, {SID_1: gps_jpeg(), SID_2: gps_jpeg()}))
    assert response.status_code == 200
    run_worker()
    stored = list(VaultObject.objects.order_by("pk"))
    assert [obj.client.first_name for obj in stored] == ["Rowan", "Rowan"]
    assert all(obj.cleaned and "EXIF" in obj.removed for obj in stored)
    with open_decrypted(stored[0]) as handle:
        assert Image.open(io.BytesIO(handle.read())).getexif().get_ifd(0x8825) == {}
    assert sorted(twilio.deleted) == [SID_1, SID_2] and twilio.media == {}
    entry = AuditEntry.objects.get(action="sms.media_moved")
    assert entry.details["stored"] == [1, 2] and entry.details["kept_at_twilio"] == {}


def test_moving_pictures_again_never_stores_a_second_copy(
    client: Any, sms_practice: Any, twilio: FakeTwilio
) -> None:
    from boundaries.channels.sms.tasks import move_media_to_vault
    from boundaries.inbox.models import Message
    from boundaries.vault.models import VaultObject

    post(client, mms_params(twilio, {SID_1: gps_jpeg()}))
    run_worker()
    twilio.media[SID_1] = gps_jpeg()  # as if the deletion had not reached Twilio
    move_media_to_vault.call(Message.objects.get().pk)
    assert VaultObject.objects.count() == 1
    assert twilio.fetched == [SID_1]
    assert twilio.deleted == [SID_1, SID_1] and twilio.media == {}


def test_pictures_twilio_is_slow_to_give_are_tried_again_later(
    client: Any, sms_practice: Any, twilio: FakeTwilio
) -> None:
    from django_tasks_db.models import DBTaskResult

    from boundaries.vault.models import VaultObject

    twilio.media_status = 503
    post(client, mms_params(twilio, {SID_1: gps_jpeg()}))
    run_worker()
    assert VaultObject.objects.count() == 0
    assert SID_1 in twilio.media  # nothing is lost: it is still at Twilio
    later = DBTaskResult.objects.filter(task_path__endswith="move_media_to_vault", status="READY")
    assert later.get().args_kwargs["args"][1] == 2


def test_a_strangers_pictures_and_foreign_links_are_never_fetched(
    client: Any, sms_practice: Any, twilio: FakeTwilio
) -> None:
    from boundaries.audit.models import AuditEntry
    from boundaries.channels.sms.tasks import move_media_to_vault
    from boundaries.inbox.models import Message
    from boundaries.vault.models import VaultObject

    post(client, mms_params(twilio, {SID_1: gps_jpeg()}, From=STRANGER))
    run_worker()
    assert VaultObject.objects.count() == 0 and twilio.fetched == []
    # Rowan's message naming an address that is not this account's Media resource.
    params = mms_params(twilio, {SID_2: gps_jpeg()})
    params["MediaUrl0"] = f"http://evil.example{MEDIA_PATH}{SID_2}"
    post(client, params)
    move_media_to_vault.call(Message.objects.get(client__isnull=False).pk)
    assert VaultObject.objects.count() == 0 and twilio.fetched == []
    entry = AuditEntry.objects.filter(action="sms.media_moved").latest("pk")
    assert entry.details["ignored_foreign_links"] == 1 and "retrying" not in entry.details


def test_the_message_page_says_how_many_pictures_came_and_where_they_went(
    client: Any, sms_practice: Any, twilio: FakeTwilio
) -> None:
    from boundaries.inbox.models import Message

    post(client, mms_params(twilio, {SID_1: gps_jpeg(), SID_2: gps_jpeg()}))
    run_worker()
    message = Message.objects.get()
    http = signed_in_alice(confirmed=True)
    page = http.get(f"/dashboard/messages/{message.pk}/content/").content.decode()
    assert "attached 2 files" in page
    assert f'href="/dashboard/clients/{message.client_id}/files/"' in page
    files = http.get(f"/dashboard/clients/{message.client_id}/files/").content.decode()
    assert f"text message {message.pk}, picture 1" in files
