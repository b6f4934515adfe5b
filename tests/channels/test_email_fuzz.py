"""Real-world and fuzzed mail: never a crash, and every accepted message stored exactly once.

The CI-sized run is 100,000 mutations through the parser and a few hundred
through the real SMTP receiver into the database; ``scripts/fuzz_email.py
--count 1000000`` is the long run (docs/channels.md). The real-world corpus
(``tests/channels/mail_corpus/``) goes through the receiver whole.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from typing import Any

from boundaries.channels.email.parse import email_attachments, parse_email
from boundaries.core.types import Channel
from boundaries.inbox.models import Message
from boundaries.inbox.sealing import unseal
from tests.channels.email_corpus import SEEDS, mutate, real_world, same_message, with_message_id
from tests.channels.smtp_helpers import receiver, send

NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)


def test_it_parses_100000_mutated_emails_without_an_exception() -> None:
    rng = random.Random(20261125)
    auto = 0
    for _ in range(100_000):
        parsed = parse_email(mutate(rng, rng.choice(SEEDS)), now=NOW)
        assert parsed.message.channel == Channel.EMAIL
        assert isinstance(parsed.message.text, str)
        assert parsed.message.received_at.tzinfo is not None
        auto += parsed.auto_generated
    assert 0 < auto < 100_000  # the flags still mean something after mutation


def test_its_attachment_bytes_match_the_listing_for_10000_mutated_emails() -> None:
    rng = random.Random(20261202)
    found = 0
    for _ in range(10_000):
        raw = mutate(rng, rng.choice(SEEDS))
        listed = parse_email(raw, now=NOW).message.attachments
        extracted = email_attachments(raw)
        assert [a for a, _ in extracted] == list(listed)
        assert all(len(data) == a.size for a, data in extracted)
        found += len(extracted)
    assert found > 0


def test_it_reads_the_unmutated_seeds_correctly() -> None:
    first = parse_email(SEEDS[0], now=NOW)
    assert first.sender_address == "rowan@example.org"
    assert first.message_id == "<a1@example.org>"
    assert "move Tuesday" in first.message.text
    assert not first.auto_generated
    accented = parse_email(SEEDS[1], now=NOW)
    assert accented.message.subject == "Café chat"
    assert "feeling low" in accented.message.text
    assert parse_email(SEEDS[3], now=NOW).auto_generated  # a bounce
    assert parse_email(SEEDS[6], now=NOW).auto_generated  # a list
    with_attachments = parse_email(SEEDS[2], now=NOW)
    assert any(a.filename == "notes.pdf" for a in with_attachments.message.attachments)
    pdf = [data for a, data in email_attachments(SEEDS[2]) if a.filename == "notes.pdf"]
    assert pdf and pdf[0].startswith(b"%PDF")


def test_it_stores_or_refuses_every_mutated_email_sent_over_smtp(mail_practice: Any) -> None:
    rng = random.Random(7)
    accepted = refused = 0
    with receiver() as port:
        for _ in range(300):
            raw = mutate(rng, rng.choice(SEEDS)).replace(b"\r\n.\r\n", b"\r\n..\r\n")
            code, _ = send(port, raw, sender="rowan@example.org", to="inbox@alder.example")
            # RFC 5321 4.5.3.1.6: a line over 1,000 octets is refused with a 500; every
            # other mutation, however broken, is stored.
            too_long = max(len(line) for line in raw.split(b"\r\n")) > 998
            assert code == (500 if too_long else 250), (code, too_long)
            accepted += code == 250
            refused += code != 250
    assert accepted > 100
    # Identical mutations are one message: stored exactly once each.
    assert Message.objects.count() <= accepted
    assert Message.objects.count() > 0


#: Prepended to each message the second time round, as a relay that retries would.
RELAYED = (
    b"Received: from mx2.example.net by boundaries.localhost; Sun, 6 Dec 2026 10:00:00 +0000\r\n"
)


def _stored_messages() -> Counter[tuple[str, str, str, bytes]]:
    """How many times each message (by ``same_message``) is stored."""
    return Counter(
        same_message(unseal(m.sealed, practice_id=m.practice_id, content_hash=m.content_hash).raw)
        for m in Message.objects.all()
    )


def _deliver(port: int, corpus: list[bytes]) -> list[bytes]:
    """Send each message; the ones answered 250."""
    return [
        raw
        for raw in corpus
        if send(port, raw, sender="relay@example.net", to="inbox@alder.example")[0] == 250
    ]


def test_every_distinct_real_world_email_that_gets_250_is_stored_exactly_once(
    mail_practice: Any,
) -> None:
    corpus = [raw for _, raw in real_world()]
    assert len(corpus) >= 190
    with receiver() as port:
        accepted = _deliver(port, corpus)
        expected = {same_message(raw) for raw in accepted}
        stored = _stored_messages()
        lost = expected - set(stored)
        assert not lost, f"{len(lost)} of {len(expected)} distinct accepted messages not stored"
        assert set(stored) == expected
        assert max(stored.values()) == 1
        # The whole corpus again, through another relay: every message is a repeat.
        again = _deliver(port, [RELAYED + raw for raw in corpus])
    assert len(again) == len(accepted)
    assert _stored_messages() == stored
    assert len(accepted) > 180  # the few refused have lines over 998 octets (RFC 5321)


def test_real_world_emails_that_all_share_one_message_id_are_each_stored(
    mail_practice: Any,
) -> None:
    corpus = [with_message_id(raw, "<x@p>") for _, raw in real_world()]
    with receiver() as port:
        accepted = _deliver(port, corpus)
    expected = {same_message(raw) for raw in accepted}
    stored = _stored_messages()
    lost = expected - set(stored)
    assert not lost, f"{len(lost)} of {len(expected)} distinct accepted messages not stored"
    assert set(stored) == expected
    assert max(stored.values()) == 1
