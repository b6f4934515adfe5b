"""Which channel sends what is one table, complete without any app's ``ready()``."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import AppConfig
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from boundaries.channels import registry
from boundaries.core.types import PUBLIC_CHANNELS, Channel
from boundaries.inbox.apps import InboxConfig
from boundaries.inbox.delivery import senders

#: Inbound channels nothing is ever sent back on, and why.
NO_REPLY = {
    Channel.REVIEW: "a review site offers no private reply",
    Channel.CONNECTION_REQUEST: "a connection request is declined, never answered",
    Channel.PORTAL: "portal messages are answered in the portal",
    Channel.VOICEMAIL_TRANSCRIPT: "a voicemail leaves no address to answer",
}
ALERT_KINDS = ("email", "sms")
NOTICE_KINDS = ("email", "sms")
ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("channel", [c for c in Channel if c not in NO_REPLY])
def test_it_has_a_reply_sender_for_every_channel_that_can_be_replied_to(channel: Channel) -> None:
    assert channel in registry.REPLY_SENDERS


def test_it_has_no_reply_sender_for_a_channel_that_is_never_answered() -> None:
    assert not set(NO_REPLY) & set(registry.REPLY_SENDERS)
    assert Channel.REVIEW in PUBLIC_CHANNELS


@pytest.mark.parametrize("kind", ALERT_KINDS)
def test_it_has_an_alert_sender_for_every_alert_kind(kind: str) -> None:
    assert kind in registry.ALERT_SENDERS


@pytest.mark.parametrize("kind", NOTICE_KINDS)
def test_it_has_a_notice_and_a_compose_sender_for_every_notice_kind(kind: str) -> None:
    assert kind in registry.NOTICE_SENDERS
    assert kind in registry.COMPOSE_SENDERS


def test_the_inbox_reads_the_channels_table_through_the_setting() -> None:
    table = senders()
    assert table is registry.SENDERS
    assert table.reply is registry.REPLY_SENDERS
    assert table.alert is registry.ALERT_SENDERS
    assert table.notice is registry.NOTICE_SENDERS
    assert table.compose is registry.COMPOSE_SENDERS
    assert table.reminder is registry.REMINDER_SENDERS
    assert set(table.reminder) == {"email", "sms", "portal"}


def test_a_setting_that_names_something_else_is_refused_clearly() -> None:
    with (
        override_settings(BOUNDARIES_SENDERS="boundaries.channels.registry.REPLY_SENDERS"),
        pytest.raises(ImproperlyConfigured, match="REPLY_SENDERS, which is a dict, not Senders"),
    ):
        senders()


def test_it_registers_nothing_in_the_inbox_apps_ready() -> None:
    assert InboxConfig.ready is AppConfig.ready


def test_it_is_complete_when_no_apps_ready_has_run() -> None:
    """Populate the app registry with every ``ready()`` made a no-op, then read the table."""
    script = """
import django
from django.apps import AppConfig
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings
from django.apps.registry import Apps

def no_ready(self):
    pass

original = Apps.populate

def populate(self, installed_apps=None):
    AppConfig.ready = no_ready
    for cls in list(AppConfig.__subclasses__()):
        cls.ready = no_ready
    return original(self, installed_apps)

Apps.populate = populate
django.setup()
from boundaries.inbox.delivery import senders
table = senders()
tables = (table.reply, table.alert, table.notice, table.compose)
print(*(sorted(str(key) for key in table) for table in tables))
"""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "boundaries.settings"}
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=True,
    )
    assert result.stdout.split("\n")[0] == (
        "['email', 'sms', 'social_comment', 'social_dm'] ['email', 'sms'] "
        "['email', 'sms'] ['email', 'sms']"
    )
