"""Pages say "Text message" and "moved to the secure store", not ``sms`` and
``quarantine_to_vault``; an id with no words yet is shown as it is, never hidden."""

from __future__ import annotations

from boundaries.core.types import Action, Channel
from boundaries.dashboard.templatetags.labels import (
    ACTION_NAMES,
    CHANNEL_NAMES,
    action_names,
    channel_name,
)


def test_every_channel_and_action_has_words() -> None:
    assert set(CHANNEL_NAMES) == {c.value for c in Channel}
    assert set(ACTION_NAMES) == {a.value for a in Action}


def test_it_names_channels_and_actions_and_passes_unknown_ids_through() -> None:
    assert channel_name("social_dm") == "Direct message"
    assert channel_name("carrier_pigeon") == "carrier_pigeon"
    assert action_names(["review_today", "deliver"]) == "on today's review list, delivered to you"
    assert action_names(["something_new"]) == "something_new"
