"""Country templates of policy.toml: a complete, publishable policy in a practice's first minute.

Each template is a policy.toml with ``@@marker@@`` values in place of the
practice's own details. ``render_template`` fills them with TOML-escaped
strings, so whatever a therapist types (quotes, backslashes, newlines) can
never change the structure of the file. The wording of every clause is ours,
written to be edited.

The US template cannot know which state board licenses a therapist: its
``[practice.professional_body]`` holds placeholders that ``boundaries policy
check`` refuses (``placeholders.py``) until they are replaced by hand or given
to ``render_template(professional_body=...)``.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from importlib import resources

from boundaries.core.contacts import ContactError, normalise_phone
from boundaries.core.policy.loader import DEFAULT_FEED_PATH, load_policy
from boundaries.core.policy.model import EthicsBody, Policy

__all__ = [
    "DEMO_EMAIL",
    "DEMO_PRACTICE_NAME",
    "available_templates",
    "demo_policy",
    "demo_source",
    "render_template",
    "template_source",
    "toml_string",
]

#: The default timezone of each template's country (a practice may change it).
_TIMEZONES = {"GB": "Europe/London", "US": "America/New_York"}
#: Countries without a template of their own borrow the nearest one.
_BORROWED = {"CA": "US"}
_MARKER = re.compile(r"@@([a-z_]+)@@")
_FIELDS = frozenset(
    {"practice_name", "therapist_name", "phone", "email", "website", "timezone", "feed_url"}
)

DEMO_PRACTICE_NAME = "Riverside Therapy"
DEMO_EMAIL = "inbox@riverside-therapy.example"
#: The demo practice's one number, in the range Ofcom keeps for drama: it reaches no one.
#: (North America's only such range, 555, is what the placeholder check refuses.)
_DEMO_PHONE = "+442079460123"
#: The US template leaves the licensing board to the therapist; the demo names a real
#: national body that hears ethics complaints, so the demo policy has no placeholder left.
_DEMO_BODIES = {
    "US": EthicsBody(
        name="American Psychological Association",
        short_name="APA",
        address="750 First Street NE, Washington, DC 20002-4242",
        url="https://www.apa.org",
    ),
}
_BODY_HEADER = "[practice.professional_body]"
_BODY_LINE = re.compile(r"^(?:name|short_name|address|url|phone)\s*=")


def available_templates() -> list[str]:
    """Country codes that have a template, e.g. ``["GB", "US"]``."""
    files = resources.files(__package__ or __name__).iterdir()
    return sorted(f.name.removesuffix(".toml").upper() for f in files if f.name.endswith(".toml"))


def template_source(country: str) -> str:
    """The template as shipped, with its ``@@markers@@`` (not loadable until rendered)."""
    code = country.strip().upper()
    if code not in available_templates():
        known = ", ".join(available_templates())
        raise ValueError(f"no policy template for {country!r}; available: {known}")
    return (resources.files(__package__ or __name__) / f"{code.lower()}.toml").read_text(
        encoding="utf-8"
    )


def render_template(
    country: str,
    *,
    practice_name: str,
    therapist_name: str,
    phone: str,
    email: str,
    website: str,
    timezone: str | None = None,
    professional_body: EthicsBody | None = None,
) -> str:
    """policy.toml text for one practice: the country template with its details filled in.

    The phone number is written in E.164 when it can be read for the country;
    otherwise it is written as given, for the loader to report with its line.
    ``professional_body`` replaces the template's body (the US template's is a
    placeholder); its phone, if any, is written as given.
    """
    code = country.strip().upper()
    source = template_source(code)
    try:
        phone = normalise_phone(phone, code)
    except ContactError:
        phone = phone.strip()  # the loader names the line and what it expected
    values = {
        "practice_name": practice_name.strip(),
        "therapist_name": therapist_name.strip(),
        "phone": phone,
        "email": email.strip(),
        "website": website.strip(),
        "timezone": (timezone or _TIMEZONES.get(code, "UTC")).strip(),
        "feed_url": website.strip().rstrip("/") + DEFAULT_FEED_PATH,
    }

    def fill(match: re.Match[str]) -> str:
        return toml_string(values[match.group(1)])

    unknown = set(_MARKER.findall(source)) - _FIELDS
    if unknown:  # a template bug, caught by the template tests
        raise ValueError(f"template {code} has unknown markers: {sorted(unknown)}")
    text = _MARKER.sub(fill, source)
    return text if professional_body is None else _with_body(text, professional_body)


def _with_body(text: str, body: EthicsBody) -> str:
    """``text`` with the keys of its ``[practice.professional_body]`` table replaced."""
    lines = text.split("\n")
    start = lines.index(_BODY_HEADER) + 1
    end = start
    while end < len(lines) and _BODY_LINE.match(lines[end]):
        end += 1
    values = {
        "name": body.name,
        "short_name": body.short_name,
        "address": body.address,
        "url": body.url,
        "phone": body.phone,
    }
    written = [f"{key} = {toml_string(value.strip())}" for key, value in values.items() if value]
    return "\n".join([*lines[:start], *written, *lines[end:]])


def toml_string(value: str) -> str:
    """``value`` as a TOML basic string, quotes included; safe for any input."""
    out = ['"']
    for char in value:
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04X}")
        else:
            out.append(char)
    out.append('"')
    return "".join(out)


_ESCAPES = {
    '"': '\\"',
    "\\": "\\\\",
    "\n": "\\n",
    "\t": "\\t",
    "\r": "\\r",
    "\b": "\\b",
    "\f": "\\f",
}


def _template_for(code: str) -> str:
    return code if code in available_templates() else _BORROWED.get(code, "GB")


def demo_source(country: str = "GB") -> str:
    """The demo practice's policy.toml under the template ``demo_policy(country)`` uses.

    Fictional throughout, and free of placeholders: it passes ``boundaries policy check``.
    """
    template = _template_for((country or "GB").strip().upper())
    return render_template(
        template,
        practice_name=DEMO_PRACTICE_NAME,
        therapist_name="Sam Rivera",
        phone=_DEMO_PHONE,
        email=DEMO_EMAIL,
        website="https://riverside-therapy.example",
        professional_body=_DEMO_BODIES.get(template),
    )


@functools.lru_cache(maxsize=16)
def demo_policy(country: str = "GB") -> Policy:
    """A loaded policy for the fictional demo practice, Riverside Therapy.

    Also what triage and the guard fall back on before a practice has published
    its own policy, so it works for any country: a country without a template
    borrows one (Canada the US template, others the UK one) and keeps its own
    crisis resources when the template lists them. Cached: treat it as read-only.
    """
    code = (country or "GB").strip().upper()
    template = _template_for(code)
    policy = load_policy(demo_source(code), filename=f"demo-{template.lower()}.toml")
    if code != template and code in policy.crisis:
        practice = dataclasses.replace(policy.practice, country=code)
        crisis = {code: policy.crisis[code], **policy.crisis}
        policy = dataclasses.replace(policy, practice=practice, crisis=crisis)
    return policy
