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

import re
import urllib.parse
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from boundaries.core.policy.model import CrisisResources
from boundaries.core.policy.render import country_name
from boundaries.core.policy.templates import demo_policy
from boundaries.inbox.triage import policy_for
from boundaries.practices.models import Practice

__all__ = ["CrisisLineView", "CrisisPanel", "crisis_panel", "linked_contact"]

# A run of digits, spaces and hyphens, optionally after a "+"; at least three digits
# (so "24/7" or "open 7 days" are not dialled).
_NUMBER = re.compile(r"\+?\d[\d\- ]*\d")
_MIN_DIGITS = 3
_TEXT_KEYWORD = re.compile(r"\btext\s+([A-Za-z0-9]+)\s+to\s*$", re.IGNORECASE)


def _href(number: str, before: str) -> str:
    dial = re.sub(r"[^\d+]", "", number)
    lowered = before.lower()
    if re.search(r"\btext\b", lowered) and not re.search(r"\b(call|phone|ring)\b", lowered):
        keyword = _TEXT_KEYWORD.search(before)
        body = f"?body={urllib.parse.quote(keyword.group(1))}" if keyword else ""
        return f"sms:{dial}{body}"
    return f"tel:{dial}"


def linked_contact(text: str) -> SafeString:
    """The contact as written, escaped, with each number in it a tel: or sms: link."""
    parts: list[SafeString] = []
    position = 0
    for match in _NUMBER.finditer(text):
        number = match.group(0)
        if sum(c.isdigit() for c in number) < _MIN_DIGITS:
            continue
        before = text[position : match.start()]
        parts.append(format_html("{}", before))
        parts.append(format_html('<a href="{}">{}</a>', _href(number, before), number))
        position = match.end()
    parts.append(format_html("{}", text[position:]))
    return SafeString("".join(parts))


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
