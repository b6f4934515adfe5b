"""A fictional demo practice: one therapist, twelve clients, agreements, a policy.

Every name, number and address here is invented. Phone numbers come from the
ranges Ofcom reserves for drama (020 7946 0xxx, 0161 496 0xxx) so they can never reach anyone.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.db import transaction

from boundaries import clock
from boundaries.core.policy.templates import render_template
from boundaries.inbox.models import InboundRoute
from boundaries.portal.actions import do_publish_policy
from boundaries.practices.actions.agreements import do_set_agreement
from boundaries.practices.actions.appointments import do_add_appointment
from boundaries.practices.actions.clients import do_add_client
from boundaries.practices.actions.practices import do_add_therapist, do_create_practice
from boundaries.practices.models import Practice, Therapist

DEMO_SLUG = "riverside"
DEMO_USERNAME = "demo"
DEMO_INBOX = "inbox@riverside-therapy.example"
DEMO_PASSWORD = "boundaries-demo"  # noqa: S105 - printed for the local demo on purpose

# first, last, status, channels, reminders, session content by email, country, handle
DEMO_CLIENTS: list[tuple[str, str, str, list[str], str, bool, str, str]] = [
    (
        "Amara",
        "Okafor",
        "present",
        ["email", "sms", "phone", "portal"],
        "discreet",
        False,
        "GB",
        "",
    ),
    (
        "Ben",
        "Hartley",
        "present",
        ["phone", "portal"],
        "discreet",
        False,
        "GB",
        "instagram:benhart_runs",
    ),
    ("Chloé", "Dubois", "present", ["email", "portal"], "standard", True, "GB", ""),
    ("Dev", "Raman", "present", ["sms", "phone"], "discreet", False, "GB", ""),
    ("Elin", "Pryce", "present", ["email", "phone", "portal"], "discreet", False, "GB", ""),
    ("Farah", "Siddiqui", "present", ["email", "sms", "portal"], "standard", False, "GB", ""),
    ("Gareth", "Lloyd", "present", ["phone"], "discreet", False, "GB", "facebook:gareth.lloyd.88"),
    (
        "Hannah",
        "Kowalski",
        "present",
        ["email", "sms", "phone", "portal"],
        "discreet",
        True,
        "US",
        "",
    ),
    (
        "Isaac",
        "Mensah",
        "past",
        ["email", "phone"],
        "discreet",
        False,
        "GB",
        "linkedin:isaac-mensah-demo",
    ),
    ("Jo", "Whitfield", "past", ["phone", "portal"], "discreet", False, "GB", ""),
    ("Kit", "Andrews", "present", ["portal", "phone"], "discreet", False, "GB", ""),
    ("Lena", "Fischer", "prospective", ["email"], "discreet", False, "GB", ""),
]


def demo_policy_source() -> str:
    return render_template(
        "GB",
        practice_name="Riverside Talking Therapy",
        therapist_name="Sam Rivera",
        phone="+442079460123",
        email="appointments@riverside-therapy.example",
        website="https://riverside-therapy.example",
        timezone="Europe/London",
    )


def load_demo(now: dt.datetime | None = None) -> tuple[Practice, bool]:
    """Create the demo practice unless it exists. Returns (practice, created)."""
    existing = Practice.objects.filter(slug=DEMO_SLUG).first()
    if existing is not None:
        return existing, False
    moment = now or clock.now()
    london = ZoneInfo("Europe/London")
    with transaction.atomic():
        practice = do_create_practice(
            name="Riverside Talking Therapy",
            slug=DEMO_SLUG,
            country="GB",
            timezone_name="Europe/London",
            professional_body="UKCP",
            actor_label="demo",
        )
        therapist = do_add_therapist(
            practice,
            username=DEMO_USERNAME,
            password=DEMO_PASSWORD,
            display_name="Sam Rivera",
            email="sam@riverside-therapy.example",
            role=Therapist.Role.OWNER,
            actor_label="demo",
        )

        InboundRoute.objects.create(
            practice=practice, kind=InboundRoute.Kind.EMAIL, address=DEMO_INBOX
        )
        do_publish_policy(
            practice,
            source=demo_policy_source(),
            summary="First published version.",
            effective_date=moment.date(),
            actor_label="demo",
        )
        for index, row in enumerate(DEMO_CLIENTS):
            first, last, status, channels, reminders, email_content, country, handle = row
            platform, _, name = handle.partition(":")
            client = do_add_client(
                practice,
                first_name=first,
                last_name=last,
                status=status,
                country=country,
                therapist=therapist,
                emails=[f"{first.lower().replace('é', 'e')}.{last.lower()}@example.org"],
                phones=[f"0161 496 0{100 + index:03d}"] if country == "GB" else ["+1 202 555 0147"],
                handles={platform: name} if handle else {},
                actor_label="demo",
            )
            do_set_agreement(
                client,
                channels=channels,
                reminder_detail=reminders,
                session_content_by_email=email_content,
                session_content_agreed_on=moment.date() - dt.timedelta(days=30)
                if email_content
                else None,
                session_content_terms="Short updates between sessions; no attachments."
                if email_content
                else "",
                actor_label="demo",
            )
            if status == "present":
                day = (moment.astimezone(london) + dt.timedelta(days=1 + index % 6)).date()
                starts = dt.datetime.combine(day, dt.time(9 + index % 8, 0), tzinfo=london)
                do_add_appointment(client, starts_at=starts, actor_label="demo")
    return practice, True
