"""Facebook Page and Instagram through Meta's webhooks: signed, stored once, private only.

Signatures are computed here as Meta documents them (``sha256=`` and the hex
HMAC-SHA256 of the raw body with the app secret). The only fake is the Graph
API, a tiny HTTP server on loopback that checks the Send API's wire format and
records every call, so a test can prove nothing was ever written in public.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import io
import json
import secrets
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import mail
from django.test import override_settings

from boundaries.channels.meta.parse import parse_webhook
from boundaries.core.types import Channel
from tests.channels.conftest import alder_practice, fake_api, run_worker, signed_in_alice

APP_SECRET = "c0ffee" * 5
VERIFY_TOKEN = "a-string-the-operator-chose"
PAGE_TOKEN = "EAAB" + "x" * 40
PAGE_ID = "104857600000001"
IG_ID = "17841400000000001"
PSID = "6543210987654321"
IGSID = "7766554433221100"
CRISIS_TEXT = "I can't do this anymore. I have the pills ready and I want to end it tonight."


def meta_signature(body: bytes, secret: str = APP_SECRET) -> str:
    """As Meta's webhook documentation describes it, written out independently."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def now_ms() -> int:
    return int(time.time() * 1000)


def dm(text: str, *, obj: str = "page", mid: str = "", sender: str = PSID) -> dict[str, Any]:
    account = PAGE_ID if obj == "page" else IG_ID
    return {
        "object": obj,
        "entry": [
            {
                "id": account,
                "time": now_ms(),
                "messaging": [
                    {
                        "sender": {"id": sender},
                        "recipient": {"id": account},
                        "timestamp": now_ms(),
                        "message": {"mid": mid or "m_" + secrets.token_hex(12), "text": text},
                    }
                ],
            }
        ],
    }


def page_comment(text: str, *, comment_id: str = "") -> dict[str, Any]:
    return {
        "object": "page",
        "entry": [
            {
                "id": PAGE_ID,
                "time": now_ms(),
                "changes": [
                    {
                        "field": "feed",
                        "value": {
                            "from": {"id": PSID, "name": "Someone"},
                            "item": "comment",
                            "comment_id": comment_id or f"{PAGE_ID}_111_{secrets.randbelow(10**9)}",
                            "post_id": f"{PAGE_ID}_111",
                            "parent_id": f"{PAGE_ID}_111",
                            "verb": "add",
                            "created_time": int(time.time()),
                            "message": text,
                        },
                    }
                ],
            }
        ],
    }


def instagram_comment(text: str, *, comment_id: str = "") -> dict[str, Any]:
    return {
        "object": "instagram",
        "entry": [
            {
                "id": IG_ID,
                "time": now_ms(),
                "changes": [
                    {
                        "field": "comments",
                        "value": {
                            "from": {"id": IGSID, "username": "someone"},
                            "media": {"id": "18000000000000001", "media_product_type": "FEED"},
                            "id": comment_id or f"181{secrets.randbelow(10**14):014d}",
                            "text": text,
                        },
                    }
                ],
            }
        ],
    }


def rating(text: str) -> dict[str, Any]:
    return {
        "object": "page",
        "entry": [
            {
                "id": PAGE_ID,
                "time": now_ms(),
                "changes": [
                    {
                        "field": "ratings",
                        "value": {
                            "item": "rating",
                            "verb": "add",
                            "reviewer_id": PSID,
                            "reviewer_name": "Someone",
                            "recommendation_type": "positive",
                            "review_text": text,
                            "open_graph_story_id": "900000000000001",
                            "created_time": int(time.time()),
                        },
                    }
                ],
            }
        ],
    }


def post(django_client: Any, body: bytes, signature: str | None = None) -> Any:
    headers = {"X-Hub-Signature-256": meta_signature(body) if signature is None else signature}
    if signature == "":
        headers = {}
    return django_client.post(
        "/hooks/meta", data=body, content_type="application/json", headers=headers
    )


def encode(payload: Any) -> bytes:
    return json.dumps(payload).encode()


# --- the fake Graph API -------------------------------------------------------------------


@dataclass
class FakeGraph:
    port: int = 0
    calls: list[tuple[str, str]] = field(default_factory=list)  # (method, path) of every call
    sent: list[dict[str, Any]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _check_send_api(handler: BaseHTTPRequestHandler, body: bytes) -> tuple[list[str], Any]:
    problems = []
    url = urlsplit(handler.path)
    if url.path != "/v19.0/me/messages":
        problems.append(f"path {url.path}")
    if parse_qs(url.query).get("access_token") != [PAGE_TOKEN]:
        problems.append("page access token")
    if handler.headers.get("Content-Type") != "application/json":
        problems.append("content type")
    try:
        data = json.loads(body)
    except ValueError:
        return [*problems, "body is not JSON"], None
    if set(data) != {"recipient", "messaging_type", "message"}:
        problems.append(f"fields {sorted(data)}")
    recipient = data.get("recipient")
    if not (
        isinstance(recipient, dict)
        and len(recipient) == 1
        and set(recipient) <= {"id", "comment_id", "post_id"}
    ):
        problems.append("recipient")
    if data.get("messaging_type") != "RESPONSE":
        problems.append("messaging_type")
    message = data.get("message")
    if not (isinstance(message, dict) and set(message) == {"text"} and message["text"]):
        problems.append("message")
    return problems, data


def _handler(fake: FakeGraph) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:  # keep test output quiet
            pass

        def _answer(self, status: int, payload: Any) -> None:
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            problems, data = _check_send_api(self, body)
            with fake.lock:
                fake.calls.append(("POST", urlsplit(self.path).path))
                fake.errors.extend(problems)
                if not problems:
                    fake.sent.append(data)
            if problems:
                self._answer(400, {"error": {"message": "Invalid parameter", "code": 100}})
            else:
                recipient = next(iter(data["recipient"].values()))
                self._answer(
                    200, {"recipient_id": recipient, "message_id": "m_" + secrets.token_hex(8)}
                )

        def do_GET(self) -> None:
            with fake.lock:
                fake.calls.append(("GET", urlsplit(self.path).path))
            self._answer(404, {"error": {"message": "Unsupported get request", "code": 100}})

    return Handler


@pytest.fixture
def graph() -> Iterator[FakeGraph]:
    fake = FakeGraph()
    with fake_api(_handler(fake)) as port:
        fake.port = port
        settings = {
            "META_APP_SECRET": APP_SECRET,
            "META_VERIFY_TOKEN": VERIFY_TOKEN,
            "META_PAGE_ACCESS_TOKEN": PAGE_TOKEN,
            "META_GRAPH_BASE": f"http://127.0.0.1:{port}",
        }
        with override_settings(**settings):
            yield fake
    assert fake.errors == [], "Boundaries called the Graph API in the wrong format"


@pytest.fixture
def meta_practice(transactional_db: Any, graph: FakeGraph) -> Any:
    """Alder practice with a published policy, its Facebook Page and Instagram account."""
    from boundaries.inbox.models import InboundRoute

    practice, _ = alder_practice()
    InboundRoute.objects.create(practice=practice, kind="meta_page", address=PAGE_ID)
    InboundRoute.objects.create(practice=practice, kind="meta_page", address=IG_ID)
    return practice


# --- pure: parsing ------------------------------------------------------------------------


NOW = dt.datetime(2026, 1, 5, 9, 30, tzinfo=dt.UTC)


IG_COMMENT = "18100000000000001"


@pytest.mark.parametrize(
    ("payload", "channel", "platform", "external_id", "recipient"),
    [
        (dm("hi", mid="m_1"), Channel.SOCIAL_DM, "facebook", "m_1", {"id": PSID}),
        (
            dm("hi", obj="instagram", mid="m_2", sender=IGSID),
            Channel.SOCIAL_DM,
            "instagram",
            "m_2",
            {"id": IGSID},
        ),
        (
            page_comment("hi", comment_id="c_1"),
            Channel.SOCIAL_COMMENT,
            "facebook",
            "c_1",
            {"comment_id": "c_1"},
        ),
        (
            instagram_comment("hi", comment_id=IG_COMMENT),
            Channel.SOCIAL_COMMENT,
            "instagram",
            IG_COMMENT,
            {"comment_id": IG_COMMENT},
        ),
        (rating("Great"), Channel.REVIEW, "facebook", "900000000000001", {}),
    ],
    ids=["facebook dm", "instagram dm", "page comment", "instagram comment", "page rating"],
)
def test_it_reads_each_kind_of_event_into_its_channel(
    payload: dict[str, Any],
    channel: Channel,
    platform: str,
    external_id: str,
    recipient: dict[str, str],
) -> None:
    (event,) = parse_webhook(encode(payload), now=NOW).events
    assert event.message.channel == channel
    assert event.message.platform == platform
    assert event.external_id == external_id
    assert event.recipient == recipient
    assert event.account_id == payload["entry"][0]["id"]
    # A private reply goes to the person (the ledger is per person); none for a review.
    assert event.reply_address == ("" if channel == Channel.REVIEW else event.message.sender)


def test_it_ignores_echoes_reads_edits_and_unknown_fields_by_kind() -> None:
    echo = dm("our own reply")
    echo["entry"][0]["messaging"][0]["message"]["is_echo"] = True
    read = {
        "object": "page",
        "entry": [
            {"id": PAGE_ID, "messaging": [{"sender": {"id": PSID}, "read": {"watermark": 1}}]}
        ],
    }
    edited = page_comment("changed")
    edited["entry"][0]["changes"][0]["value"]["verb"] = "edited"
    mention = {
        "object": "instagram",
        "entry": [{"id": IG_ID, "changes": [{"field": "mentions", "value": {}}]}],
    }
    unknown = {"object": "whatsapp_business_account", "entry": []}
    ignored = []
    for payload in (echo, read, edited, mention, unknown):
        parsed = parse_webhook(encode(payload), now=NOW)
        assert parsed.events == ()
        ignored.extend(parsed.ignored)
    assert ignored == [
        "page.messaging.echo",
        "page.messaging.read",
        "page.feed.comment.edited",
        "instagram.changes.mentions",
        "object.whatsapp_business_account",
    ]


def test_it_keeps_each_events_raw_bytes_to_that_event_alone() -> None:
    payload = dm("first")
    payload["entry"].append(dm("second", obj="page")["entry"][0] | {"id": "999"})
    events = parse_webhook(encode(payload), now=NOW).events
    assert [e.account_id for e in events] == [PAGE_ID, "999"]
    assert b"second" not in events[0].raw and b"first" not in events[1].raw


# --- the webhook, end to end --------------------------------------------------------------


def test_it_echoes_the_challenge_when_the_verify_token_matches(
    meta_practice: Any, client: Any
) -> None:
    query = {
        "hub.mode": "subscribe",
        "hub.verify_token": VERIFY_TOKEN,
        "hub.challenge": "1158201444",
    }
    response = client.get("/hooks/meta", query)
    assert response.status_code == 200
    assert response.content == b"1158201444"


@pytest.mark.parametrize(
    "query",
    [
        {"hub.mode": "subscribe", "hub.verify_token": "guess", "hub.challenge": "1"},
        {"hub.mode": "unsubscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "1"},
        {"hub.challenge": "1"},
    ],
)
def test_it_refuses_a_subscription_with_a_wrong_token_or_mode(
    meta_practice: Any, client: Any, query: dict[str, str]
) -> None:
    response = client.get("/hooks/meta", query)
    assert response.status_code == 403
    assert b"1" not in response.content


def test_it_stores_a_signed_direct_message_once_when_delivered_twice(
    meta_practice: Any, client: Any
) -> None:
    from boundaries.inbox.models import Message

    body = encode(dm("Can I move my session to Thursday?"))
    assert post(client, body).status_code == 200
    assert post(client, body).status_code == 200
    message = Message.objects.get()
    assert (message.channel, message.platform) == ("social_dm", "facebook")
    assert b"Thursday" not in bytes(message.sealed)


def test_it_stores_an_instagram_message_for_the_practice_that_owns_the_account(
    meta_practice: Any, client: Any
) -> None:
    from boundaries.inbox.models import Message

    assert post(client, encode(dm("hello", obj="instagram", sender=IGSID))).status_code == 200
    message = Message.objects.get()
    assert (message.practice_id, message.platform) == (meta_practice.pk, "instagram")


@pytest.mark.parametrize("forgery", ["wrong secret", "missing", "other body", "no prefix"])
def test_it_refuses_a_forged_delivery_with_403_and_stores_nothing(
    meta_practice: Any, client: Any, forgery: str
) -> None:
    from boundaries.inbox.models import Message

    body = encode(dm("Can I move my session to Thursday?"))
    signature = {
        "wrong secret": meta_signature(body, secret="not-the-app-secret"),
        "missing": "",
        "other body": meta_signature(encode(dm("something else"))),
        "no prefix": meta_signature(body).removeprefix("sha256="),
    }[forgery]
    assert post(client, body, signature=signature).status_code == 403
    assert Message.objects.count() == 0


def test_it_refuses_a_validly_signed_delivery_replayed_days_later(
    meta_practice: Any, client: Any
) -> None:
    from boundaries.inbox.models import Message

    payload = dm("Can I move my session to Thursday?")
    three_days_ago = now_ms() - 3 * 24 * 3600 * 1000
    payload["entry"][0]["time"] = three_days_ago
    payload["entry"][0]["messaging"][0]["timestamp"] = three_days_ago
    response = post(client, encode(payload))  # signed correctly: only its age gives it away
    assert response.status_code == 403
    assert Message.objects.count() == 0


def without_time_stamps(payload: dict[str, Any]) -> dict[str, Any]:
    for entry in payload["entry"]:
        entry.pop("time", None)
        for event in entry.get("messaging", []):
            event.pop("timestamp", None)
        for change in entry.get("changes", []):
            change["value"].pop("created_time", None)
    return payload


def test_it_refuses_a_signed_delivery_without_time_stamps_that_repeats_a_stored_message(
    meta_practice: Any, client: Any
) -> None:
    """With no time to check its age, a repeat of a stored message is taken for a replay."""
    from boundaries.inbox.models import Message

    first = dm("Can I move my session to Thursday?", mid="m_once")
    assert post(client, encode(first)).status_code == 200
    replay = without_time_stamps(first)
    assert parse_webhook(encode(replay), now=NOW).sent_at is None
    assert post(client, encode(replay)).status_code == 403
    assert Message.objects.count() == 1


def test_it_accepts_a_signed_delivery_without_time_stamps_when_every_message_is_new(
    meta_practice: Any, client: Any
) -> None:
    from boundaries.inbox.models import Message

    assert post(client, encode(without_time_stamps(dm("hello", mid="m_new")))).status_code == 200
    assert list(Message.objects.values_list("external_id", flat=True)) == ["m_new"]
    mixed = dm("and again", mid="m_other")
    mixed["entry"].insert(0, dm("hello", mid="m_new")["entry"][0])
    assert post(client, encode(without_time_stamps(mixed))).status_code == 403
    assert Message.objects.count() == 1


def test_it_accepts_a_retried_delivery_that_adds_to_what_it_already_stored(
    meta_practice: Any, client: Any
) -> None:
    from boundaries.inbox.models import Message

    first = dm("Running late, sorry", mid="m_first")
    assert post(client, encode(first)).status_code == 200
    both = dm("Also, is the room upstairs?", mid="m_second")
    both["entry"].insert(0, first["entry"][0])
    assert post(client, encode(both)).status_code == 200
    assert sorted(Message.objects.values_list("external_id", flat=True)) == [
        "m_first",
        "m_second",
    ]


def test_it_stores_another_message_that_reuses_a_message_id(
    meta_practice: Any, client: Any
) -> None:
    from boundaries.inbox.models import Alert, Message

    assert post(client, encode(dm("can we move thursday", mid="m_same"))).status_code == 200
    crisis = encode(dm(CRISIS_TEXT, mid="m_same", sender="6054321098765432"))
    assert post(client, crisis).status_code == 200
    assert post(client, crisis).status_code == 200  # Meta's retry of it: stored once
    stored = list(Message.objects.order_by("id"))
    assert [(m.external_id, m.crisis) for m in stored] == [("m_same", False), ("m_same", True)]
    assert Alert.objects.get().message == stored[1]


def test_it_reads_page_feed_times_in_seconds_and_messenger_times_in_milliseconds() -> None:
    comment = page_comment("hi", comment_id="c_1")
    comment["entry"][0]["changes"][0]["value"]["created_time"] = 1767605400  # 2026-01-05 09:30
    direct = dm("hi", mid="m_1")
    direct["entry"][0]["messaging"][0]["timestamp"] = 1767605400000
    later = NOW + dt.timedelta(hours=1)
    for payload in (comment, direct):
        (event,) = parse_webhook(encode(payload), now=later).events
        assert event.message.received_at == NOW


@pytest.mark.parametrize(
    "body", [b"{not json", b"\xff\xfe", b"[1, 2]", b"", b"[" * 100_000 + b"]" * 100_000]
)
def test_it_answers_400_for_a_signed_body_that_is_not_a_json_object(
    meta_practice: Any, client: Any, body: bytes
) -> None:
    assert post(client, body).status_code == 400


def test_it_accepts_but_stores_nothing_for_unknown_shapes_or_pages(
    meta_practice: Any, client: Any
) -> None:
    from boundaries.inbox.models import Message

    stranger_page = dm("hello")
    stranger_page["entry"][0]["id"] = "1"
    for payload in (stranger_page, {"object": "user", "entry": [{"id": "1"}]}, {"entry": "x"}):
        assert post(client, encode(payload)).status_code == 200
    assert Message.objects.count() == 0


def test_it_answers_a_crisis_message_in_private_once_and_alerts_the_therapist_once(
    meta_practice: Any, client: Any, graph: FakeGraph
) -> None:
    from boundaries.inbox.models import Alert, Message

    body = encode(dm(CRISIS_TEXT))
    post(client, body)
    post(client, body)
    message = Message.objects.get()
    assert message.crisis
    assert Alert.objects.count() == 1
    run_worker()
    run_worker()
    (sent,) = graph.sent
    assert sent["recipient"] == {"id": PSID}
    assert sent["messaging_type"] == "RESPONSE"
    assert "116 123" in sent["message"]["text"]  # Samaritans, for the UK practice
    assert "pills" not in sent["message"]["text"]
    alerts = [m for m in mail.outbox if m.to == ["alice@alder.example"]]
    assert len(alerts) == 1
    assert "pills" not in alerts[0].body


@pytest.mark.parametrize("make", [page_comment, instagram_comment])
def test_it_never_answers_a_public_comment_in_public(
    meta_practice: Any, client: Any, graph: FakeGraph, make: Any
) -> None:
    from boundaries.inbox.models import Message

    post(client, encode(make("Is she any good? I see her on Tuesdays about my anxiety")))
    post(client, encode(make(CRISIS_TEXT)))
    assert Message.objects.filter(channel="social_comment").count() == 2
    run_worker()
    # Only the crisis gets an answer, and only as a private message to the commenter.
    (sent,) = graph.sent
    assert set(sent["recipient"]) == {"comment_id"}
    assert "116 123" in sent["message"]["text"]
    assert graph.calls == [("POST", "/v19.0/me/messages")]


def test_it_sends_nothing_at_all_for_a_review(
    meta_practice: Any, client: Any, graph: FakeGraph
) -> None:
    from boundaries.inbox.models import ActionRun, Message

    assert (
        post(client, encode(rating("Alice helped me so much with my depression"))).status_code
        == 200
    )
    message = Message.objects.get()
    assert message.channel == "review"
    run_worker()
    assert graph.calls == []
    replies = ["crisis_resources_reply", "redirect_reply", "secure_channel_reply"]
    done = ActionRun.objects.filter(message=message, action__in=replies, status="done")
    assert not done.exists()


# --- a client's attachments: fetched from Meta's CDN into their vault -----------------------


@dataclass
class FakeCdn:
    """Meta's CDN as the messaging webhook's ``payload.url`` names it: path -> file."""

    port: int = 0
    files: dict[str, bytes] = field(default_factory=dict)
    fetched: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"


def _cdn_handler(fake: FakeCdn) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def _reply(self, status: int, body: bytes = b"", location: str = "") -> None:
            self.send_response(status)
            if location:
                self.send_header("Location", location)
            self.send_header("Content-Type", "image/jpeg")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            path = urlsplit(self.path).path
            with fake.lock:
                fake.fetched.append(path)
            if path.startswith("/moved/"):  # a signed link redirecting within the CDN
                self._reply(302, location=path.removeprefix("/moved"))
            elif path.startswith("/away/"):  # ... or to a host that is not Meta's
                self._reply(302, location=fake.url(path.removeprefix("/away"), "localhost"))
            elif path.startswith("/busy/"):
                self._reply(503)
            elif path in fake.files:
                self._reply(200, fake.files[path])
            else:  # an expired link answers 404
                self._reply(404, b"URL signature expired")

    return Handler


@pytest.fixture
def cdn(meta_practice: Any) -> Iterator[FakeCdn]:
    """The fake CDN, accepted as Meta's host for this test; Rowan writes from PSID."""
    from boundaries.practices.actions import do_add_client

    do_add_client(meta_practice, first_name="Rowan", last_name="Ashby", handles={"facebook": PSID})
    fake = FakeCdn()
    with fake_api(_cdn_handler(fake)) as port:
        fake.port = port
        with override_settings(META_MEDIA_HOSTS=["127.0.0.1"], META_MEDIA_SCHEMES=["http"]):
            yield fake


def dm_with(urls: list[str], *, sender: str = PSID, text: str = "") -> dict[str, Any]:
    payload = dm(text, sender=sender)
    message = payload["entry"][0]["messaging"][0]["message"]
    message["attachments"] = [{"type": "image", "payload": {"url": url}} for url in urls]
    if not text:
        del message["text"]
    return payload


def photo() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8), (40, 120, 200)).save(out, "PNG")
    return out.getvalue()


@pytest.mark.parametrize(
    ("url", "fetchable"),
    [
        ("https://scontent-lhr8-1.xx.fbcdn.net/v/t1.15752-9/1.jpg?oh=00&oe=6", True),
        ("https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=1&signature=x", True),
        ("https://fbcdn.net/1.jpg", True),
        ("http://scontent.xx.fbcdn.net/1.jpg", False),  # not over https
        ("https://evilfbcdn.net/1.jpg", False),
        ("https://fbcdn.net.evil.example/1.jpg", False),
        ("https://fbcdn.net@evil.example/1.jpg", False),
        ("https://user:pw@scontent.xx.fbcdn.net/1.jpg", False),
        ("https://[::1/1.jpg", False),
        ("file:///etc/passwd", False),
    ],
)
def test_it_fetches_attachments_only_from_metas_own_hosts(url: str, fetchable: bool) -> None:
    from boundaries.channels.meta.media import media_refs

    event = {"message": {"mid": "m_1", "attachments": [{"type": "image", "payload": {"url": url}}]}}
    refs, other = media_refs(
        event, hosts=["fbcdn.net", "fbsbx.com", "cdninstagram.com"], schemes=["https"]
    )
    assert ([ref.url for ref in refs], other) == (([url], 0) if fetchable else ([], 1))


def test_a_clients_attachments_move_into_their_vault_once(client: Any, cdn: FakeCdn) -> None:
    from boundaries.audit.models import AuditEntry
    from boundaries.channels.meta.tasks import move_media_to_vault
    from boundaries.inbox.models import Message
    from boundaries.vault.files import open_decrypted
    from boundaries.vault.models import VaultObject

    cdn.files["/a.png"] = cdn.files["/b.png"] = photo()
    body = encode(dm_with([cdn.url("/a.png"), cdn.url("/moved/b.png")]))
    assert post(client, body).status_code == 200
    assert post(client, body).status_code == 200  # Meta's retry: stored and fetched once
    run_worker()
    stored = list(VaultObject.objects.order_by("pk"))
    assert [(obj.client.first_name, obj.direction) for obj in stored] == [
        ("Rowan", "from_client"),
        ("Rowan", "from_client"),
    ]
    with open_decrypted(stored[0]) as handle:
        assert handle.read()[:8] == b"\x89PNG\r\n\x1a\n"
    assert cdn.fetched == ["/a.png", "/moved/b.png", "/b.png"]
    entry = AuditEntry.objects.get(action="meta.media_moved")
    assert entry.details["stored"] == [1, 2] and entry.details["not_stored"] == {}
    move_media_to_vault.call(Message.objects.get().pk)  # again: nothing fetched twice
    assert VaultObject.objects.count() == 2 and len(cdn.fetched) == 3


def test_expired_or_redirected_away_links_are_recorded_not_retried(
    client: Any, cdn: FakeCdn
) -> None:
    from django_tasks_db.models import DBTaskResult

    from boundaries.audit.models import AuditEntry
    from boundaries.vault.models import VaultObject

    cdn.files["/c.png"] = photo()
    urls = [cdn.url("/expired.png"), cdn.url("/away/c.png"), "https://evil.example/x.png"]
    assert post(client, encode(dm_with(urls, text="the photos"))).status_code == 200
    run_worker()
    assert VaultObject.objects.count() == 0
    assert cdn.fetched == ["/expired.png", "/away/c.png"]  # never the foreign host
    entry = AuditEntry.objects.get(action="meta.media_moved")
    assert entry.details["not_stored"] == {
        "1": "Meta refused the media fetch (HTTP 404)",
        "2": "Meta redirected the link away from its own hosts",
    }
    assert entry.details["ignored_foreign_links"] == 1 and "retrying" not in entry.details
    later = DBTaskResult.objects.filter(task_path__endswith="move_media_to_vault", status="READY")
    assert not later.exists()


def test_attachments_meta_is_slow_to_give_are_tried_again_later(client: Any, cdn: FakeCdn) -> None:
    from django_tasks_db.models import DBTaskResult

    from boundaries.vault.models import VaultObject

    assert post(client, encode(dm_with([cdn.url("/busy/e.png")]))).status_code == 200
    run_worker()
    assert VaultObject.objects.count() == 0 and cdn.fetched == ["/busy/e.png"]
    later = DBTaskResult.objects.filter(task_path__endswith="move_media_to_vault", status="READY")
    assert later.get().args_kwargs["args"][1] == 2


def test_a_strangers_attachments_are_never_fetched(client: Any, cdn: FakeCdn) -> None:
    from boundaries.inbox.models import Message
    from boundaries.vault.models import VaultObject

    cdn.files["/d.png"] = photo()
    assert post(client, encode(dm_with([cdn.url("/d.png")], sender="999"))).status_code == 200
    run_worker()
    assert Message.objects.get().client is None
    assert VaultObject.objects.count() == 0 and cdn.fetched == []


def test_the_message_page_points_the_therapist_to_the_clients_files(
    client: Any, cdn: FakeCdn
) -> None:
    from boundaries.inbox.models import Message

    cdn.files["/f.png"] = photo()
    urls = [cdn.url("/f.png"), cdn.url("/g.png")]
    assert post(client, encode(dm_with(urls, text="my mood chart"))).status_code == 200
    assert post(client, encode(dm_with([cdn.url("/f.png")], sender="999"))).status_code == 200
    run_worker()
    rowans, strangers = Message.objects.order_by("pk")
    http = signed_in_alice(confirmed=True)
    page = http.get(f"/dashboard/messages/{rowans.pk}/content/").content.decode()
    assert "attached 2 files" in page
    assert f'href="/dashboard/clients/{rowans.client_id}/files/"' in page
    page = http.get(f"/dashboard/messages/{strangers.pk}/content/").content.decode()
    assert "attached 1 file," in page and "not one of your clients, so it was not" in page
