"""Triage: what happens to one inbound message, and why, clause by clause.

``decide`` is a pure function of the message, the practice's policy and what
the register knows about the sender. It never raises on content, touches no
database and sends nothing: the inbox carries the decision out.

The order of the rules is the order of their importance:

1. **Safety** (above every clause). Every message has a risk level
   (docs/risk-levels.md). An ``urgent`` one raises ``urgent_alert`` and
   ``crisis_resources_reply`` whatever the channel and whoever the sender
   (on a review site, which has no private reply, the alert alone). A
   ``concern`` raises ``review_today``: the top of the inbox and the same-day
   digest, never a page. Later rules may add actions; they can never remove
   these, and an urgent reply leads with crisis resources instead of a
   redirect. Both levels are always delivered to the inbox.
2. **Public channels** (reviews, public comments): nothing is said in public,
   so nothing can confirm that the author is a client (clause ``reviews``).
3. **Connection requests** from present or past clients are declined without
   a response (clause ``no-connections``).
4. **Practice business on a social platform** gets a redirect to the
   appointments phone, without engaging with the content; on a channel the
   client has not agreed to, a redirect that names the agreed channels
   (clause ``no-social-business``).
5. **Session content by unagreed email** (or SMS) gets the secure channel,
   the content leaves the mailbox for the vault, and the arrangement goes on
   the next session's agenda (clause ``session-content-email``).
6. **Questions about the policy** go on the next session's agenda
   (clause ``amendments``).
7. Everything else is delivered to the therapist's inbox.

Every reply ends with the crisis footer for the sender's country, is built
from the policy's templates alone and never quotes the message.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass, field

from boundaries.core.classifier import load_default_classifier
from boundaries.core.classifier.base import Classification, Classifier
from boundaries.core.policy.model import Policy
from boundaries.core.types import (
    PUBLIC_CHANNELS,
    SOCIAL_CHANNELS,
    Action,
    AgreedChannel,
    Channel,
    ClauseId,
    Decision,
    InboundMessage,
    Label,
    RiskLevel,
    SenderContext,
    SenderStatus,
)

__all__ = [
    "AGENDA_COMMUNICATION",
    "AGENDA_POLICY_QUESTION",
    "CLIENT_STATUSES",
    "agreed_channel_for",
    "decide",
    "fill_template",
]

#: Who counts as a client for clauses that protect the therapeutic relationship.
CLIENT_STATUSES = frozenset({SenderStatus.PRESENT_CLIENT, SenderStatus.PAST_CLIENT})

AGENDA_COMMUNICATION = "Discuss communication arrangements"
AGENDA_POLICY_QUESTION = "A question about the communication policy"

#: The agreement channel each inbound channel corresponds to. Social channels have
#: none: they can never be agreed for practice business.
_AGREED: Mapping[Channel, AgreedChannel] = {
    Channel.EMAIL: AgreedChannel.EMAIL,
    Channel.SMS: AgreedChannel.SMS,
    Channel.PORTAL: AgreedChannel.PORTAL,
    Channel.VOICEMAIL_TRANSCRIPT: AgreedChannel.PHONE,
}

#: Channels we cannot answer on: a voicemail has no reply path of its own.
_NO_REPLY_PATH = frozenset({Channel.VOICEMAIL_TRANSCRIPT})

#: Unencrypted channels where session content needs a recorded agreement.
_UNSECURED_FOR_CONTENT = frozenset({Channel.EMAIL, Channel.SMS})

_CHANNEL_WORDS: Mapping[AgreedChannel, str] = {
    AgreedChannel.EMAIL: "email",
    AgreedChannel.SMS: "text message",
    AgreedChannel.PHONE: "phone",
    AgreedChannel.PORTAL: "the secure client portal",
}

_BUSINESS = frozenset({Label.SCHEDULING, Label.SESSION_CONTENT})

#: Actions that settle a message without the therapist reading it as ordinary mail.
#: A crisis is always delivered as well: the therapist must see it.
_HANDLED = frozenset(
    {
        Action.NO_RESPONSE,
        Action.DECLINE_CONNECTION,
        Action.REDIRECT_REPLY,
        Action.QUARANTINE_TO_VAULT,
    }
)


def agreed_channel_for(channel: Channel) -> AgreedChannel | None:
    """The agreement channel an inbound channel belongs to (None for social platforms)."""
    return _AGREED.get(channel)


class _Fields(dict[str, str]):
    """Template fields; a placeholder the loader let through but we do not know stays blank."""

    def __missing__(self, key: str) -> str:
        return ""


_FORMATTER = string.Formatter()


def fill_template(template: str, fields: Mapping[str, str]) -> str:
    """Fill ``{placeholder}`` fields. Only the policy's own text and our fields are used."""
    values = _Fields(fields)
    out: list[str] = []
    for literal, name, _spec, _conv in _FORMATTER.parse(template):
        out.append(literal)
        if name is not None:
            out.append(values[name])
    return "".join(out).strip()


def _join_words(words: list[str]) -> str:
    if not words:
        return ""
    if len(words) == 1:
        return words[0]
    return ", ".join(words[:-1]) + " or " + words[-1]


def _agreed_words(sender: SenderContext) -> str:
    if sender.agreement is None:
        return ""
    order = [AgreedChannel.PHONE, AgreedChannel.SMS, AgreedChannel.EMAIL, AgreedChannel.PORTAL]
    return _join_words([_CHANNEL_WORDS[c] for c in order if c in sender.agreement.channels])


def _fields(policy: Policy, sender: SenderContext) -> dict[str, str]:
    resources = policy.crisis_for(sender.country)
    return {
        "practice": policy.practice.name,
        "therapist": policy.practice.therapist_name,
        "phone": policy.practice.phone,
        "channels": _agreed_words(sender) or "phone",
        "secure_channel": policy.secure_channel_name,
        "crisis_lines": ", ".join(f"{line.name} {line.contact}" for line in resources.lines),
        "emergency": resources.emergency,
    }


@dataclass(slots=True)
class _Builder:
    """What the rules have decided so far: actions, clauses and reasons in order."""

    message: InboundMessage
    policy: Policy
    sender: SenderContext
    labels: frozenset[Label]
    risk: RiskLevel
    actions: list[Action] = field(default_factory=list)
    clauses: list[ClauseId] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    template: str | None = None
    agenda_note: str | None = None

    @property
    def is_client(self) -> bool:
        return self.sender.status in CLIENT_STATUSES

    def add(self, clause: ClauseId, reason: str, *actions: Action) -> None:
        for action in actions:
            if action not in self.actions:
                self.actions.append(action)
        if clause not in self.clauses:
            self.clauses.append(clause)
        self.reasons.append(reason)

    def reply_with(self, template: str) -> None:
        # The first template wins: after a crisis, the reply leads with crisis resources
        # (even if a practice left its crisis text empty: the reply is then the footer).
        if self.template is None:
            self.template = template

    def agenda(self, note: str) -> None:
        self.agenda_note = self.agenda_note or note


#: Where the model alone (no risk expression) must be this sure to raise a level:
#: reviews, public comments and connection requests are almost never a cry for help,
#: and "Five stars, lovely rooms" must not reach the therapist's review list. An
#: expression of risk raises its own level on every channel.
PUBLIC_MODEL_THRESHOLD = 0.5
_RARELY_PERSONAL = PUBLIC_CHANNELS | {Channel.CONNECTION_REQUEST}


def _risk(classification: Classification, message: InboundMessage) -> RiskLevel:
    # Belt and braces: a classifier that labels crisis but forgot the level still alerts.
    level = classification.risk
    if Label.CRISIS in classification.labels:
        level = RiskLevel.URGENT
    if level.rank <= classification.expressed_risk.rank:
        return level
    if message.automated:
        # A bounce, an out-of-office or a newsletter is not a person telling us how they
        # are: the model's reading of its boilerplate raises nothing; an expression of
        # risk in it (a forwarded message, a quoted plea) still raises its own level.
        return classification.expressed_risk
    if (
        message.channel in _RARELY_PERSONAL
        and classification.scores.get(Label.CRISIS, 0.0) < PUBLIC_MODEL_THRESHOLD
    ):
        return classification.expressed_risk
    return level


def _safety(build: _Builder, evidence: tuple[str, ...]) -> None:
    """Above every clause: alert the therapist and reply with crisis resources."""
    channel = build.message.channel
    if build.risk is RiskLevel.CONCERN:
        why = "; ".join(evidence) or "the classifier's risk score"
        build.add(
            ClauseId.SAFETY,
            f"The message shows a sign of risk that is not urgent ({why}): it goes to the top "
            "of the inbox and into today's digest, for the therapist to read today.",
            Action.REVIEW_TODAY,
        )
        return
    if build.risk is not RiskLevel.URGENT:
        return
    why = "; ".join(evidence) or "the classifier's crisis score"
    if channel == Channel.REVIEW:
        build.add(
            ClauseId.SAFETY,
            f"The message may suggest a risk to life ({why}): the therapist is alerted now. "
            "A review site offers no private reply, and nothing is ever said in public.",
            Action.URGENT_ALERT,
        )
        return
    build.add(
        ClauseId.SAFETY,
        f"The message may suggest a risk to life ({why}): the therapist is alerted now and "
        "the reply gives crisis resources. Safety comes before every clause.",
        Action.URGENT_ALERT,
        Action.CRISIS_RESOURCES_REPLY,
    )
    if channel in PUBLIC_CHANNELS and build.sender.status != SenderStatus.PRESENT_CLIENT:
        build.reasons.append(
            "It arrived on a public channel: the crisis resources go privately where the "
            "platform allows it, never as a public answer, and say nothing that would confirm "
            "a relationship or promise contact."
        )
        build.reply_with("")
        return
    if channel in PUBLIC_CHANNELS:
        build.reasons.append(
            "It arrived on a public channel from a present client: the crisis reply goes "
            "privately where the platform allows it, never as a public answer."
        )
    build.reply_with(build.policy.replies.crisis)


def _public(build: _Builder) -> None:
    """Clause reviews (and public comments): say nothing in public."""
    if build.risk is RiskLevel.URGENT:
        return
    channel = build.message.channel
    clause = ClauseId.REVIEWS if channel == Channel.REVIEW else ClauseId.NO_SOCIAL_BUSINESS
    build.add(
        clause,
        "Nothing is said in public: any answer could confirm that the author is a client.",
        Action.NO_RESPONSE,
    )


def _connection(build: _Builder) -> None:
    """Clause no-connections: decline a client's request without a response."""
    if build.is_client and build.policy.enabled(ClauseId.NO_CONNECTIONS):
        who = build.sender.status.value.replace("_", " ")
        build.add(
            ClauseId.NO_CONNECTIONS,
            f"A connection request from a {who}: decline it without a response.",
            Action.DECLINE_CONNECTION,
        )


def _social_business(build: _Builder) -> None:
    """Clause no-social-business on a social platform: redirect to the phone."""
    if not (build.labels & _BUSINESS and build.policy.enabled(ClauseId.NO_SOCIAL_BUSINESS)):
        return
    build.add(
        ClauseId.NO_SOCIAL_BUSINESS,
        "Appointment or session business over a social platform, which is not secure: the "
        "reply points to the appointments phone without engaging with the content.",
        Action.REDIRECT_REPLY,
    )
    build.reply_with(build.policy.replies.redirect_social)
    if build.is_client:
        build.add(ClauseId.NO_SOCIAL_BUSINESS, AGENDA_COMMUNICATION, Action.AGENDA_ITEM)
        build.agenda(AGENDA_COMMUNICATION)


def _agreement(build: _Builder) -> None:
    """Email, SMS, portal, voicemail: the client's agreed channels, then clause 8."""
    channel = build.message.channel
    agreed = agreed_channel_for(channel)
    agreement = build.sender.agreement
    unagreed = (
        build.is_client
        and agreement is not None
        and agreed is not None
        and agreed != AgreedChannel.PORTAL
        and agreed not in agreement.channels
    )
    if unagreed and build.labels & _BUSINESS and build.policy.enabled(ClauseId.NO_SOCIAL_BUSINESS):
        if channel in _NO_REPLY_PATH:
            build.add(
                ClauseId.NO_SOCIAL_BUSINESS,
                f"The client has not agreed to be contacted by {channel.value}: the "
                "arrangement goes on the next session's agenda.",
                Action.AGENDA_ITEM,
            )
        else:
            build.add(
                ClauseId.NO_SOCIAL_BUSINESS,
                f"The client has not agreed to be contacted by {channel.value}: the reply "
                "names the channels they chose.",
                Action.REDIRECT_REPLY,
                Action.AGENDA_ITEM,
            )
            build.reply_with(build.policy.replies.redirect_channel)
        build.agenda(AGENDA_COMMUNICATION)
        return
    content_agreed = (
        build.is_client and agreement is not None and agreement.session_content_by_email
    )
    if (
        channel in _UNSECURED_FOR_CONTENT
        and Label.SESSION_CONTENT in build.labels
        and not content_agreed
        and build.policy.enabled(ClauseId.SESSION_CONTENT_EMAIL)
    ):
        email = channel == Channel.EMAIL
        actions = [Action.SECURE_CHANNEL_REPLY]
        if email:
            actions.append(Action.QUARANTINE_TO_VAULT)
        actions.append(Action.AGENDA_ITEM)
        build.add(
            ClauseId.SESSION_CONTENT_EMAIL,
            f"Session content by {channel.value} without a recorded agreement: the reply "
            "offers the secure channel"
            + (", the content moves to the encrypted vault" if email else "")
            + " and the arrangement goes on the next session's agenda.",
            *actions,
        )
        build.reply_with(build.policy.replies.secure_channel)
        build.agenda(AGENDA_COMMUNICATION)


def _policy_question(build: _Builder) -> None:
    """Clause amendments: questions about the policy go to the next session."""
    channel = build.message.channel
    if Label.POLICY_QUESTION not in build.labels or channel in PUBLIC_CHANNELS:
        return
    if channel == Channel.CONNECTION_REQUEST or not build.policy.enabled(ClauseId.AMENDMENTS):
        return
    build.add(
        ClauseId.AMENDMENTS,
        "A question about the policy: it goes on the next session's agenda.",
        Action.AGENDA_ITEM,
    )
    build.agenda(AGENDA_POLICY_QUESTION)


def decide(
    message: InboundMessage,
    policy: Policy,
    sender: SenderContext,
    *,
    classifier: Classifier | None = None,
) -> Decision:
    """Decide what happens to ``message``. Pure: the same inputs give the same decision."""
    if classifier is None:
        classifier = load_default_classifier()
    classification = classifier.classify(message.text, message.subject)
    risk = _risk(classification, message)
    crisis = risk is RiskLevel.URGENT
    labels = classification.labels if crisis else classification.labels - {Label.CRISIS}
    build = _Builder(message, policy, sender, labels, risk)
    _safety(build, classification.risk_evidence)
    channel = message.channel
    if channel in PUBLIC_CHANNELS:
        _public(build)
    elif channel == Channel.CONNECTION_REQUEST:
        _connection(build)
    elif channel in SOCIAL_CHANNELS:
        _social_business(build)
    else:
        _agreement(build)
    _policy_question(build)
    if risk is not RiskLevel.NONE or not any(action in build.actions for action in _HANDLED):
        build.actions.append(Action.DELIVER)
        if not build.reasons:
            build.reasons.append("No rule applies: the message goes to the inbox.")
    return Decision(
        scores=dict(classification.scores),
        risk=risk,
        actions=tuple(build.actions),
        clauses=tuple(build.clauses),
        reasons=tuple(build.reasons),
        reply=_reply(build.template, policy, sender, channel, crisis),
        agenda_note=build.agenda_note,
        labels=build.labels | ({Label.CRISIS} if crisis else frozenset()),
        expressed_risk=min(classification.expressed_risk, risk, key=lambda level: level.rank),
    )


def _reply(
    template: str | None, policy: Policy, sender: SenderContext, channel: Channel, crisis: bool
) -> str | None:
    """The reply text, always ending with the crisis footer; None where we say nothing."""
    if template is None:
        return None
    if channel in PUBLIC_CHANNELS and not crisis:
        return None
    if channel in _NO_REPLY_PATH and not crisis:
        return None
    body = fill_template(template, _fields(policy, sender))
    footer = policy.crisis_for(sender.country).footer()
    return f"{body}\n\n{footer}" if body else footer
