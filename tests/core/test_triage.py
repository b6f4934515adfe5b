"""Triage rules, one behaviour per test, named by the clause they enforce."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from boundaries.core.triage import AGENDA_COMMUNICATION, AGENDA_POLICY_QUESTION, decide
from boundaries.core.types import (
    SOCIAL_CHANNELS,
    Action,
    AgreedChannel,
    AgreementTerms,
    Channel,
    ClauseId,
    InboundMessage,
    Label,
    RiskLevel,
    SenderContext,
    SenderStatus,
)
from tests.core.triage_support import ScriptedClassifier, policy_with_replies, sees

WHEN = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
POLICY = policy_with_replies("GB")
UK_FOOTER = POLICY.crisis_for("GB").footer()
US_FOOTER = POLICY.crisis_for("US").footer()

PRESENT = SenderContext(
    status=SenderStatus.PRESENT_CLIENT,
    country="GB",
    agreement=AgreementTerms(channels=frozenset({AgreedChannel.EMAIL, AgreedChannel.PHONE})),
)
PAST = SenderContext(status=SenderStatus.PAST_CLIENT, country="GB")
UNKNOWN = SenderContext()


def msg(channel: Channel, text: str = "hello", subject: str = "") -> InboundMessage:
    return InboundMessage(
        channel=channel, sender="someone", text=text, received_at=WHEN, subject=subject
    )


# --- safety ---------------------------------------------------------------------------


@pytest.mark.parametrize("channel", [c for c in Channel if c != Channel.REVIEW])
@pytest.mark.parametrize("sender", [PRESENT, PAST, UNKNOWN])
def test_safety_crisis_on_any_channel_from_anyone_alerts_and_replies_with_resources(
    channel: Channel, sender: SenderContext
) -> None:
    decision = decide(msg(channel), POLICY, sender, classifier=sees(crisis=True))
    assert decision.crisis
    assert decision.actions[:2] == (Action.URGENT_ALERT, Action.CRISIS_RESOURCES_REPLY)
    assert decision.clauses[0] == ClauseId.SAFETY
    assert Action.DELIVER in decision.actions
    assert Action.NO_RESPONSE not in decision.actions
    assert decision.reply is not None
    assert decision.reply.endswith(POLICY.crisis_for(sender.country).footer())


def test_safety_crisis_on_social_platform_is_not_answered_only_with_a_redirect() -> None:
    decision = decide(
        msg(Channel.SOCIAL_DM), POLICY, PRESENT, classifier=sees(Label.SCHEDULING, crisis=True)
    )
    assert Action.URGENT_ALERT in decision.actions
    assert decision.reply is not None
    assert decision.reply.startswith("Thank you for writing to Alder Tree Counselling.")
    assert "116 123" in decision.reply and "999" in decision.reply


def test_safety_an_empty_crisis_text_still_never_becomes_a_redirect() -> None:
    from dataclasses import replace

    bare = replace(POLICY, replies=replace(POLICY.replies, crisis=""))
    decision = decide(
        msg(Channel.SOCIAL_DM), bare, PRESENT, classifier=sees(Label.SCHEDULING, crisis=True)
    )
    assert decision.reply == UK_FOOTER


def test_safety_crisis_reply_uses_the_senders_country_resources() -> None:
    abroad = SenderContext(status=SenderStatus.PRESENT_CLIENT, country="US")
    decision = decide(msg(Channel.SMS), POLICY, abroad, classifier=sees(crisis=True))
    assert decision.reply is not None
    assert decision.reply.endswith(US_FOOTER)
    assert "988" in decision.reply


def test_safety_unknown_country_falls_back_to_the_practice_country() -> None:
    stranger = SenderContext(country="ZZ")
    decision = decide(msg(Channel.EMAIL), POLICY, stranger, classifier=sees(crisis=True))
    assert decision.reply is not None and decision.reply.endswith(UK_FOOTER)


def test_safety_a_crisis_label_without_the_verdict_still_raises_the_alert() -> None:
    decision = decide(msg(Channel.SMS), POLICY, PRESENT, classifier=sees(Label.CRISIS))
    assert decision.crisis
    assert Action.URGENT_ALERT in decision.actions


def test_safety_crisis_with_unagreed_session_content_keeps_quarantine_but_leads_with_safety() -> (
    None
):
    decision = decide(
        msg(Channel.EMAIL), POLICY, UNKNOWN, classifier=sees(Label.SESSION_CONTENT, crisis=True)
    )
    assert decision.actions[:2] == (Action.URGENT_ALERT, Action.CRISIS_RESOURCES_REPLY)
    assert Action.QUARANTINE_TO_VAULT in decision.actions
    assert decision.reply is not None and "has been told" in decision.reply


@pytest.mark.parametrize("channel", list(Channel))
def test_safety_cannot_be_switched_off_by_disabling_every_clause(channel: Channel) -> None:
    bare = policy_with_replies("GB", disabled=list(ClauseId))
    decision = decide(msg(channel), bare, UNKNOWN, classifier=sees(crisis=True))
    assert Action.URGENT_ALERT in decision.actions
    assert (Action.CRISIS_RESOURCES_REPLY in decision.actions) == (channel != Channel.REVIEW)


@pytest.mark.parametrize("sender", [PRESENT, PAST, UNKNOWN])
def test_safety_an_urgent_review_alerts_the_therapist_and_says_nothing_at_all(
    sender: SenderContext,
) -> None:
    decision = decide(msg(Channel.REVIEW), POLICY, sender, classifier=sees(crisis=True))
    assert decision.crisis
    assert decision.actions == (Action.URGENT_ALERT, Action.DELIVER)
    assert decision.reply is None


@pytest.mark.parametrize("sender", [PAST, UNKNOWN])
def test_safety_an_urgent_public_comment_gets_resources_privately_and_no_promise(
    sender: SenderContext,
) -> None:
    decision = decide(msg(Channel.SOCIAL_COMMENT), POLICY, sender, classifier=sees(crisis=True))
    assert Action.CRISIS_RESOURCES_REPLY in decision.actions
    assert decision.reply == POLICY.crisis_for(sender.country).footer()
    assert "Alder Tree" not in decision.reply  # nothing that confirms a relationship
    assert "in touch" not in decision.reply  # no promise of contact


def test_safety_an_urgent_public_comment_from_a_present_client_gets_the_usual_reply() -> None:
    decision = decide(msg(Channel.SOCIAL_COMMENT), POLICY, PRESENT, classifier=sees(crisis=True))
    assert decision.reply is not None
    assert decision.reply.startswith("Thank you for writing to Alder Tree Counselling.")
    assert decision.reply.endswith(UK_FOOTER)


@pytest.mark.parametrize("channel", list(Channel))
def test_safety_a_concern_goes_on_todays_review_list_and_never_pages(channel: Channel) -> None:
    decision = decide(msg(channel), POLICY, PRESENT, classifier=sees(concern=True))
    assert decision.risk is RiskLevel.CONCERN
    assert not decision.crisis
    assert Action.REVIEW_TODAY in decision.actions
    assert Action.DELIVER in decision.actions
    assert Action.URGENT_ALERT not in decision.actions
    assert Action.CRISIS_RESOURCES_REPLY not in decision.actions
    assert decision.clauses[0] == ClauseId.SAFETY


def test_safety_a_concern_keeps_the_other_rules_and_their_replies_carry_the_footer() -> None:
    decision = decide(
        msg(Channel.SOCIAL_DM),
        POLICY,
        PRESENT,
        classifier=sees(Label.SCHEDULING, concern=True),
    )
    assert decision.actions[:2] == (Action.REVIEW_TODAY, Action.REDIRECT_REPLY)
    assert decision.reply is not None and decision.reply.endswith(UK_FOOTER)


@pytest.mark.parametrize("channel", [Channel.REVIEW, Channel.SOCIAL_COMMENT])
def test_safety_a_weak_model_only_crisis_score_on_a_public_channel_is_no_alert(
    channel: Channel,
) -> None:
    weak = ScriptedClassifier(frozenset({Label.OTHER}), crisis=True, crisis_score=0.2)
    decision = decide(msg(channel, "Five stars, lovely rooms"), POLICY, UNKNOWN, classifier=weak)
    assert not decision.crisis
    assert decision.actions == (Action.NO_RESPONSE,)
    assert Label.CRISIS not in decision.labels


@pytest.mark.parametrize("channel", [Channel.REVIEW, Channel.SOCIAL_COMMENT])
def test_safety_a_risk_expression_on_a_public_channel_always_alerts(channel: Channel) -> None:
    expressed = ScriptedClassifier(
        frozenset({Label.OTHER}), crisis=True, crisis_score=0.2, by_expression=True
    )
    decision = decide(msg(channel), POLICY, UNKNOWN, classifier=expressed)
    assert decision.crisis
    assert Action.URGENT_ALERT in decision.actions


def test_safety_a_weak_model_only_crisis_score_in_a_private_message_still_alerts() -> None:
    weak = ScriptedClassifier(frozenset({Label.OTHER}), crisis=True, crisis_score=0.2)
    decision = decide(msg(Channel.SMS), POLICY, PRESENT, classifier=weak)
    assert decision.crisis


def machine_written(channel: Channel = Channel.EMAIL) -> InboundMessage:
    return InboundMessage(
        channel=channel,
        sender="mailer-daemon@example.org",
        text="Delivery has failed to these recipients",
        received_at=WHEN,
        automated=True,
    )


@pytest.mark.parametrize(
    "seen",
    [sees(concern=True), ScriptedClassifier(frozenset({Label.OTHER}), crisis=True)],
    ids=["concern", "urgent"],
)
def test_safety_the_model_alone_raises_no_level_for_mail_written_by_a_machine(
    seen: ScriptedClassifier,
) -> None:
    decision = decide(machine_written(), POLICY, UNKNOWN, classifier=seen)
    assert decision.risk is RiskLevel.NONE
    assert decision.actions == (Action.DELIVER,)
    assert Label.CRISIS not in decision.labels


@pytest.mark.parametrize("level", [RiskLevel.CONCERN, RiskLevel.URGENT])
def test_safety_an_expression_of_risk_in_machine_written_mail_keeps_its_level(
    level: RiskLevel,
) -> None:
    expressed = ScriptedClassifier(
        frozenset({Label.OTHER}),
        crisis=level is RiskLevel.URGENT,
        concern=level is RiskLevel.CONCERN,
        by_expression=True,
    )
    decision = decide(machine_written(), POLICY, UNKNOWN, classifier=expressed)
    assert decision.risk is level
    first = Action.URGENT_ALERT if level is RiskLevel.URGENT else Action.REVIEW_TODAY
    assert decision.actions[0] is first


@pytest.mark.parametrize("by_expression", [True, False])
def test_the_decision_says_whether_the_concern_was_in_the_words(by_expression: bool) -> None:
    seen = ScriptedClassifier(frozenset({Label.OTHER}), concern=True, by_expression=by_expression)
    decision = decide(msg(Channel.EMAIL), POLICY, PRESENT, classifier=seen)
    assert decision.risk is RiskLevel.CONCERN
    assert decision.expressed_risk is (RiskLevel.CONCERN if by_expression else RiskLevel.NONE)


def test_an_expression_that_triage_lowers_is_not_reported_above_the_level() -> None:
    """Machine-written mail keeps an expressed level; a level never sits below its words."""
    seen = ScriptedClassifier(frozenset({Label.OTHER}), crisis=True, by_expression=True)
    decision = decide(machine_written(), POLICY, UNKNOWN, classifier=seen)
    assert decision.expressed_risk.rank <= decision.risk.rank


# --- no-social-business ---------------------------------------------------------------


@pytest.mark.parametrize("label", [Label.SCHEDULING, Label.SESSION_CONTENT])
def test_no_social_business_appointment_talk_in_a_dm_gets_a_redirect_to_the_phone(
    label: Label,
) -> None:
    decision = decide(msg(Channel.SOCIAL_DM), POLICY, PRESENT, classifier=sees(label))
    assert Action.REDIRECT_REPLY in decision.actions
    assert ClauseId.NO_SOCIAL_BUSINESS in decision.clauses
    assert Action.DELIVER not in decision.actions
    assert decision.reply is not None
    assert POLICY.practice.phone in decision.reply
    assert decision.reply.endswith(UK_FOOTER)
    assert decision.agenda_note == AGENDA_COMMUNICATION


def test_no_social_business_redirect_never_quotes_the_message() -> None:
    text = "Can we move Thursday? The panic attacks are back and work is awful"
    decision = decide(
        msg(Channel.SOCIAL_DM, text),
        POLICY,
        PRESENT,
        classifier=sees(Label.SCHEDULING, Label.SESSION_CONTENT),
    )
    assert decision.reply is not None
    for fragment in ("Thursday", "panic", "work is awful"):
        assert fragment not in decision.reply


def test_no_social_business_a_stranger_gets_the_redirect_but_no_agenda() -> None:
    decision = decide(msg(Channel.SOCIAL_DM), POLICY, UNKNOWN, classifier=sees(Label.SCHEDULING))
    assert Action.REDIRECT_REPLY in decision.actions
    assert Action.AGENDA_ITEM not in decision.actions


def test_no_social_business_small_talk_in_a_dm_is_delivered_without_a_reply() -> None:
    decision = decide(msg(Channel.SOCIAL_DM), POLICY, UNKNOWN, classifier=sees(Label.OTHER))
    assert decision.actions == (Action.DELIVER,)
    assert decision.reply is None


def test_no_social_business_on_an_unagreed_channel_names_the_agreed_channels() -> None:
    decision = decide(msg(Channel.SMS), POLICY, PRESENT, classifier=sees(Label.SCHEDULING))
    assert decision.actions[:2] == (Action.REDIRECT_REPLY, Action.AGENDA_ITEM)
    assert decision.reply is not None
    assert "phone or email" in decision.reply
    assert decision.agenda_note == AGENDA_COMMUNICATION


def test_no_social_business_the_agreed_channel_is_delivered() -> None:
    decision = decide(msg(Channel.EMAIL), POLICY, PRESENT, classifier=sees(Label.SCHEDULING))
    assert decision.actions == (Action.DELIVER,)
    assert decision.reply is None


def test_no_social_business_the_portal_is_always_acceptable() -> None:
    decision = decide(msg(Channel.PORTAL), POLICY, PRESENT, classifier=sees(Label.SCHEDULING))
    assert Action.REDIRECT_REPLY not in decision.actions


def test_no_social_business_switched_off_delivers_the_dm() -> None:
    policy = policy_with_replies(disabled=[ClauseId.NO_SOCIAL_BUSINESS])
    decision = decide(msg(Channel.SOCIAL_DM), policy, PRESENT, classifier=sees(Label.SCHEDULING))
    assert decision.actions == (Action.DELIVER,)


# --- session-content-email -------------------------------------------------------------


def test_session_content_email_without_agreement_gets_secure_channel_quarantine_and_agenda() -> (
    None
):
    decision = decide(msg(Channel.EMAIL), POLICY, PRESENT, classifier=sees(Label.SESSION_CONTENT))
    assert decision.actions == (
        Action.SECURE_CHANNEL_REPLY,
        Action.QUARANTINE_TO_VAULT,
        Action.AGENDA_ITEM,
    )
    assert decision.clauses == (ClauseId.SESSION_CONTENT_EMAIL,)
    assert decision.agenda_note == AGENDA_COMMUNICATION
    assert decision.reply is not None
    assert POLICY.secure_channel_name in decision.reply
    assert decision.reply.endswith(UK_FOOTER)


def test_session_content_email_with_a_recorded_agreement_is_delivered() -> None:
    agreed = SenderContext(
        status=SenderStatus.PRESENT_CLIENT,
        country="GB",
        agreement=AgreementTerms(
            channels=frozenset({AgreedChannel.EMAIL}), session_content_by_email=True
        ),
    )
    decision = decide(msg(Channel.EMAIL), POLICY, agreed, classifier=sees(Label.SESSION_CONTENT))
    assert decision.actions == (Action.DELIVER,)


def test_session_content_email_from_a_stranger_is_quarantined_too() -> None:
    decision = decide(msg(Channel.EMAIL), POLICY, UNKNOWN, classifier=sees(Label.SESSION_CONTENT))
    assert Action.QUARANTINE_TO_VAULT in decision.actions


def test_session_content_email_by_sms_offers_the_secure_channel_without_quarantine() -> None:
    sms_client = SenderContext(
        status=SenderStatus.PRESENT_CLIENT,
        agreement=AgreementTerms(channels=frozenset({AgreedChannel.SMS})),
    )
    decision = decide(msg(Channel.SMS), POLICY, sms_client, classifier=sees(Label.SESSION_CONTENT))
    assert decision.actions == (Action.SECURE_CHANNEL_REPLY, Action.AGENDA_ITEM, Action.DELIVER)
    assert ClauseId.SESSION_CONTENT_EMAIL in decision.clauses


# --- reviews and public comments -------------------------------------------------------


@pytest.mark.parametrize("channel", [Channel.REVIEW, Channel.SOCIAL_COMMENT])
@pytest.mark.parametrize(
    "label", [Label.OTHER, Label.SCHEDULING, Label.SESSION_CONTENT, Label.POLICY_QUESTION]
)
def test_reviews_public_messages_get_no_response_and_no_reply(
    channel: Channel, label: Label
) -> None:
    decision = decide(msg(channel), POLICY, PRESENT, classifier=sees(label))
    assert decision.actions == (Action.NO_RESPONSE,)
    assert decision.reply is None
    assert decision.agenda_note is None


def test_reviews_a_review_names_the_reviews_clause() -> None:
    decision = decide(msg(Channel.REVIEW), POLICY, UNKNOWN, classifier=sees())
    assert decision.clauses == (ClauseId.REVIEWS,)


# --- no-connections ---------------------------------------------------------------------


@pytest.mark.parametrize("sender", [PRESENT, PAST])
def test_no_connections_a_request_from_a_client_is_declined_without_response(
    sender: SenderContext,
) -> None:
    decision = decide(msg(Channel.CONNECTION_REQUEST, ""), POLICY, sender, classifier=sees())
    assert decision.actions == (Action.DECLINE_CONNECTION,)
    assert decision.clauses == (ClauseId.NO_CONNECTIONS,)
    assert decision.reply is None


def test_no_connections_a_request_from_a_stranger_is_delivered_for_the_therapist() -> None:
    decision = decide(msg(Channel.CONNECTION_REQUEST, ""), POLICY, UNKNOWN, classifier=sees())
    assert decision.actions == (Action.DELIVER,)


# --- amendments (policy questions) -----------------------------------------------------


def test_amendments_a_policy_question_goes_on_the_next_agenda() -> None:
    decision = decide(msg(Channel.EMAIL), POLICY, PRESENT, classifier=sees(Label.POLICY_QUESTION))
    assert decision.actions == (Action.AGENDA_ITEM, Action.DELIVER)
    assert decision.clauses == (ClauseId.AMENDMENTS,)
    assert decision.agenda_note == AGENDA_POLICY_QUESTION
    assert decision.reply is None


def test_amendments_a_policy_question_asked_in_a_dm_is_still_on_the_agenda() -> None:
    decision = decide(
        msg(Channel.SOCIAL_DM), POLICY, PRESENT, classifier=sees(Label.POLICY_QUESTION)
    )
    assert Action.AGENDA_ITEM in decision.actions


# --- everything else ------------------------------------------------------------------


@pytest.mark.parametrize("channel", [c for c in Channel if c not in SOCIAL_CHANNELS])
def test_deliver_ordinary_messages_go_to_the_inbox_without_a_reply(channel: Channel) -> None:
    decision = decide(msg(channel), POLICY, PRESENT, classifier=sees(Label.OTHER))
    assert decision.actions == (Action.DELIVER,)
    assert decision.reply is None
    assert decision.reasons


def test_deliver_every_decision_explains_itself_in_plain_words() -> None:
    for label in Label:
        for channel in Channel:
            decision = decide(msg(channel), POLICY, PRESENT, classifier=sees(label))
            assert decision.reasons, (label, channel)
            assert all(reason.strip() for reason in decision.reasons)


def test_voicemail_business_on_an_unagreed_phone_gets_no_reply_path() -> None:
    sms_only = SenderContext(
        status=SenderStatus.PRESENT_CLIENT,
        agreement=AgreementTerms(channels=frozenset({AgreedChannel.SMS})),
    )
    decision = decide(
        msg(Channel.VOICEMAIL_TRANSCRIPT), POLICY, sms_only, classifier=sees(Label.SCHEDULING)
    )
    assert Action.AGENDA_ITEM in decision.actions
    assert Action.REDIRECT_REPLY not in decision.actions
    assert decision.reply is None
