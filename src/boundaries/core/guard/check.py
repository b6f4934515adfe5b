"""The outbound guard: what a draft would break, clause by clause, before it is sent.

Each rule below names its clause and returns at most one finding, pointing at
the first words that raised it. Rules are precompiled expressions plus the
classifier's labels, so each one can say in plain words why it fired. The
severity is the clause's own (``policy.clause(id).severity``), except for the
few things that always block; a disabled clause produces nothing, and safety
(the crisis footer) always applies.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from boundaries.core.classifier.base import Classification, Classifier
from boundaries.core.guard import patterns
from boundaries.core.guard.model import (
    AGREEABLE_CHANNELS,
    SOCIAL_OUTBOUND,
    Draft,
    DraftPart,
    Finding,
    GuardResult,
    GuardRule,
    OutboundChannel,
    Recipient,
    Span,
)
from boundaries.core.policy.model import Policy, Severity
from boundaries.core.policy.reminders import MIN_NAME_CHARS
from boundaries.core.types import AgreementTerms, ClauseId, Label, ReminderDetail

__all__ = ["ALWAYS_BLOCK", "MAX_CLASSIFIED_CHARS", "check"]

#: The score at which the classifier alone, without an expression, raises a finding.
#: It learnt from clients' messages, not therapists': over the 829 drafts of
#: tests/data/guard_eval.jsonl and guard_drafts.jsonl its session_content score
#: reached 0.8 on 11 drafts that are not session content ("It was a joy working with
#: you") and 0.9 on 3, while the expressions found every session-content draft.
CLASSIFIER_ALONE = 0.9
#: The classifier reads this much of a draft; the expressions read all of it (they are linear).
MAX_CLASSIFIED_CHARS = 4000

#: Findings that block whatever severity the practice chose: each is irreversible once
#: sent (a public reply, an image's coordinates, a request a client cannot unread), is
#: something the policy says the therapist never does (ask for a review, a like, a
#: follow or a testimonial), or is the safety override itself.
ALWAYS_BLOCK = frozenset(
    {
        GuardRule.REVIEW_REPLY_CHANNEL,
        GuardRule.REVIEW_REPLY_TEXT,
        GuardRule.ENDORSEMENT_REQUEST,
        GuardRule.IMAGE_GPS,
        GuardRule.CRISIS_FOOTER_MISSING,
    }
)

#: Clauses that step aside (warn, never block) when the draft gives crisis resources:
#: safety overrides every clause, so a crisis reply is never stopped for its channel.
_YIELD_TO_SAFETY = frozenset({ClauseId.SESSION_CONTENT_EMAIL, ClauseId.NO_SOCIAL_BUSINESS})

_CHANNEL_NAMES = {
    OutboundChannel.EMAIL: "email",
    OutboundChannel.SMS: "text message",
    OutboundChannel.PORTAL: "the portal",
    OutboundChannel.SOCIAL_DM: "a social media direct message",
    OutboundChannel.SOCIAL_POST: "a social media post",
    OutboundChannel.REVIEW_REPLY: "a reply on a review site",
    OutboundChannel.COMMENT_REPLY: "a public reply to a comment",
}
_WHITESPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class _Hit:
    """A rule's verdict before the policy gives it a severity."""

    rule: GuardRule
    explanation: str
    span: Span | None = None
    attachment: int | None = None


@dataclass(frozen=True, slots=True)
class _Context:
    draft: Draft
    channel: OutboundChannel
    recipient: Recipient
    policy: Policy
    agreement: AgreementTerms | None
    parts: tuple[tuple[DraftPart, str], ...]  # subject and text, typography plain, footers masked
    classification: Classification | None

    def search(
        self, pattern: re.Pattern[str], unless: tuple[re.Pattern[str], ...] = ()
    ) -> Span | None:
        """The first match in the subject, then in the text.

        A match is passed over when one of ``unless`` matches the few words just before
        it (``patterns.NEGATED_BEFORE``: "I won't follow you" admits nothing).
        """
        for part, value in self.parts:
            for match in pattern.finditer(value):
                start = match.start()
                window = max(0, start - patterns.LOOK_BEHIND)
                if not any(before.search(value, window, start) for before in unless):
                    return Span(part, start, match.end())
        return None

    @property
    def public(self) -> bool:
        """A post: "you" there is every reader, never one client."""
        return self.channel is OutboundChannel.SOCIAL_POST

    def confident(self, label: Label) -> bool:
        """The classifier is sure of ``label`` by itself (it was trained on clients' words,
        not therapists', so alone it must be surer than for inbound triage)."""
        return (
            self.classification is not None
            and self.classification.scores.get(label, 0.0) >= CLASSIFIER_ALONE
        )

    @property
    def secure(self) -> str:
        return self.policy.secure_channel_name


_Rule = Callable[[_Context], Iterator[_Hit]]
#: What a denial looks like just before a match ("I never", "we don't").
_DENIED = (patterns.NEGATED_BEFORE,)
#: ... and for a search or a look, also the client as the one who did it ("have you googled").
_NOT_THE_THERAPIST = (patterns.NEGATED_BEFORE, patterns.CLIENT_DID_BEFORE)


# --------------------------------------------------------------------------- reviews
def _review_reply(ctx: _Context) -> Iterator[_Hit]:
    """Clause reviews: never answer a review, however kind; answering confirms a client."""
    if ctx.channel is OutboundChannel.REVIEW_REPLY:
        yield _Hit(
            GuardRule.REVIEW_REPLY_CHANNEL,
            "This is a reply to a review. The practice never answers reviews, kind or unkind: "
            "any answer can confirm to everyone reading that the reviewer is or was a client. "
            "Let the review stand; a reviewer with a concern can contact the practice directly "
            f"or the {ctx.policy.practice.professional_body.short_name}.",
        )
        return
    span = ctx.search(patterns.REVIEW_REPLY)
    if span is not None:
        yield _Hit(
            GuardRule.REVIEW_REPLY_TEXT,
            "These words answer a review someone left. The practice never responds to reviews, "
            "publicly or privately: doing so confirms that the reviewer is or was a client.",
            span,
        )


# ------------------------------------------------------------------- no-endorsements
def _endorsement_request(ctx: _Context) -> Iterator[_Hit]:
    """Clause no-endorsements: never ask for likes, follows, shares, reviews or testimonials."""
    span = ctx.search(
        patterns.ENDORSEMENT_REQUEST,
        unless=(patterns.NEGATED_BEFORE, patterns.THANKED_BEFORE, patterns.DONE_BEFORE),
    )
    if span is not None:
        yield _Hit(
            GuardRule.ENDORSEMENT_REQUEST,
            "This asks the reader to like, follow, share, rate, review, recommend or endorse the "
            "practice, or to give a testimonial. The policy says the therapist never asks for "
            "that: a client should not feel their care depends on it, and a public endorsement "
            "reveals that they are in therapy. Anyone can follow the practice's posts through "
            "its feed without becoming a fan. Take the request out.",
            span,
        )


# -------------------------------------------------------------------- no-connections
def _connection_offer(ctx: _Context) -> Iterator[_Hit]:
    """Clause no-connections: no friend, follow or connection with a present or past client."""
    span = ctx.search(patterns.CONNECTION_OFFER, unless=_DENIED)
    if span is not None:
        yield _Hit(
            GuardRule.CONNECTION_OFFER,
            "This offers or accepts a connection on a social platform. The practice accepts no "
            "friend, follow or connection requests from present or past clients, to protect "
            "confidentiality and the therapeutic relationship.",
            span,
        )


# ------------------------------------------------------------------------ no-searching
def _searching(ctx: _Context) -> Iterator[_Hit]:
    """Clause no-searching: the therapist does not search for clients online."""
    pattern = patterns.SEARCHED_CLIENTS if ctx.public else patterns.SEARCHED
    span = ctx.search(pattern, unless=_NOT_THE_THERAPIST)
    if span is not None:
        yield _Hit(
            GuardRule.SEARCHED_CLIENT,
            "This says the therapist looked a client up online. The policy says the therapist "
            "does not search for clients: what a client wants the therapist to know, they bring "
            "to a session. The one exception is a welfare check in a crisis, recorded as one "
            "and talked over at the next session, not mentioned in passing in a message.",
            span,
        )


# ------------------------------------------------------------------------ no-following
def _following(ctx: _Context) -> Iterator[_Hit]:
    """Clause no-following: the therapist does not view or follow clients' content."""
    pattern = patterns.FOLLOWED_CLIENTS if ctx.public else patterns.FOLLOWED
    span = ctx.search(pattern, unless=_NOT_THE_THERAPIST)
    if span is not None:
        yield _Hit(
            GuardRule.FOLLOWED_CLIENT,
            "This says the therapist saw, read or follows a client's own online content (posts, "
            "photos, videos, a blog). The policy says the therapist does not view or follow "
            "clients' content outside therapy: it would blur what is part of the treatment. A "
            "client who wants to talk about something online brings it to a session.",
            span,
        )


# --------------------------------------------------------------- no-social-business
def _social_business(ctx: _Context) -> Iterator[_Hit]:
    """Clause no-social-business: no appointments on social media; honour the client's channels."""
    channel_name = _CHANNEL_NAMES[ctx.channel]
    if ctx.channel in SOCIAL_OUTBOUND:
        if ctx.channel is not OutboundChannel.SOCIAL_POST and ctx.recipient.status.is_client:
            yield _Hit(
                GuardRule.SOCIAL_CHANNEL_CLIENT,
                f"This goes to a client by {channel_name}. Social platforms are not secure and "
                "are never a channel for practice business; no client agreement can include "
                "them. Use a channel the client agreed to.",
            )
        span = ctx.search(patterns.APPOINTMENT)
        # Alone, the classifier must be sure: "At the clinic all day today" reads a little
        # like scheduling to a model trained on clients' messages, and it is not.
        if span is not None or ctx.confident(Label.SCHEDULING):
            yield _Hit(
                GuardRule.SOCIAL_APPOINTMENT,
                f"This deals with appointments by {channel_name}. Appointments are never "
                "arranged over social media: it is not secure. Times are changed by telephone "
                f"({ctx.policy.practice.phone}).",
                span,
            )
        return
    agreement = ctx.agreement
    if agreement is None:
        return
    agreed = AGREEABLE_CHANNELS[ctx.channel]
    if agreed not in agreement.channels:
        allowed = ", ".join(sorted(agreement.channels)) or "none recorded"
        yield _Hit(
            GuardRule.CHANNEL_NOT_AGREED,
            f"This client has not agreed to be contacted by {channel_name} (their agreement "
            f"allows: {allowed}). Use one of those channels, and put communication "
            "arrangements on the agenda of the next session if they need to change.",
        )
    discreet = agreement.reminder_detail is not ReminderDetail.FULL
    if discreet and (ctx.channel is OutboundChannel.SMS or ctx.draft.is_reminder):
        span = ctx.search(patterns.LOCK_SCREEN_WORDS)
        if span is None and ctx.draft.is_reminder:
            span = _names_given_away(ctx)
        if span is not None:
            yield _Hit(
                GuardRule.DISCREET_LOCK_SCREEN,
                "This client asked for discreet messages: a text message (or a reminder's "
                "subject) shows on a lock screen, and words such as therapy, counselling or "
                "session tell anyone who glances at it that they are in therapy. Say "
                "'appointment' and leave out the practice's name if it gives it away.",
                span,
            )


def _names_given_away(ctx: _Context) -> Span | None:
    """A discreet reminder names neither the practice nor the therapist (they can say what
    kind of appointment it is: "Riverside Therapy")."""
    practice = ctx.policy.practice
    for name in (practice.name, practice.therapist_name):
        pattern = _name_pattern(name)
        span = ctx.search(pattern) if pattern is not None else None
        if span is not None:
            return span
    return None


@functools.lru_cache(maxsize=64)
def _name_pattern(name: str) -> re.Pattern[str] | None:
    """The name as whole words, any case and spacing; None for one too short to tell."""
    words = name.split()
    if len(" ".join(words)) < MIN_NAME_CHARS:
        return None
    joined = r"\s+".join(re.escape(word) for word in words)
    return re.compile(rf"(?<!\w){joined}(?!\w)", re.IGNORECASE)


# -------------------------------------------------------------------------- location
def _location(ctx: _Context) -> Iterator[_Hit]:
    """Clause location: no check-ins, addresses or coordinates placing anyone at the practice."""
    found = [ctx.search(patterns.CHECK_IN), ctx.search(patterns.STREET_ADDRESS)]
    if ctx.channel in SOCIAL_OUTBOUND:
        found.append(ctx.search(patterns.WHEREABOUTS))
    spans = [span for span in found if span is not None]
    if spans:
        first = min(spans, key=lambda s: (s.part is DraftPart.TEXT, s.start))
        yield _Hit(
            GuardRule.LOCATION_DETAIL,
            "This gives a location: a check-in, where the therapist is right now, or the "
            "practice's street address or postcode. Seen by others, it can reveal that the "
            "people who come there are in therapy. Leave it out unless the reader needs it and "
            "the channel is private.",
            first,
        )
    for index, image in enumerate(ctx.draft.attachments):
        if image.has_gps:
            yield _Hit(
                GuardRule.IMAGE_GPS,
                f"Attachment {index + 1} is an image that carries GPS coordinates in its "
                "metadata: anyone who receives it can see where it was taken. Remove the "
                "location data before sending.",
                attachment=index,
            )


# ------------------------------------------------------------- session-content-email
def _session_content(ctx: _Context) -> Iterator[_Hit]:
    """Clause session-content-email: session content only on channels the client agreed to."""
    channel = ctx.channel
    if channel is OutboundChannel.PORTAL:
        return
    if (
        channel is OutboundChannel.EMAIL
        and ctx.agreement is not None
        and ctx.agreement.session_content_by_email
    ):
        return
    if ctx.public:
        # In a post "your sleep" and "grounding techniques" are for every reader:
        # psychoeducation. Only a client's story is session content there.
        span = ctx.search(patterns.CLIENT_STORY)
    else:
        span = ctx.search(patterns.SESSION_CONTENT)
        if span is None:
            # Written to one person, a clinical word is about them.
            span = ctx.search(patterns.CLINICAL_TERM)
    if span is None and (ctx.public or not ctx.confident(Label.SESSION_CONTENT)):
        # The classifier cannot tell a post's general words from a client's own: in a post
        # only the expressions for a client's story count.
        return
    evidence = (
        "The highlighted words read as session content"
        if span is not None
        else "The message classifier reads this as session content"
    )
    if channel is OutboundChannel.EMAIL:
        why = (
            "and this client has not agreed in advance to receive session content by email. "
            f"Send it through {ctx.secure}, or record an agreement first."
        )
    elif channel is OutboundChannel.SMS:
        why = (
            "and session content never goes by text message: it shows on lock screens and "
            f"stays on the phone. Send it through {ctx.secure}."
        )
    else:
        why = (
            "and session content never goes over a social platform: it is not secure and the "
            f"platform keeps a copy. Use {ctx.secure}."
        )
    yield _Hit(GuardRule.SESSION_CONTENT_UNAGREED, f"{evidence}, {why}", span)


# ---------------------------------------------------------------------------- safety
def _crisis_footer(ctx: _Context) -> Iterator[_Hit]:
    """Safety (above every clause): every automated reply carries the crisis footer."""
    if (
        not ctx.draft.is_automated
        or ctx.draft.is_reminder
        or ctx.channel is OutboundChannel.SOCIAL_POST
    ):
        return  # a reminder answers nothing: a footer on its lock screen would say too much
    resources = ctx.policy.crisis_for(ctx.recipient.country)
    if _plain(resources.footer()) not in _plain(ctx.draft.text):
        yield _Hit(
            GuardRule.CRISIS_FOOTER_MISSING,
            "This automated reply lacks the crisis footer for the recipient's country "
            f"({resources.country}: emergency {resources.emergency}). Safety overrides every "
            "clause: an automated reply never goes out without it.",
        )


_RULES: tuple[tuple[ClauseId, _Rule], ...] = (
    (ClauseId.SAFETY, _crisis_footer),
    (ClauseId.REVIEWS, _review_reply),
    (ClauseId.SESSION_CONTENT_EMAIL, _session_content),
    (ClauseId.NO_SOCIAL_BUSINESS, _social_business),
    (ClauseId.NO_ENDORSEMENTS, _endorsement_request),
    (ClauseId.NO_CONNECTIONS, _connection_offer),
    (ClauseId.NO_SEARCHING, _searching),
    (ClauseId.NO_FOLLOWING, _following),
    (ClauseId.LOCATION, _location),
)


def check(
    draft: Draft,
    channel: OutboundChannel,
    recipient: Recipient,
    policy: Policy,
    agreement: AgreementTerms | None,
    *,
    classifier: Classifier | None = None,
) -> GuardResult:
    """Everything ``draft`` would break if sent on ``channel`` to ``recipient``.

    ``agreement`` is the recipient's communication agreement, or None when none is
    recorded (the guard then cannot say a channel was refused). Without a
    ``classifier`` only the expressions run.
    """
    text = _mask_footers(draft.text.translate(patterns.TYPOGRAPHIC), policy)
    subject = draft.subject.translate(patterns.TYPOGRAPHIC)
    classification = None
    if classifier is not None:
        classification = classifier.classify(text[:MAX_CLASSIFIED_CHARS], subject)
    ctx = _Context(
        draft=draft,
        channel=channel,
        recipient=recipient,
        policy=policy,
        agreement=agreement,
        parts=((DraftPart.SUBJECT, subject), (DraftPart.TEXT, text)),
        classification=classification,
    )
    gives_crisis_help = _gives_crisis_resources(text, policy, recipient)
    findings: list[Finding] = []
    for clause_id, rule in _RULES:
        if clause_id is not ClauseId.SAFETY and not policy.enabled(clause_id):
            continue
        for hit in rule(ctx):
            severity, explanation = _severity(clause_id, hit, policy, gives_crisis_help)
            findings.append(
                Finding(
                    clause=clause_id,
                    rule=hit.rule,
                    severity=severity,
                    explanation=explanation,
                    span=hit.span,
                    attachment=hit.attachment,
                )
            )
    return GuardResult(tuple(findings))


def _severity(
    clause_id: ClauseId, hit: _Hit, policy: Policy, gives_crisis_help: bool
) -> tuple[Severity, str]:
    if hit.rule in ALWAYS_BLOCK:
        return Severity.BLOCK, hit.explanation
    severity = policy.clause(clause_id).severity
    if gives_crisis_help and clause_id in _YIELD_TO_SAFETY:
        return Severity.WARN, (
            hit.explanation + " It is not blocked because it gives crisis resources: "
            "safety comes before the channel. Note why it had to go this way."
        )
    return severity, hit.explanation


def _plain(value: str) -> str:
    """Case, quotes and line wrapping do not matter when looking for the footer."""
    return _WHITESPACE.sub(" ", value.translate(patterns.TYPOGRAPHIC)).strip().casefold()


def _mask_footers(text: str, policy: Policy) -> str:
    """Blank out the policy's own crisis footers, so their words raise no other finding."""
    for resources in policy.crisis.values():
        text = _footer_pattern(resources.footer()).sub(lambda m: " " * len(m.group()), text)
    return text


@functools.lru_cache(maxsize=64)
def _footer_pattern(footer: str) -> re.Pattern[str]:
    """The footer in any case and with any line wrapping (a policy has a handful of them)."""
    words = _plain(footer).split(" ")
    return re.compile(r"\s+".join(re.escape(word) for word in words), re.IGNORECASE)


def _gives_crisis_resources(text: str, policy: Policy, recipient: Recipient) -> bool:
    """Whether the draft names the recipient's emergency number or a crisis line's contact."""
    resources = policy.crisis_for(recipient.country)
    contacts = (resources.emergency, *(line.contact for line in resources.lines))
    return any(re.search(rf"(?<!\d){re.escape(c)}(?!\d)", text) for c in contacts if c)
