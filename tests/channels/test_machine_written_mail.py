"""Mail written by a machine (bounces, newsletters) is never put on the "Review today" list
by the model alone: the real parser, the real classifier and the rules, on the real corpus."""

from __future__ import annotations

from datetime import UTC, datetime

from boundaries.channels.email.parse import parse_email
from boundaries.core.classifier import load_default_classifier
from boundaries.core.policy import demo_policy
from boundaries.core.triage import decide
from boundaries.core.types import RiskLevel, SenderContext
from tests.channels.email_corpus import real_world

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


def test_machine_written_mail_in_the_corpus_gets_a_level_only_from_an_expression() -> None:
    classifier = load_default_classifier()
    policy = demo_policy()
    machine_written = raised_by_the_model = 0
    for name, raw in real_world():
        parsed = parse_email(raw, now=NOW)
        if not parsed.message.automated:
            continue
        machine_written += 1
        seen = classifier.classify(parsed.message.text, parsed.message.subject)
        raised_by_the_model += seen.risk.rank > seen.expressed_risk.rank
        decision = decide(parsed.message, policy, SenderContext(), classifier=classifier)
        assert decision.risk is seen.expressed_risk, name
    # The corpus holds bounces the model alone reads as a risk sign: the rule is exercised.
    assert machine_written >= 50
    assert raised_by_the_model >= 10


def test_the_parser_marks_a_bounce_and_not_a_person() -> None:
    bounce = (
        b"From: MAILER-DAEMON@mx.example.org\r\nTo: inbox@riverside-therapy.example\r\n"
        b"Subject: Undelivered Mail Returned to Sender\r\nAuto-Submitted: auto-replied\r\n\r\n"
        b"This is the mail system. I'm sorry to have to inform you that your message could "
        b"not be delivered.\r\n"
    )
    person = (
        b"From: jo@example.org\r\nTo: inbox@riverside-therapy.example\r\n"
        b"Subject: Thursday\r\n\r\nI don't want to be here anymore.\r\n"
    )
    assert parse_email(bounce, now=NOW).message.automated
    parsed = parse_email(person, now=NOW)
    assert not parsed.message.automated
    decision = decide(parsed.message, demo_policy(), SenderContext())
    assert decision.risk is not RiskLevel.NONE
