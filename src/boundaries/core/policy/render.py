"""The published policy as HTML, Markdown and plain text, from the same ``Policy``.

The page a client reads and the rules that act on their messages come from one
object, so what is published is exactly what is enforced. Renderers are pure
and deterministic (same policy, same bytes): published versions can be
compared, cached and hashed. Every piece of text from the file is escaped; the
only markup is ours.

Each enabled clause is a section whose anchor is its clause id
(``#no-social-business``), the same id the rules and tests use. The safety
section comes first: it stands above every clause and cannot be switched off.
Then a short section on what the policy covers (every kind of social media,
blogs and forums included), because every clause that follows applies to all
of it, whichever clauses a practice has switched on.
"""

from __future__ import annotations

import html
import re
import textwrap
from collections.abc import Iterator

from boundaries.core.contacts import dial_parts
from boundaries.core.policy.loader import display_phone
from boundaries.core.policy.model import CLAUSE_ORDER, Clause, CrisisResources, Policy
from boundaries.core.policy.schema import DEFAULT_PLATFORMS
from boundaries.core.types import ClauseId

__all__ = [
    "CONTACT_ANCHOR",
    "SAFETY_ANCHOR",
    "SCOPE_ANCHOR",
    "country_name",
    "render_html",
    "render_markdown",
    "render_text",
]

SAFETY_ANCHOR = "safety"
SCOPE_ANCHOR = "scope"
# Not "contact": the public page template has a section of that name around this fragment.
CONTACT_ANCHOR = "contact-details"

_COUNTRY_NAMES = {
    "GB": "the United Kingdom",
    "US": "the United States",
    "IE": "Ireland",
    "CA": "Canada",
    "AU": "Australia",
    "NZ": "New Zealand",
}
_URL = re.compile(r"https?://[^\s<>\"]+")
_TEXT_WIDTH = 78

SAFETY_TITLE = "If you need help now"
SCOPE_TITLE = "What this policy covers"
CONTACT_TITLE = "Contact"


def country_name(code: str) -> str:
    """``GB`` -> ``the United Kingdom``; a code we have no name for is shown as it is."""
    return _COUNTRY_NAMES.get(code, code)


def _enabled(policy: Policy) -> Iterator[Clause]:
    """Enabled clauses in publication order (any unknown extra ones after, by id)."""
    extra = sorted((c for c in policy.clauses if c not in CLAUSE_ORDER), key=str)
    for clause_id in (*CLAUSE_ORDER, *extra):
        clause = policy.clauses.get(clause_id)
        if clause is not None and clause.enabled:
            yield clause


def _blocks(text: str) -> Iterator[tuple[str, list[str]]]:
    """Markdown-light: ("p", [paragraph]) or ("ul", [items]) per blank-line-separated block."""
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        if not lines:
            continue
        if all(line.startswith(("- ", "* ")) for line in lines):
            yield "ul", [line[2:].strip() for line in lines]
        else:
            yield "p", [" ".join(lines)]


def _safety_lead(policy: Policy) -> str:
    own = policy.crisis_for(None)
    return (
        "Nothing in this policy stands between you and help. If you are in danger or "
        f"thinking of ending your life, call {own.emergency} now; you do not need to wait "
        "for a session or a reply. If a message you send on any channel suggests that you "
        f"may be at risk, {policy.practice.therapist_name} is alerted at once, and the "
        "automatic reply lists the numbers below."
    )


def _scope(policy: Policy) -> str:
    """Every kind of social media, named plainly, so no clause reads as "only Facebook"."""
    connections = policy.clauses.get(ClauseId.NO_CONNECTIONS)
    named = connections.params.get("platforms") if connections is not None else None
    platforms = list(named) if isinstance(named, tuple) and named else list(DEFAULT_PLATFORMS)
    listed = platforms[0] if len(platforms) == 1 else ", ".join(platforms[:-1])
    if len(platforms) > 1:
        listed += " and " + platforms[-1]
    return (
        "This policy covers every kind of social media and online service, not only the "
        f"best known: social networks such as {listed}, blogs, forums and discussion "
        "boards, review and directory sites, photo and video sharing, and messaging and "
        "chat apps, as well as email and text messages. Whatever it says applies wherever "
        f"{policy.practice.therapist_name} and a client might come across each other online."
    )


def _ordered_crisis(policy: Policy) -> list[CrisisResources]:
    own = policy.crisis_for(None)
    return [own, *(r for code, r in sorted(policy.crisis.items()) if code != own.country)]


def _complaints(policy: Policy) -> str:
    body = policy.practice.professional_body
    return (
        f"If you have a concern about the practice, you can raise it with "
        f"{policy.practice.therapist_name} directly, or with {body.name} ({body.short_name}), "
        f"{body.address}, {body.url}"
        + (f", telephone {display_phone(body.phone)}" if body.phone else "")
        + "."
    )


def _appointments(policy: Policy) -> str:
    return (
        "To arrange, move or cancel an appointment, please telephone "
        f"{display_phone(policy.practice.phone)}."
    )


# ---------------------------------------------------------------------------- HTML


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _inline_html(text: str) -> str:
    """Escape, then link web addresses (the only markup added to the file's text)."""
    out: list[str] = []
    position = 0
    for match in _URL.finditer(text):
        url = match.group(0).rstrip(".,;:!?)")
        out.append(_e(text[position : match.start()]))
        out.append(f'<a href="{_e(url)}">{_e(url)}</a>')
        position = match.start() + len(url)
    out.append(_e(text[position:]))
    return "".join(out)


def _dialable_html(text: str) -> str:
    """Escape a crisis contact, each number in it a ``tel:`` (or ``sms:``) link: on a
    phone, the number a person in danger needs is one tap away."""
    return "".join(
        f'<a href="{_e(part.href)}">{_e(part.text)}</a>' if part.href else _e(part.text)
        for part in dial_parts(text)
    )


def _html_blocks(text: str, indent: str = "  ") -> list[str]:
    out: list[str] = []
    for kind, items in _blocks(text):
        if kind == "ul":
            out.append(f"{indent}<ul>")
            out.extend(f"{indent}  <li>{_inline_html(item)}</li>" for item in items)
            out.append(f"{indent}</ul>")
        else:
            out.append(f"{indent}<p>{_inline_html(items[0])}</p>")
    return out


def _html_section(anchor: str, title: str, body: list[str], css: str) -> list[str]:
    return [
        f'<section id="{_e(anchor)}" class="{css}" aria-labelledby="{_e(anchor)}-heading">',
        f'  <h2 id="{_e(anchor)}-heading">{_e(title)}</h2>',
        *body,
        "</section>",
    ]


def render_html(policy: Policy) -> str:
    """An HTML fragment: safety, each enabled clause, contact. Every text is escaped."""
    out: list[str] = []
    safety = [f"  <p>{_dialable_html(_safety_lead(policy))}</p>"]
    for resources in _ordered_crisis(policy):
        safety.append(f"  <h3>In {_e(country_name(resources.country))}</h3>")
        safety.append("  <ul>")
        emergency = _dialable_html(resources.emergency)
        safety.append(f"    <li><strong>Emergency services</strong>: {emergency}</li>")
        safety.extend(
            f"    <li><strong>{_e(line.name)}</strong>: {_dialable_html(line.contact)}. "
            f"{_e(line.description)}</li>"
            for line in resources.lines
        )
        safety.append("  </ul>")
    out += _html_section(SAFETY_ANCHOR, SAFETY_TITLE, safety, "safety")
    out += _html_section(SCOPE_ANCHOR, SCOPE_TITLE, [f"  <p>{_e(_scope(policy))}</p>"], "scope")
    for clause in _enabled(policy):
        out += _html_section(clause.id, clause.title, _html_blocks(clause.text), "clause")
    phone = policy.practice.phone
    telephone = f'<a href="tel:{_e(phone)}">{_e(display_phone(phone))}</a>'
    contact = [
        f"  <p>To arrange, move or cancel an appointment, please telephone {telephone}.</p>",
        f"  <p>{_inline_html(_complaints(policy))}</p>",
    ]
    out += _html_section(CONTACT_ANCHOR, CONTACT_TITLE, contact, "contact")
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------- Markdown

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")
_MD_LINE_START = re.compile(r"^(#|[-+]\s|\d+[.)]\s|>)")


def _md(text: str) -> str:
    """Text as Markdown shows it literally: no emphasis, links or HTML from the file."""
    escaped = _MD_SPECIAL.sub(r"\\\1", text)
    return _MD_LINE_START.sub(r"\\\1", escaped)


def _md_blocks(text: str) -> list[str]:
    out: list[str] = []
    for kind, items in _blocks(text):
        if kind == "ul":
            out.extend(f"- {_md(item)}" for item in items)
        else:
            out.append(_md(items[0]))
        out.append("")
    return out


def render_markdown(policy: Policy) -> str:
    """The policy as Markdown; each heading carries its clause id as an anchor."""
    out = [f"# Social media and communications policy: {_md(policy.practice.name)}", ""]
    out += [f"## {SAFETY_TITLE} {{#{SAFETY_ANCHOR}}}", "", _md(_safety_lead(policy)), ""]
    for resources in _ordered_crisis(policy):
        out += [f"### In {_md(country_name(resources.country))}", ""]
        out.append(f"- **Emergency services**: {_md(resources.emergency)}")
        out.extend(
            f"- **{_md(line.name)}**: {_md(line.contact)}. {_md(line.description)}"
            for line in resources.lines
        )
        out.append("")
    out += [f"## {SCOPE_TITLE} {{#{SCOPE_ANCHOR}}}", "", _md(_scope(policy)), ""]
    for clause in _enabled(policy):
        out += [f"## {_md(clause.title)} {{#{clause.id}}}", ""]
        out += _md_blocks(clause.text)
    out += [f"## {CONTACT_TITLE} {{#{CONTACT_ANCHOR}}}", ""]
    out += [_md(_appointments(policy)), "", _md(_complaints(policy)), ""]
    return "\n".join(out).rstrip("\n") + "\n"


# ---------------------------------------------------------------------------- text


def _wrap(text: str, indent: str = "") -> list[str]:
    return textwrap.wrap(
        text,
        width=_TEXT_WIDTH,
        initial_indent=indent,
        subsequent_indent=indent,
        break_long_words=False,
        break_on_hyphens=False,
    )


def _text_blocks(text: str) -> list[str]:
    out: list[str] = []
    for kind, items in _blocks(text):
        if kind == "ul":
            for item in items:
                wrapped = _wrap(item, "    ")
                out.append("  - " + wrapped[0].lstrip())
                out.extend(wrapped[1:])
        else:
            out += _wrap(items[0], "  ")
        out.append("")
    return out


def render_text(policy: Policy) -> str:
    """Plain text wrapped at 78 columns, for email and the terminal; ids in brackets."""
    title = f"Social media and communications policy: {policy.practice.name}"
    out = [title, "=" * min(len(title), _TEXT_WIDTH), ""]
    out += [f"{SAFETY_TITLE} [{SAFETY_ANCHOR}]", "", *_wrap(_safety_lead(policy), "  "), ""]
    for resources in _ordered_crisis(policy):
        out.append(f"  In {country_name(resources.country)}:")
        out.append(f"  - Emergency services: {resources.emergency}")
        for line in resources.lines:
            wrapped = _wrap(f"{line.name}: {line.contact}. {line.description}", "    ")
            out.append("  - " + wrapped[0].lstrip())
            out.extend(wrapped[1:])
        out.append("")
    out += [f"{SCOPE_TITLE} [{SCOPE_ANCHOR}]", "", *_wrap(_scope(policy), "  "), ""]
    for number, clause in enumerate(_enabled(policy), start=1):
        out += [f"{number}. {clause.title} [{clause.id}]", ""]
        out += _text_blocks(clause.text)
    out += [f"{CONTACT_TITLE} [{CONTACT_ANCHOR}]", ""]
    out += [*_wrap(_appointments(policy), "  "), "", *_wrap(_complaints(policy), "  "), ""]
    return "\n".join(out).rstrip("\n") + "\n"
