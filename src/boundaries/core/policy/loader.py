"""Reading policy.toml into a ``Policy``, strictly, with errors that name the line.

The file is the single source of both the published policy and the rules that
enforce it, so the loader refuses anything it cannot read with certainty: an
unknown key is a typo until proven otherwise, a disabled clause that still has
parameters is a half-finished edit, and a missing crisis line for the
practice's own country would leave a client in danger without a number to
call. Every refusal is one ``PolicyError`` naming file, line and key.

The layout is documented in docs/policy-reference.md. In short::

    schema = 1                       # optional; the only version so far
    [practice]                       # name, therapist, country, timezone, phone, email, website
    [practice.professional_body]     # name, short_name, address, url, phone (optional)
    [clauses.<clause-id>]            # enabled, severity, title, text
    [clauses.<clause-id>.params]     # per clause, see CLAUSE_PARAMS
    [crisis.<CC>]                    # emergency, and [[crisis.<CC>.lines]] name/contact/description
    [replies]                        # crisis, redirect_social, redirect_channel, secure_channel
    [reminders]                      # optional: sender_name, [reminders.<level>] subject, text

Clause titles and texts may use the placeholders in ``TEXT_PLACEHOLDERS``;
they are filled in here, so ``Clause.text`` is the wording as published. Reply
templates keep theirs (``REPLY_PLACEHOLDERS``) for triage to fill per message.
Those tables live in ``schema.py``, and finding a key's line in ``key_lines.py``;
their names are handed on here too, as before.
"""

from __future__ import annotations

import difflib
import json
import re
import string
import tomllib
import zoneinfo
from collections.abc import Collection, Mapping
from datetime import date, datetime, time
from typing import NoReturn
from urllib.parse import urlsplit

import phonenumbers

from boundaries.core.contacts import ContactError, normalise_phone
from boundaries.core.policy.errors import PolicyError
from boundaries.core.policy.key_lines import KeyPath, dotted, locate_keys, nearest_line
from boundaries.core.policy.model import (
    CLAUSE_ORDER,
    Clause,
    CrisisLine,
    CrisisResources,
    EthicsBody,
    ParamValue,
    Policy,
    PracticeDetails,
    ReplyTemplates,
    Severity,
)
from boundaries.core.policy.reminders import parse_reminders
from boundaries.core.policy.schema import (
    CLAUSE_PARAMS,
    DEFAULT_FEED_PATH,
    DEFAULT_PLATFORMS,
    DEFAULT_SECURE_CHANNEL,
    DEFAULT_SEVERITIES,
    REPLY_PLACEHOLDERS,
    SCHEMA_VERSION,
    TEXT_PLACEHOLDERS,
    ParamSpec,
)
from boundaries.core.types import ClauseId

__all__ = [
    "CLAUSE_PARAMS",
    "DEFAULT_FEED_PATH",
    "DEFAULT_SECURE_CHANNEL",
    "DEFAULT_SEVERITIES",
    "REPLY_PLACEHOLDERS",
    "SCHEMA_VERSION",
    "TEXT_PLACEHOLDERS",
    "KeyPath",
    "ParamSpec",
    "display_phone",
    "dotted",
    "load_policy",
    "locate_keys",
]

_TOP_KEYS = ("schema", "practice", "clauses", "crisis", "replies", "reminders")
_PRACTICE_KEYS = (
    "name",
    "therapist",
    "country",
    "timezone",
    "phone",
    "email",
    "website",
    "professional_body",
)
_BODY_KEYS = ("name", "short_name", "address", "url", "phone")
_CLAUSE_KEYS = ("enabled", "severity", "title", "text", "params")
_CRISIS_KEYS = ("emergency", "lines")
_LINE_KEYS = ("name", "contact", "description")
_REPLY_KEYS = ("crisis", "redirect_social", "redirect_channel", "secure_channel")
_EMAIL = re.compile(r"^[^@\s<>(),;:\"\[\]]+@[a-z0-9-]+(\.[a-z0-9-]+)+$")
# Messages avoid "[word]": the CLI prints them through rich, which reads that as markup.
_NOTHING = object()  # no value was found: the error says what was expected, not what was got
_TOML_POSITION = re.compile(r"\s*\((?:at line (\d+), column (\d+)|at end of document)\)\s*$")


def load_policy(source: str, filename: str = "policy.toml") -> Policy:
    """Parse and validate policy.toml text; raise ``PolicyError`` naming the first problem."""
    source = source.removeprefix("\ufeff")
    try:
        data = tomllib.loads(source)
    except tomllib.TOMLDecodeError as error:
        raise _syntax_error(error, source, filename) from None
    except RecursionError:
        # tomllib parses nested arrays and inline tables recursively, with no depth limit of
        # its own: a few hundred levels exhaust Python's stack. No policy nests beyond three.
        raise PolicyError(
            "valid TOML",
            filename=filename,
            message="not valid TOML: arrays or inline tables nested too deeply",
        ) from None
    return _Loader(filename, locate_keys(source)).policy(data)


def _syntax_error(error: tomllib.TOMLDecodeError, source: str, filename: str) -> PolicyError:
    text = str(error)
    match = _TOML_POSITION.search(text)
    line: int | None = None
    detail = text
    if match is not None:
        detail = text[: match.start()]
        if match.group(1):
            line = int(match.group(1))
            detail += f" (column {match.group(2)})"
        else:
            line = max(1, len(source.splitlines()))
            detail += " (at the end of the file)"
    detail = detail[:1].lower() + detail[1:]
    return PolicyError(
        "valid TOML", filename=filename, line=line, message=f"not valid TOML: {detail}"
    )


# ---------------------------------------------------------------------------- validation


class _Loader:
    """Walks the parsed document; knows where each key was written, to report it."""

    def __init__(self, filename: str, lines: Mapping[KeyPath, int]) -> None:
        self.filename = filename
        self.lines = lines

    # -- errors

    def fail(
        self,
        path: KeyPath,
        expected: str,
        *,
        got: object = _NOTHING,
        message: str | None = None,
    ) -> NoReturn:
        raise PolicyError(
            expected,
            filename=self.filename,
            line=nearest_line(self.lines, path),
            key=dotted(path) or None,
            got=None if got is _NOTHING or message is not None else _describe(got),
            message=message,
        )

    def missing(self, path: KeyPath, expected: str) -> NoReturn:
        self.fail(path, expected, message=f"missing; expected {expected}")

    # -- shapes

    def table(
        self, value: object, path: KeyPath, allowed: Collection[str], what: str = "a table"
    ) -> dict[str, object]:
        if not isinstance(value, dict):
            self.fail(path, what, got=value)
        for key in value:
            if key not in allowed:
                self.unknown(path, key, allowed)
        return value

    def unknown(self, path: KeyPath, key: str, allowed: Collection[str]) -> NoReturn:
        expected = "one of " + ", ".join(allowed) if allowed else "no keys here"
        message = "unknown key"
        close = difflib.get_close_matches(key, list(allowed), n=1, cutoff=0.6)
        if close:
            message += f' (did you mean "{close[0]}"?)'
        elif allowed:
            message += f" (expected {expected})"
        else:
            message += " (this table takes no keys)"
        self.fail((*path, key), expected, message=message)

    def text(
        self,
        table: Mapping[str, object],
        path: KeyPath,
        key: str,
        *,
        what: str = "a string",
        default: str | None = None,
        allow_empty: bool = False,
        multiline: bool = False,
    ) -> str:
        if key not in table:
            if default is not None:
                return default
            self.missing((*path, key), what)
        value = table[key]
        if not isinstance(value, str):
            self.fail((*path, key), what, got=value)
        if not allow_empty and not value.strip():
            self.fail((*path, key), what, message=f"empty; expected {what}")
        if not multiline and "\n" in value.strip():
            self.fail((*path, key), f"{what} on one line", got=value)
        return value.strip()

    def boolean(self, table: Mapping[str, object], path: KeyPath, key: str) -> bool:
        if key not in table:
            self.missing((*path, key), "true or false")
        value = table[key]
        if not isinstance(value, bool):
            self.fail((*path, key), "true or false", got=value)
        return value

    # -- the document

    def policy(self, data: Mapping[str, object]) -> Policy:
        self.table(data, (), _TOP_KEYS)
        if "schema" in data and (
            isinstance(data["schema"], bool) or data["schema"] != SCHEMA_VERSION
        ):
            self.fail(("schema",), f"{SCHEMA_VERSION} (the only schema so far)", got=data["schema"])
        if "practice" not in data:
            self.missing(("practice",), "a practice table")
        practice = self.practice(data["practice"])
        if "clauses" not in data:
            self.missing(("clauses",), "a clauses table with each of the nine clauses")
        raw_clauses = self.clauses_table(data["clauses"])
        params = {
            clause_id: self.params(clause_id, raw, practice)
            for clause_id, raw in raw_clauses.items()
        }
        secure_channel = str(
            params[ClauseId.SESSION_CONTENT_EMAIL].get("secure_channel", DEFAULT_SECURE_CHANNEL)
        )
        feed_url = str(
            params[ClauseId.AMENDMENTS].get(
                "feed_url", practice.website.rstrip("/") + DEFAULT_FEED_PATH
            )
        )
        appointments_phone = str(params[ClauseId.NO_SOCIAL_BUSINESS].get("phone", practice.phone))
        if appointments_phone != practice.phone:
            practice = _replace_phone(practice, appointments_phone)
        platforms = params[ClauseId.NO_CONNECTIONS].get("platforms", DEFAULT_PLATFORMS)
        values = _text_values(practice, secure_channel, feed_url, platforms)
        clauses = {
            clause_id: self.clause(clause_id, raw_clauses[clause_id], params[clause_id], values)
            for clause_id in CLAUSE_ORDER
        }
        if "crisis" not in data:
            self.missing(("crisis",), f"a crisis.{practice.country} table")
        crisis = self.crisis(data["crisis"], practice.country)
        if "replies" not in data:
            self.missing(("replies",), "a replies table")
        replies = self.replies(data["replies"])
        reminders = None
        if "reminders" in data:  # core.policy.reminders checks the table
            names = (practice.name, practice.therapist_name, practice.professional_body.short_name)
            reminders = parse_reminders(data["reminders"], self, names=names)
        return Policy(
            practice=practice,
            clauses=clauses,
            crisis=crisis,
            replies=replies,
            secure_channel_name=secure_channel,
            feed_url=feed_url,
            reminders=reminders,
        )

    def practice(self, value: object) -> PracticeDetails:
        path: KeyPath = ("practice",)
        table = self.table(value, path, _PRACTICE_KEYS)
        name = self.text(table, path, "name", what="a string (the practice's name)")
        therapist = self.text(table, path, "therapist", what="a string (the therapist's name)")
        country = self.country(table, path, "country")
        timezone = self.timezone(table, path)
        phone = self.phone(table, path, "phone", country)
        email = self.email(table, path, "email")
        website = self.url(table, path, "website")
        if "professional_body" not in table:
            self.missing((*path, "professional_body"), "a practice.professional_body table")
        body = self.professional_body(table["professional_body"], country)
        return PracticeDetails(
            name=name,
            therapist_name=therapist,
            country=country,
            timezone=timezone,
            phone=phone,
            email=email,
            website=website,
            professional_body=body,
        )

    def professional_body(self, value: object, country: str) -> EthicsBody:
        path: KeyPath = ("practice", "professional_body")
        table = self.table(value, path, _BODY_KEYS)
        return EthicsBody(
            name=self.text(table, path, "name", what="a string (the body's full name)"),
            short_name=self.text(table, path, "short_name", what='a string, e.g. "UKCP"'),
            address=self.text(table, path, "address", what="a string (a postal address)"),
            url=self.url(table, path, "url"),
            phone=self.phone(table, path, "phone", country) if "phone" in table else None,
        )

    def clauses_table(self, value: object) -> dict[ClauseId, dict[str, object]]:
        path: KeyPath = ("clauses",)
        known = [clause_id.value for clause_id in CLAUSE_ORDER]
        if not isinstance(value, dict):
            self.fail(path, "a table of clauses", got=value)
        for key in value:
            if key == ClauseId.SAFETY.value:
                self.fail(
                    (*path, key),
                    "one of " + ", ".join(known),
                    message="safety is not a clause: it overrides every clause and "
                    "cannot be configured or switched off",
                )
            if key not in known:
                self.unknown(path, key, known)
        found: dict[ClauseId, dict[str, object]] = {}
        for clause_id in CLAUSE_ORDER:
            if clause_id.value not in value:
                self.fail(
                    (*path, clause_id.value),
                    "all nine clauses",
                    message=f"missing clause {clause_id.value} "
                    "(list every clause; set enabled = false to switch one off)",
                )
            clause_path = (*path, clause_id.value)
            found[clause_id] = self.table(value[clause_id.value], clause_path, _CLAUSE_KEYS)
        return found

    def params(
        self, clause_id: ClauseId, raw: Mapping[str, object], practice: PracticeDetails
    ) -> dict[str, ParamValue]:
        """The clause's parameters with defaults filled in; none for a disabled clause."""
        path: KeyPath = ("clauses", clause_id.value)
        enabled = self.boolean(raw, path, "enabled")
        specs = CLAUSE_PARAMS[clause_id]
        if "params" in raw and not enabled:
            self.fail(
                (*path, "params"),
                "no parameters for a disabled clause",
                message="a disabled clause takes no parameters "
                "(remove the params table, or set enabled = true)",
            )
        if not enabled:
            return {}
        params_path = (*path, "params")
        table = self.table(raw.get("params", {}), params_path, tuple(specs))
        result: dict[str, ParamValue] = {}
        for name, spec in specs.items():
            if name in table:
                result[name] = self.param(table, params_path, name, spec, practice)
            elif spec.default is not None:
                result[name] = spec.default
            elif spec.kind == "phone":
                result[name] = practice.phone
            elif spec.kind == "url":
                result[name] = practice.website.rstrip("/") + DEFAULT_FEED_PATH
        return result

    def param(
        self,
        table: Mapping[str, object],
        path: KeyPath,
        name: str,
        spec: ParamSpec,
        practice: PracticeDetails,
    ) -> ParamValue:
        if spec.kind == "bool":
            return self.boolean(table, path, name)
        if spec.kind == "phone":
            return self.phone(table, path, name, practice.country)
        if spec.kind == "url":
            return self.url(table, path, name)
        if spec.kind == "text_list":
            value = table[name]
            what = 'an array of strings, e.g. ["Facebook", "Instagram"]'
            if not isinstance(value, list) or not value:
                self.fail((*path, name), what, got=value)
            for index, item in enumerate(value):
                if not isinstance(item, str) or not item.strip():
                    self.fail((*path, name, index), "a non-empty string", got=item)
            return tuple(item.strip() for item in value)
        return self.text(table, path, name)

    def clause(
        self,
        clause_id: ClauseId,
        raw: Mapping[str, object],
        params: Mapping[str, ParamValue],
        values: Mapping[str, str],
    ) -> Clause:
        path: KeyPath = ("clauses", clause_id.value)
        enabled = self.boolean(raw, path, "enabled")
        severity = DEFAULT_SEVERITIES[clause_id]
        if "severity" in raw:
            chosen = raw["severity"]
            if not isinstance(chosen, str) or chosen not in {s.value for s in Severity}:
                self.fail((*path, "severity"), '"block" or "warn"', got=chosen)
            severity = Severity(str(chosen))
        if enabled:
            title = self.text(raw, path, "title", what="a string (the clause's heading)")
            text = self.text(
                raw, path, "text", what="a string (the published wording)", multiline=True
            )
        else:  # kept as written, ready for when the clause is switched back on
            title = self.text(raw, path, "title", default=_DEFAULT_TITLES[clause_id])
            text = self.text(raw, path, "text", default="", multiline=True)
        title = self.fill((*path, "title"), title, values)
        text = self.fill((*path, "text"), text, values)
        return Clause(
            id=clause_id,
            enabled=enabled,
            severity=severity,
            title=title,
            text=text,
            params=dict(params),
        )

    def fill(self, path: KeyPath, text: str, values: Mapping[str, str]) -> str:
        self.placeholders(path, text, frozenset(values))
        return text.format_map(values)

    def placeholders(self, path: KeyPath, text: str, allowed: frozenset[str]) -> None:
        known = ", ".join("{" + name + "}" for name in sorted(allowed))
        try:
            fields = [
                (name, spec, conversion)
                for _, name, spec, conversion in string.Formatter().parse(text)
                if name is not None
            ]
        except ValueError:
            self.fail(
                path,
                "balanced braces",
                message="a { or } without its pair (write {{ or }} for a literal brace)",
            )
        for name, spec, conversion in fields:
            if name not in allowed or spec or conversion:
                placeholder = "{" + name + ("!" + conversion if conversion else "")
                placeholder += (":" + spec if spec else "") + "}"
                close = difflib.get_close_matches(name, sorted(allowed), n=1, cutoff=0.6)
                hint = f'did you mean "{{{close[0]}}}"?' if close else f"known: {known}"
                self.fail(
                    path,
                    f"one of {known}",
                    message=f"unknown placeholder {placeholder} ({hint})",
                )

    def crisis(self, value: object, practice_country: str) -> dict[str, CrisisResources]:
        path: KeyPath = ("crisis",)
        if not isinstance(value, dict):
            self.fail(path, "a table of countries, e.g. crisis.GB", got=value)
        resources: dict[str, CrisisResources] = {}
        for key, entry in value.items():
            country = self.country_code(key, (*path, key))
            if country in resources:
                self.fail((*path, key), "each country once", message=f"{country} is listed twice")
            resources[country] = self.crisis_country(entry, (*path, key), country)
        if practice_country not in resources:
            self.fail(
                path,
                f"a crisis.{practice_country} table",
                message=f"no crisis resources for the practice's own country "
                f"(add a crisis.{practice_country} table): every automated reply needs them",
            )
        # The practice's own country first, then the rest by code: stable and predictable.
        order = [practice_country, *sorted(c for c in resources if c != practice_country)]
        return {country: resources[country] for country in order}

    def crisis_country(self, value: object, path: KeyPath, country: str) -> CrisisResources:
        table = self.table(value, path, _CRISIS_KEYS)
        emergency = self.text(table, path, "emergency", what='a string, e.g. "999"')
        if "lines" not in table:
            self.missing((*path, "lines"), f"at least one crisis.{country}.lines entry")
        raw_lines = table["lines"]
        if not isinstance(raw_lines, list) or not raw_lines:
            self.fail((*path, "lines"), f"at least one crisis.{country}.lines entry", got=raw_lines)
        lines = []
        for index, raw in enumerate(raw_lines):
            line_path = (*path, "lines", index)
            entry = self.table(raw, line_path, _LINE_KEYS, what="a table (name, contact, ...)")
            lines.append(
                CrisisLine(
                    name=self.text(entry, line_path, "name", what='a string, e.g. "Samaritans"'),
                    contact=self.text(entry, line_path, "contact", what='a string, e.g. "116 123"'),
                    description=self.text(
                        entry, line_path, "description", what="a string (when to use it)"
                    ),
                )
            )
        return CrisisResources(country=country, emergency=emergency, lines=tuple(lines))

    def replies(self, value: object) -> ReplyTemplates:
        path: KeyPath = ("replies",)
        table = self.table(value, path, _REPLY_KEYS)
        texts: dict[str, str] = {}
        for key in _REPLY_KEYS:
            text = self.text(
                table, path, key, what="a string (the reply's wording)", multiline=True
            )
            self.placeholders((*path, key), text, REPLY_PLACEHOLDERS)
            texts[key] = text
        return ReplyTemplates(**texts)

    # -- values with a meaning

    def country(self, table: Mapping[str, object], path: KeyPath, key: str) -> str:
        value = self.text(table, path, key, what='a country code, e.g. "GB" or "US"')
        return self.country_code(value, (*path, key))

    def country_code(self, value: str, path: KeyPath) -> str:
        code = value.strip().upper()
        if code not in phonenumbers.SUPPORTED_REGIONS:
            hint = ' (the United Kingdom is "GB")' if code == "UK" else ""
            self.fail(path, f'a two-letter ISO country code such as "GB" or "US"{hint}', got=value)
        return code

    def timezone(self, table: Mapping[str, object], path: KeyPath) -> str:
        value = self.text(table, path, "timezone", what='a timezone, e.g. "Europe/London"')
        try:
            zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            close = difflib.get_close_matches(value, sorted(_timezones()), n=1, cutoff=0.6)
            hint = f'did you mean "{close[0]}"?' if close else 'e.g. "Europe/London"'
            self.fail((*path, "timezone"), f"an IANA timezone ({hint})", got=value)
        return value

    def phone(self, table: Mapping[str, object], path: KeyPath, key: str, country: str) -> str:
        value = self.text(table, path, key, what='a phone number, e.g. "+44 20 7946 0123"')
        try:
            return normalise_phone(value, country)
        except ContactError:
            self.fail(
                (*path, key), f"a phone number valid in {country} (or +country code)", got=value
            )

    def email(self, table: Mapping[str, object], path: KeyPath, key: str) -> str:
        value = self.text(table, path, key, what="an email address")
        address = value.strip()
        local, _, domain = address.rpartition("@")
        candidate = f"{local}@{domain.lower()}"
        if not _EMAIL.match(candidate) or ".." in address:
            self.fail((*path, key), "an email address like name@example.org", got=value)
        return candidate

    def url(self, table: Mapping[str, object], path: KeyPath, key: str) -> str:
        value = self.text(table, path, key, what="a web address starting with https://")
        parts = urlsplit(value)
        host = parts.hostname or ""
        ok = (
            parts.scheme in {"https", "http"}
            and bool(host)
            and ("." in host or host == "localhost")
            and not any(char.isspace() for char in value)
        )
        if not ok:
            hint = " (add https:// in front)" if "://" not in value else ""
            self.fail((*path, key), f"a web address starting with https://{hint}", got=value)
        return value


_DEFAULT_TITLES: Mapping[ClauseId, str] = {
    ClauseId.NO_CONNECTIONS: "No connections with clients",
    ClauseId.NO_SOCIAL_BUSINESS: "No practice business over social media",
    ClauseId.REVIEWS: "Review sites",
    ClauseId.NO_ENDORSEMENTS: "No endorsement requests",
    ClauseId.LOCATION: "Location services",
    ClauseId.NO_SEARCHING: "No searching for clients",
    ClauseId.NO_FOLLOWING: "No following clients' content",
    ClauseId.SESSION_CONTENT_EMAIL: "Email is not for session content",
    ClauseId.AMENDMENTS: "Questions and amendments",
}


def _timezones() -> set[str]:
    return zoneinfo.available_timezones()


def _replace_phone(practice: PracticeDetails, phone: str) -> PracticeDetails:
    return PracticeDetails(
        name=practice.name,
        therapist_name=practice.therapist_name,
        country=practice.country,
        timezone=practice.timezone,
        phone=phone,
        email=practice.email,
        website=practice.website,
        professional_body=practice.professional_body,
    )


def display_phone(e164: str) -> str:
    """``+442079460123`` -> ``+44 20 7946 0123``: how a number is printed for people."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def _text_values(
    practice: PracticeDetails, secure_channel: str, feed_url: str, platforms: ParamValue
) -> dict[str, str]:
    body = practice.professional_body
    names = list(platforms) if isinstance(platforms, tuple) else [str(platforms)]
    return {
        "practice": practice.name,
        "therapist": practice.therapist_name,
        "phone": display_phone(practice.phone),
        "email": practice.email,
        "website": practice.website,
        "ethics_body": body.name,
        "ethics_body_short": body.short_name,
        "ethics_body_url": body.url,
        "ethics_body_address": body.address,
        "secure_channel": secure_channel,
        "feed_url": feed_url,
        "platforms": _join_words(names),
    }


def _join_words(words: list[str]) -> str:
    """``["a", "b", "c"]`` -> ``a, b and c``."""
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def _describe(value: object) -> str:
    """A value as the file spelled it, short enough for one line."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        shown = value if len(value) <= 60 else value[:57] + "..."
        return json.dumps(shown, ensure_ascii=False)
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "an array" if value else "an empty array"
    if isinstance(value, datetime | date | time):
        return f"the date/time {value.isoformat()}"
    return type(value).__name__
