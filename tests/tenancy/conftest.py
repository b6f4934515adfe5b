"""Practices with everything in them, for domain, export, deletion and erasure tests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

CRISIS_TEXT = "I can't go on, I want to end my life tonight"
SESSION_TEXT = "About what we talked about in session: the panic came back on Tuesday."
PORTAL_TEXT = "Could we look at my sleep diary next time?"
FILE_BYTES = b"my own notes about the week\n"


def policy_source(name: str, country: str = "GB") -> str:
    from boundaries.core.policy.templates import render_template

    return render_template(
        country,
        practice_name=name,
        therapist_name=f"{name} Therapist",
        phone="+442079460123" if country == "GB" else "+12025550143",
        email="appointments@example.org",
        website="https://example.org",
    )


def publish(practice: Any, versions: int = 1) -> None:
    from boundaries.portal.actions import do_publish_policy

    source = policy_source(practice.name, practice.country)
    for number in range(1, versions + 1):
        text = source if number == 1 else source.replace("example.org", f"v{number}.example.org")
        do_publish_policy(practice, source=text, summary=f"Version {number} of {practice.name}")


def email_arrival(sender: str, text: str, number: int = 0) -> Any:
    from boundaries.core.types import Channel, InboundMessage
    from boundaries.inbox.actions import Arrival

    return Arrival(
        message=InboundMessage(
            channel=Channel.EMAIL,
            sender=sender,
            subject=f"note {number}",
            text=text,
            received_at=timezone.now(),
        ),
        raw=f"From: {sender}\r\nSubject: note {number}\r\n\r\n{text}".encode(),
        external_id=f"<{number}-{sender}>",
        reply_address=sender,
    )


@dataclass
class Filled:
    """A practice with a row in every table a practice has."""

    practice: Any
    owner: Any
    client: Any
    other_client: Any
    check: Any
    vault_object: Any
    email: str


def fill(practice: Any, owner: Any, prefix: str) -> Filled:
    """Clients, agreements, appointments, agenda, messages (one a crisis), a portal account
    with messages and a sign-in link, a file, a welfare check with a correction, a policy
    acknowledgement, a post, an inbound route, a domain and a calendar feed."""
    from boundaries.inbox.actions import do_ingest
    from boundaries.inbox.models import InboundRoute
    from boundaries.portal.actions import (
        do_acknowledge,
        do_issue_magic_link,
        do_redeem_magic_link,
        do_send_from_client,
        do_send_to_client,
    )
    from boundaries.practices import actions
    from boundaries.practices.calendar import do_create_feed
    from boundaries.site.models import Post
    from boundaries.vault.files import store_file
    from boundaries.welfare.actions import (
        ContactAttempt,
        do_correct,
        do_log_search,
        do_open_welfare_check,
    )

    email = f"{prefix}.client@example.org"
    publish(practice, versions=2)
    client = actions.do_add_client(
        practice,
        first_name=f"{prefix.title()}first",
        last_name=f"{prefix.title()}last",
        therapist=owner,
        emails=[email],
        phones=["+441614960123"],
        handles={"instagram": f"@{prefix}_client"},
        nicknames=[f"{prefix}nick"],
    )
    other = actions.do_add_client(
        practice, first_name="Second", last_name=f"{prefix.title()}", emails=[f"2{email}"]
    )
    actions.do_set_agreement(client, channels=["email", "portal"])
    actions.do_set_agreement(
        client,
        channels=["email", "portal", "phone"],
        session_content_by_email=True,
        session_content_agreed_on=dt.date(2026, 1, 5),
        session_content_terms="short updates only",
    )
    actions.do_add_appointment(client, starts_at=timezone.now() + dt.timedelta(days=3))
    actions.do_add_agenda_item(client, kind="other", source="therapist", note="bring the diary")
    do_ingest(practice, email_arrival(email, CRISIS_TEXT, 1))
    do_ingest(practice, email_arrival(email, SESSION_TEXT, 2))
    do_ingest(practice, email_arrival(f"2{email}", "see you thursday", 3))
    do_redeem_magic_link(do_issue_magic_link(client))  # makes the portal account
    do_issue_magic_link(client)  # and leaves an unused link
    do_send_from_client(client, PORTAL_TEXT)
    do_send_to_client(client, "Yes, bring it along.", actor=owner.user)
    do_acknowledge(client, practice.current_policy())
    vault_object = store_file(
        client=client, data=FILE_BYTES, filename="week.txt", direction="from_client"
    )
    check = do_open_welfare_check(
        client,
        owner,
        reason="missed two sessions and not answering",
        attempts=[ContactAttempt("phone", timezone.now(), "no answer")],
    )
    do_log_search(
        check,
        owner,
        where="search engine",
        purpose="find a current phone number",
        found="nothing relevant",
        at=timezone.now(),
    )
    first_entry = check.entries.order_by("number").first()
    assert first_entry is not None
    correction = do_correct(check, owner, entry=first_entry, correction="it was three sessions")
    do_correct(check, owner, entry=correction, correction="three, counting today")
    Post.objects.create(practice=practice, title=f"{prefix} news", slug="news", body="Hello.")
    InboundRoute.objects.create(
        practice=practice, kind=InboundRoute.Kind.EMAIL, address=f"inbox@{prefix}.example"
    )
    actions.do_add_domain(practice, f"{prefix}.example")
    do_create_feed(owner)
    return Filled(practice, owner, client, other, check, vault_object, email)


@pytest.fixture
def filled(practice: Any, alice: Any) -> Filled:
    return fill(practice, alice, "alder")


@pytest.fixture
def other_filled(charlie: Any) -> Filled:
    return fill(charlie.practice, charlie, "elsewhere")
