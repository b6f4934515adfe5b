"""A test alert: the therapist's alert contacts tried through the real alert senders.

It says only that it is a test, with a link to the dashboard: no client, no
message, nothing a lock screen should not show. Each way is tried and its
outcome (sent, or why not) is returned and written to the audit log.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction

from boundaries.channels.registry import ALERT_SENDERS
from boundaries.channels.sms.outbound import twilio_config
from boundaries.inbox.delivery import RetryLaterError, Skip
from boundaries.practices.actions.common import record_action
from boundaries.practices.models import Therapist

__all__ = ["TEST_ALERT_TEXT", "AlertTry", "do_send_test_alert"]

logger = logging.getLogger(__name__)

TEST_ALERT_TEXT = (
    "This is a test alert from Boundaries. Urgent alerts will reach you here. "
    "Nothing needs doing: {url}"
)


@dataclass(frozen=True, slots=True)
class AlertTry:
    way: str  # "email" or "sms"
    to: str
    sent: bool
    problem: str = ""


def _ways(therapist: Therapist) -> list[tuple[str, str]]:
    ways = [("email", therapist.alert_email or therapist.user.email)]
    if therapist.alert_phone:
        ways.append(("sms", therapist.alert_phone))
    return ways


def do_send_test_alert(
    therapist: Therapist, *, actor: Any = None, actor_label: str = ""
) -> list[AlertTry]:
    """Send the test alert every way this therapist is alerted; report each way."""
    text = TEST_ALERT_TEXT.format(url=str(settings.SITE_URL).rstrip("/") + "/dashboard/")
    tries: list[AlertTry] = []
    for way, to in _ways(therapist):
        if not to:
            tries.append(AlertTry(way, to, sent=False, problem="no address is set"))
            continue
        if way == "sms" and not twilio_config().account_sid:
            tries.append(AlertTry(way, to, sent=False, problem="Twilio is not configured"))
            continue
        try:
            ALERT_SENDERS[way](therapist, text)
        except (OSError, RetryLaterError, Skip) as error:
            logger.warning("test alert by %s failed: %s", way, type(error).__name__)
            tries.append(AlertTry(way, to, sent=False, problem=str(error) or type(error).__name__))
        else:
            tries.append(AlertTry(way, to, sent=True))
    with transaction.atomic():
        details = {t.way: ("sent" if t.sent else "failed") for t in tries}
        record_action("alert.test", therapist, actor, actor_label, details)
    return tries
