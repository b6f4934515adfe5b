"""Properties of ``decide`` over random messages, channels, senders, policies and verdicts.

Whatever the classifier says and however the practice configured its clauses:
an urgent message is never left without the alert and (except on a review site,
which has no private reply) the resources, a concern is never paged and always
reaches today's review list, no reply goes out without the crisis footer,
nothing is said in public, and no reply quotes the message.
"""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from boundaries.core.triage import decide
from boundaries.core.types import (
    PUBLIC_CHANNELS,
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
from tests.core.triage_support import ScriptedClassifier, policy_with_replies

REPLY_ACTIONS = {Action.CRISIS_RESOURCES_REPLY, Action.REDIRECT_REPLY, Action.SECURE_CHANNEL_REPLY}
SWITCHABLE = [clause for clause in ClauseId if clause != ClauseId.SAFETY]

# A marker no template contains: if it shows up in a reply, the reply quoted the message.
MARKER = "QX7ZMARKER"

messages = st.builds(
    InboundMessage,
    channel=st.sampled_from(list(Channel)),
    sender=st.text(max_size=40),
    text=st.text(max_size=300).map(lambda text: f"{text} {MARKER} {text}"),
    received_at=st.just(datetime(2026, 11, 30, tzinfo=UTC)),
    subject=st.text(max_size=60),
)
agreements = st.none() | st.builds(
    AgreementTerms,
    channels=st.frozensets(st.sampled_from(list(AgreedChannel))),
    session_content_by_email=st.booleans(),
)
senders = st.builds(
    SenderContext,
    status=st.sampled_from(list(SenderStatus)),
    country=st.sampled_from([None, "GB", "US", "FR", "gb", "ZZ"]),
    agreement=agreements,
)
verdicts = st.builds(
    ScriptedClassifier,
    labels=st.frozensets(st.sampled_from(list(Label)), min_size=1),
    crisis=st.booleans(),
    crisis_score=st.floats(0.0, 1.0),
    by_expression=st.booleans(),
    concern=st.booleans(),
)
policies = st.builds(
    policy_with_replies,
    st.sampled_from(["GB", "US"]),
    disabled=st.lists(st.sampled_from(SWITCHABLE), unique=True),
)


@settings(max_examples=600, deadline=None)
@given(messages, policies, senders, verdicts)
def test_a_crisis_always_keeps_the_alert_the_resources_and_the_inbox(
    message: InboundMessage, policy, sender: SenderContext, verdict: ScriptedClassifier
) -> None:
    decision = decide(message, policy, sender, classifier=verdict)
    raised = verdict.crisis or Label.CRISIS in verdict.labels
    rarely_personal = message.channel in PUBLIC_CHANNELS | {Channel.CONNECTION_REQUEST}
    seen = verdict.classify("")
    score = seen.scores[Label.CRISIS]
    expressed = seen.expressed_risk is RiskLevel.URGENT
    if raised and (not rarely_personal or expressed or score >= 0.5):
        assert decision.crisis
        assert decision.actions[0] == Action.URGENT_ALERT
        assert Action.DELIVER in decision.actions
        assert Action.NO_RESPONSE not in decision.actions
        if message.channel == Channel.REVIEW:
            assert decision.reply is None  # a review site has no private reply
        else:
            assert Action.CRISIS_RESOURCES_REPLY in decision.actions
            assert decision.reply is not None
            assert policy.crisis_for(sender.country).emergency in decision.reply
    if raised and rarely_personal and not verdict.by_expression and score < 0.5:
        # A weak model-only score raises nothing for a review, a public comment or a request.
        assert decision.risk is RiskLevel.NONE


@settings(max_examples=600, deadline=None)
@given(messages, policies, senders, verdicts)
def test_a_concern_is_reviewed_today_delivered_and_never_paged(
    message: InboundMessage, policy, sender: SenderContext, verdict: ScriptedClassifier
) -> None:
    decision = decide(message, policy, sender, classifier=verdict)
    if decision.risk is RiskLevel.CONCERN:
        assert Action.REVIEW_TODAY in decision.actions
        assert Action.DELIVER in decision.actions
        assert Action.URGENT_ALERT not in decision.actions
        assert Action.CRISIS_RESOURCES_REPLY not in decision.actions
    else:
        assert Action.REVIEW_TODAY not in decision.actions
    assert decision.crisis == (decision.risk is RiskLevel.URGENT)
    assert decision.crisis == (Action.URGENT_ALERT in decision.actions)


@settings(max_examples=600, deadline=None)
@given(messages, policies, senders, verdicts)
def test_every_reply_ends_with_the_crisis_footer_and_never_quotes_the_message(
    message: InboundMessage, policy, sender: SenderContext, verdict: ScriptedClassifier
) -> None:
    decision = decide(message, policy, sender, classifier=verdict)
    if decision.reply is not None:
        assert decision.reply.endswith(policy.crisis_for(sender.country).footer())
        assert MARKER not in decision.reply


@settings(max_examples=600, deadline=None)
@given(messages, policies, senders, verdicts)
def test_a_reply_exists_exactly_when_a_reply_action_asks_for_one(
    message: InboundMessage, policy, sender: SenderContext, verdict: ScriptedClassifier
) -> None:
    decision = decide(message, policy, sender, classifier=verdict)
    assert (decision.reply is not None) == bool(REPLY_ACTIONS & set(decision.actions))


@settings(max_examples=600, deadline=None)
@given(messages, policies, senders, verdicts)
def test_nothing_is_said_in_public_unless_a_life_may_be_at_risk(
    message: InboundMessage, policy, sender: SenderContext, verdict: ScriptedClassifier
) -> None:
    decision = decide(message, policy, sender, classifier=verdict)
    if message.channel == Channel.REVIEW:
        assert decision.reply is None  # not even in a crisis: reviews have no private reply
    if message.channel in PUBLIC_CHANNELS and not decision.crisis:
        assert decision.reply is None
        assert Action.NO_RESPONSE in decision.actions
        assert set(decision.actions) <= {Action.NO_RESPONSE, Action.REVIEW_TODAY, Action.DELIVER}
    if (
        message.channel in PUBLIC_CHANNELS
        and decision.reply is not None
        and sender.status != SenderStatus.PRESENT_CLIENT
    ):
        # A private message with the crisis resources alone: no promise, no relationship.
        assert decision.reply == policy.crisis_for(sender.country).footer()


@settings(max_examples=600, deadline=None)
@given(messages, policies, senders, verdicts)
def test_decisions_are_well_formed(
    message: InboundMessage, policy, sender: SenderContext, verdict: ScriptedClassifier
) -> None:
    decision = decide(message, policy, sender, classifier=verdict)
    assert decision.actions
    assert len(set(decision.actions)) == len(decision.actions)
    assert len(set(decision.clauses)) == len(decision.clauses)
    assert decision.reasons
    if decision.actions != (Action.DELIVER,):
        assert decision.clauses
    if Action.AGENDA_ITEM in decision.actions:
        assert decision.agenda_note
    for clause in decision.clauses:
        assert (
            clause == ClauseId.SAFETY
            or policy.enabled(clause)
            or clause == ClauseId.REVIEWS
            or (clause == ClauseId.NO_SOCIAL_BUSINESS and message.channel in PUBLIC_CHANNELS)
        )
    assert decide(message, policy, sender, classifier=verdict) == decision
