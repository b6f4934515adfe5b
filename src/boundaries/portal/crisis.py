"""The crisis numbers a portal page shows: from the practice's published policy, as links.

Every portal page carries them in its footer, for the signed-in client's country
(the policy falls back to the practice's own country when it lists none for the
client's). Right after a client sends a message that triage puts at ``concern``
or ``urgent``, the page shows them at the top as well: the reply path of the
portal has no address a private reply may go to, so the page is the reply.

A policy writes a contact as people say it ("116 123", "call or text 988",
"text SHOUT to 85258", "112 or 999"); each number in it becomes a ``tel:``
link, or an ``sms:`` link (with the keyword as the message body) when the
words before it ask for a text and not a call.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from boundaries.core.contacts import dial_parts
from boundaries.core.policy.model import CrisisResources
from boundaries.core.policy.render import country_name
from boundaries.core.policy.templates import demo_policy
from boundaries.inbox.triage import policy_for
from boundaries.practices.models import Practice

__all__ = ["CrisisLineView", "CrisisPanel", "crisis_panel", "linked_contact"]


def linked_contact(text: str) -> SafeString:
    """The contact as written, escaped, with each number in it a tel: or sms: link."""
    return SafeString(
        "".join(
            format_html('<a href="{}">{}</a>', part.href, part.text)
            if part.href
            else format_html("{}", part.text)
            for part in dial_parts(text)
        )
    )


@dataclass(frozen=True, slots=True)
class CrisisLineView:
    name: str
    contact: SafeString
    description: str


@dataclass(frozen=True, slots=True)
class CrisisPanel:
    """What a page shows: the country, the emergency number and the lines, links made."""

    country: str
    country_name: str
    emergency: SafeString
    lines: tuple[CrisisLineView, ...]

    @property
    def summary(self) -> SafeString:
        """One line for a page's footer: the emergency number and each line's contact."""
        lines = format_html_join("; ", "{}: {}", ((ln.name, ln.contact) for ln in self.lines))
        return format_html(
            "If you are in danger or thinking of ending your life, call {} now.{}",
            self.emergency,
            format_html(" Or contact {}.", lines) if self.lines else "",
        )


def _panel(resources: CrisisResources) -> CrisisPanel:
    return CrisisPanel(
        country=resources.country,
        country_name=country_name(resources.country),
        emergency=linked_contact(resources.emergency),
        lines=tuple(
            CrisisLineView(line.name, linked_contact(line.contact), line.description)
            for line in resources.lines
        ),
    )


def crisis_panel(practice: Practice, country: str | None) -> CrisisPanel:
    """The practice's published crisis resources for ``country`` (else the practice's own).

    A practice that has not published a policy yet gets its country's defaults,
    as its automated replies do.
    """
    policy = policy_for(practice) or demo_policy(practice.country)
    return _panel(policy.crisis_for(country))
