"""Reminders in the core: the [reminders] table, the words at each level, when one is due,
what an answer means, and how the guard reads a reminder draft."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from boundaries.core.guard import Draft, OutboundChannel, Recipient, RecipientStatus, check
from boundaries.core.guard.model import GuardRule
from boundaries.core.policy.errors import PolicyError
from boundaries.core.policy.loader import load_policy
from boundaries.core.policy.reminders import (
    DEFAULT_REMINDERS,
    FORBIDDEN_TITLES,
    FORBIDDEN_WORDS,
    forbidden_in,
    render_reminder,
)
from boundaries.core.policy.templates import demo_policy, demo_source
from boundaries.core.policy.versions import content_hash, policy_from_dict, policy_to_dict
from boundaries.core.reminders import (
    QuietHours,
    ReminderAnswer,
    answer_of,
    due_at,
    parse_offset,
)
from boundaries.core.types import AgreedChannel, AgreementTerms, ReminderDetail

START = dt.datetime(2027, 1, 12, 14, 0, tzinfo=dt.UTC)
QUIET = QuietHours(dt.time(21, 0), dt.time(8, 0))
GIVEAWAYS = [
    "Therapy", "Counselling", "Psychotherapy", "Psychology", "Counseling", "Clinic",
    "Wellbeing Centre", "Mental Health", "Dr", "Psychiatry",
]  # fmt: skip


# ------------------------------------------------------------------ rendering


@settings(max_examples=200, deadline=None)
@given(
    first=st.text(min_size=1, max_size=30),
    giveaway=st.sampled_from(GIVEAWAYS),
    title=st.sampled_from(["Dr", "Psychotherapist", "Counsellor", "MBACP", "LCSW", ""]),
    level=st.sampled_from([ReminderDetail.DISCREET, ReminderDetail.MINIMAL]),
    minutes=st.integers(min_value=0, max_value=60 * 24 * 400),
    country=st.sampled_from(["GB", "US", "IE"]),
)
def test_discreet_and_minimal_reminders_never_say_what_or_who_whatever_the_names(
    *,
    first: str,
    giveaway: str,
    title: str,
    level: ReminderDetail,
    minutes: int,
    country: str,
) -> None:
    practice_name = f"{first} {giveaway}"
    therapist = f"{title} {first} Smith".strip()
    rendered = render_reminder(
        DEFAULT_REMINDERS,
        level,
        starts_at=START + dt.timedelta(minutes=minutes),
        timezone="Europe/London" if country != "US" else "America/New_York",
        country=country,
        practice_name=practice_name,
        therapist_name=therapist,
        phone="020 7946 0123",
        answer="Reply C to confirm or X to cancel.",
    )
    for shown in (rendered.subject, rendered.text, rendered.sender_name):
        assert forbidden_in(shown) is None
        assert practice_name not in shown
        assert therapist not in shown
        assert "999" not in shown and "Samaritans" not in shown  # no crisis footer


def test_a_minimal_reminder_gives_the_date_and_time_only() -> None:
    rendered = render_reminder(
        DEFAULT_REMINDERS, ReminderDetail.MINIMAL, starts_at=START, timezone="Europe/London",
        country="GB", practice_name="Riverside Therapy", therapist_name="Sam Rivera",
        phone="020 7946 0123",
    )  # fmt: skip
    assert rendered.text == "Tue 12 Jan, 14:00"
    assert rendered.subject == "Tue 12 Jan, 14:00"


def test_a_full_reminder_names_the_practice_and_the_therapist_and_a_us_clock_reads_12_hours() -> (
    None
):
    policy = demo_policy("US")
    rendered = render_reminder(
        policy.reminder_templates, ReminderDetail.FULL, starts_at=START,
        timezone="America/New_York", country="US", practice_name=policy.practice.name,
        therapist_name=policy.practice.therapist_name, phone="(212) 555-0100",
    )  # fmt: skip
    assert policy.practice.name in rendered.text
    assert policy.practice.therapist_name in rendered.subject
    assert "Tue Jan 12, 9:00 AM" in rendered.text
    assert rendered.sender_name == policy.practice.name


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Your therapist will see you", "therapist"),
        ("COUNSELLING at 2pm", "COUNSELLING"),
        ("Dr. Smith at 2", "Dr"),
        ("Drop in at 2", None),
        ("Your appointment on Tue 12 Jan, 14:00", None),
        ("see you at the session", "session"),
    ],
)
def test_it_finds_the_words_that_give_an_appointment_away(text: str, found: str | None) -> None:
    assert forbidden_in(text) == found


# ------------------------------------------------------------------ the [reminders] table


def _with_reminders(table: str) -> str:
    return demo_source("GB").split("\n[reminders]")[0] + "\n" + table


VALID_TABLE = """
[reminders]
sender_name = "Bookings"

[reminders.full]
subject = "{therapist}: {when}"
text = "See you at {practice} on {when}. Call {phone} to change it."

[reminders.discreet]
subject = "Booked: {when}"
text = "{sender}: you are booked for {when}. Call {phone} to change it."

[reminders.minimal]
subject = "{when}"
text = "{when}"
"""


def test_it_reads_the_reminders_table_and_keeps_it_through_a_published_version() -> None:
    policy = load_policy(_with_reminders(VALID_TABLE))
    assert policy.reminder_templates.sender_name == "Bookings"
    assert policy.reminder_templates.discreet.text.startswith("{sender}: you are booked")
    again = policy_from_dict(policy_to_dict(policy))
    assert again.reminders == policy.reminders
    assert content_hash(again) == content_hash(policy)


def test_a_policy_without_the_table_uses_our_wording_and_keeps_its_old_content_hash() -> None:
    policy = load_policy(_with_reminders(""))
    assert policy.reminders is None
    assert policy.reminder_templates == DEFAULT_REMINDERS
    assert "reminders" not in policy_to_dict(policy)
    assert content_hash(policy) == content_hash(dataclasses.replace(policy, reminders=None))


@pytest.mark.parametrize(
    ("change", "key", "says"),
    [
        (("you are booked", "your therapy is booked"), "reminders.discreet.text", "therapy"),
        (('"Booked: {when}"', '"Session: {when}"'), "reminders.discreet.subject", "Session"),
        (('sender_name = "Bookings"', 'sender_name = "Sam Rivera"'), "reminders.sender_name",
         "Sam Rivera"),
        (('"{when}"\ntext = "{when}"', '"{when}"\ntext = "{when} at {practice}"'),
         "reminders.minimal.text", "unknown placeholder"),
        (("{sender}: you", "{therapist}: you"), "reminders.discreet.text", "unknown placeholder"),
        (("\n[reminders.minimal]", "\n[reminders.other]"), "reminders", "unknown key"),
    ],
)  # fmt: skip
def test_it_refuses_reminder_wording_that_gives_the_appointment_away(
    change: tuple[str, str], key: str, says: str
) -> None:
    source = _with_reminders(VALID_TABLE.replace(*change))
    with pytest.raises(PolicyError) as raised:
        load_policy(source)
    assert key in str(raised.value)
    assert says in str(raised.value)


def test_the_shipped_templates_pass_their_own_checks() -> None:
    for country in ("GB", "US"):
        policy = demo_policy(country)
        assert policy.reminders is not None
        for level in (policy.reminders.discreet, policy.reminders.minimal):
            assert forbidden_in(level.subject + level.text, policy.practice.name) is None
    assert "therap" in FORBIDDEN_WORDS and "dr" in FORBIDDEN_TITLES


# ------------------------------------------------------------------ when


@pytest.mark.parametrize(
    ("starts", "offset", "due"),
    [
        ("2027-01-12T14:00", 120, "2027-01-12T12:00"),  # outside quiet hours
        ("2027-01-12T09:00", 120, "2027-01-12T08:00"),  # 07:00 is quiet: at their end
        ("2027-01-12T07:30", 120, None),  # their end is after the start: not at all
        ("2027-01-12T09:30", 60 * 60, "2027-01-10T08:00"),  # 21:30 two nights before: next 08:00
    ],
)
def test_quiet_hours_move_a_reminder_to_their_end_or_drop_it(
    starts: str, offset: int, due: str | None
) -> None:
    start = dt.datetime.fromisoformat(starts).replace(tzinfo=dt.UTC)
    expected = dt.datetime.fromisoformat(due).replace(tzinfo=dt.UTC) if due else None
    assert due_at(start, offset, QUIET, "Europe/London") == expected


def test_quiet_hours_inside_one_day_and_none_at_all() -> None:
    lunch = QuietHours(dt.time(12, 0), dt.time(14, 0))
    assert due_at(START, 60, lunch, "Europe/London") is None  # 14:00 is the start itself
    assert due_at(START + dt.timedelta(hours=1), 120, lunch, "Europe/London") == START
    none = QuietHours(dt.time(0, 0), dt.time(0, 0))
    assert due_at(START, 600, none, "Europe/London") == START - dt.timedelta(hours=10)


def test_quiet_hours_are_the_practices_local_time() -> None:
    # 02:00 in New York is 07:00 UTC: quiet there, so it waits until 08:00 New York time.
    start = dt.datetime(2027, 1, 12, 9, 0, tzinfo=dt.UTC)  # 04:00 in New York
    assert due_at(start, 120, QUIET, "America/New_York") is None
    later = dt.datetime(2027, 1, 12, 15, 0, tzinfo=dt.UTC)  # 10:00 in New York
    assert due_at(later, 180, QUIET, "America/New_York") == dt.datetime(
        2027, 1, 12, 13, 0, tzinfo=dt.UTC
    )


# ------------------------------------------------------------------ answers


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("C", ReminderAnswer.CONFIRM),
        (" c. ", ReminderAnswer.CONFIRM),
        ("Confirm", ReminderAnswer.CONFIRM),
        ("confirmed!", ReminderAnswer.CONFIRM),
        ("X", ReminderAnswer.CANCEL),
        ("x", ReminderAnswer.CANCEL),
        ("Cancel my appointment", ReminderAnswer.CANCEL),
        ("cancel", None),  # a carrier keyword (STOP): Twilio and carriers read it so
        ("X I can't go on any more", None),  # not a whole-message answer: triage reads it
        ("can we talk about confirming things", None),
        ("", None),
    ],
)
def test_only_a_whole_message_answers_a_reminder(text: str, answer: ReminderAnswer | None) -> None:
    assert answer_of(text) == answer


@pytest.mark.parametrize(
    ("text", "minutes"), [("48h", 2880), ("2h", 120), ("90m", 90), ("1d", 1440)]
)
def test_it_reads_reminder_times(text: str, minutes: int) -> None:
    assert parse_offset(text) == minutes


@pytest.mark.parametrize("text", ["soon", "5m", "30d", "-2h", "2 hours"])
def test_it_refuses_reminder_times_it_cannot_use(text: str) -> None:
    with pytest.raises(ValueError, match="reminder"):
        parse_offset(text)


# ------------------------------------------------------------------ the guard


def _guard(
    text: str, channel: OutboundChannel, detail: ReminderDetail, *, subject: str = ""
) -> set[GuardRule]:
    policy = demo_policy("GB")
    agreement = AgreementTerms(
        channels=frozenset({AgreedChannel.SMS, AgreedChannel.EMAIL}), reminder_detail=detail
    )
    result = check(
        Draft(text=text, subject=subject, is_automated=True, is_reminder=True),
        channel,
        Recipient(RecipientStatus.PRESENT_CLIENT, "GB"),
        policy,
        agreement,
    )
    return {finding.rule for finding in result.findings}


def test_the_guard_passes_our_discreet_reminder_without_a_crisis_footer() -> None:
    policy = demo_policy("GB")
    rendered = render_reminder(
        policy.reminder_templates, ReminderDetail.DISCREET, starts_at=START,
        timezone="Europe/London", country="GB", practice_name=policy.practice.name,
        therapist_name=policy.practice.therapist_name, phone="020 7946 0123",
        answer="Reply C to confirm or X to cancel.",
    )  # fmt: skip
    assert _guard(rendered.text, OutboundChannel.SMS, ReminderDetail.DISCREET) == set()
    assert (
        _guard(
            rendered.text, OutboundChannel.EMAIL, ReminderDetail.DISCREET, subject=rendered.subject
        )
        == set()
    )


def test_the_guard_holds_a_discreet_reminder_that_says_therapy_or_names_the_practice() -> None:
    practice = demo_policy("GB").practice.name
    held = {GuardRule.DISCREET_LOCK_SCREEN}
    email = OutboundChannel.EMAIL
    assert _guard("Tue 12 Jan", email, ReminderDetail.DISCREET, subject="Your therapy") == held
    assert _guard(f"{practice}: Tue 12 Jan", email, ReminderDetail.MINIMAL) == held
    assert _guard(f"{practice}: Tue 12 Jan", email, ReminderDetail.FULL) == set()


def test_the_guard_holds_a_reminder_on_a_channel_the_client_did_not_agree() -> None:
    policy = demo_policy("GB")
    result = check(
        Draft(text="Tue 12 Jan, 14:00", is_reminder=True),
        OutboundChannel.SMS,
        Recipient(RecipientStatus.PRESENT_CLIENT, "GB"),
        policy,
        AgreementTerms(channels=frozenset({AgreedChannel.EMAIL})),
    )
    assert result.blocked
    assert {f.rule for f in result.findings} == {GuardRule.CHANNEL_NOT_AGREED}


@pytest.mark.parametrize("country", ["GB", "US"])
@pytest.mark.parametrize("level", list(ReminderDetail))
@pytest.mark.parametrize(
    ("channel", "agreed"),
    [
        (OutboundChannel.SMS, AgreedChannel.SMS),
        (OutboundChannel.EMAIL, AgreedChannel.EMAIL),
        (OutboundChannel.PORTAL, AgreedChannel.PORTAL),
    ],
)
def test_the_shipped_wording_passes_the_guard_at_every_level_on_every_channel(
    country: str, level: ReminderDetail, channel: OutboundChannel, agreed: AgreedChannel
) -> None:
    policy = demo_policy(country)
    rendered = render_reminder(
        policy.reminder_templates, level, starts_at=START, timezone=policy.practice.timezone,
        country=country, practice_name=policy.practice.name,
        therapist_name=policy.practice.therapist_name, phone="020 7946 0123",
        answer="Reply C to confirm or X to cancel.",
    )  # fmt: skip
    result = check(
        Draft(
            text=rendered.text,
            subject=rendered.subject if channel is OutboundChannel.EMAIL else "",
            is_reminder=True,
        ),
        channel,
        Recipient(RecipientStatus.PRESENT_CLIENT, country),
        policy,
        AgreementTerms(channels=frozenset({agreed}), reminder_detail=level),
    )
    assert result.findings == ()
