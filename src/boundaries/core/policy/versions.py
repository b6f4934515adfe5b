"""Published versions of the policy: stored as JSON, identified by hash, compared word by word.

A published version is stored as ``policy_to_dict`` (plain JSON) rather than as
the TOML it came from, so a version reads back exactly as it was published
even after the loader's defaults change. ``content_hash`` covers everything a
client is bound by and nothing about publication (the effective date and the
change summary), so publishing the same policy twice is recognised as "nothing
changed". ``diff_policies`` is what the public "what changed" page and
``boundaries policy diff`` show (clause ``amendments``).
"""

from __future__ import annotations

import difflib
import enum
import hashlib
import html
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from boundaries.core.policy import model
from boundaries.core.policy.model import CLAUSE_ORDER, Clause, ParamValue, Policy
from boundaries.core.policy.reminders import ReminderTemplate, ReminderTemplates
from boundaries.core.types import ClauseId

__all__ = [
    "DICT_FORMAT",
    "Change",
    "ChangeKind",
    "PolicyDiff",
    "Segment",
    "content_hash",
    "diff_policies",
    "policy_from_dict",
    "policy_to_dict",
    "render_diff_html",
    "render_diff_text",
    "word_diff",
]

#: The version of the stored JSON layout; ``policy_from_dict`` refuses a newer one.
DICT_FORMAT = 1
#: Publication details, not content: they never change the hash.
_NOT_CONTENT = ("effective_date", "summary")


# ---------------------------------------------------------------------------- to and from JSON


def policy_to_dict(policy: Policy) -> dict[str, Any]:
    """The policy as JSON-safe data (str, bool, int, list, dict, None only)."""
    practice = policy.practice
    body = practice.professional_body
    return {
        "format": DICT_FORMAT,
        "practice": {
            "name": practice.name,
            "therapist_name": practice.therapist_name,
            "country": practice.country,
            "timezone": practice.timezone,
            "phone": practice.phone,
            "email": practice.email,
            "website": practice.website,
            "professional_body": {
                "name": body.name,
                "short_name": body.short_name,
                "address": body.address,
                "url": body.url,
                "phone": body.phone,
            },
        },
        "clauses": {
            str(clause_id): {
                "enabled": clause.enabled,
                "severity": clause.severity.value,
                "title": clause.title,
                "text": clause.text,
                "params": {name: _param_to_json(value) for name, value in clause.params.items()},
            }
            for clause_id, clause in policy.clauses.items()
        },
        "crisis": {
            code: {
                "country": resources.country,
                "emergency": resources.emergency,
                "lines": [
                    {"name": line.name, "contact": line.contact, "description": line.description}
                    for line in resources.lines
                ],
            }
            for code, resources in policy.crisis.items()
        },
        "replies": {
            "crisis": policy.replies.crisis,
            "redirect_social": policy.replies.redirect_social,
            "redirect_channel": policy.replies.redirect_channel,
            "secure_channel": policy.replies.secure_channel,
        },
        "secure_channel_name": policy.secure_channel_name,
        "feed_url": policy.feed_url,
        "effective_date": policy.effective_date,
        "summary": policy.summary,
        # Only when the file has the table, so versions published before it keep their hash.
        **({"reminders": _reminders_to_dict(policy.reminders)} if policy.reminders else {}),
    }


def _reminders_to_dict(reminders: ReminderTemplates) -> dict[str, Any]:
    levels = {"full": reminders.full, "discreet": reminders.discreet, "minimal": reminders.minimal}
    return {
        "sender_name": reminders.sender_name,
        **{name: {"subject": t.subject, "text": t.text} for name, t in levels.items()},
    }


def _reminders_from_dict(data: Mapping[str, Any] | None) -> ReminderTemplates | None:
    if data is None:
        return None
    return ReminderTemplates(
        sender_name=data["sender_name"],
        **{
            name: ReminderTemplate(subject=data[name]["subject"], text=data[name]["text"])
            for name in ("full", "discreet", "minimal")
        },
    )


def _param_to_json(value: ParamValue) -> str | bool | int | list[str]:
    return list(value) if isinstance(value, tuple) else value


def _param_from_json(value: Any) -> ParamValue:
    if isinstance(value, list):
        return tuple(str(item) for item in value)
    if isinstance(value, str | bool | int):
        return value
    raise ValueError(f"a clause parameter must be text, true/false, a number or a list: {value!r}")


def policy_from_dict(data: Mapping[str, Any]) -> Policy:
    """The exact inverse of ``policy_to_dict``; the order of keys does not matter."""
    if data.get("format", DICT_FORMAT) != DICT_FORMAT:
        raise ValueError(f"stored policy format {data.get('format')!r} is newer than this code")
    practice = data["practice"]
    body = practice["professional_body"]
    return Policy(
        practice=model.PracticeDetails(
            name=practice["name"],
            therapist_name=practice["therapist_name"],
            country=practice["country"],
            timezone=practice["timezone"],
            phone=practice["phone"],
            email=practice["email"],
            website=practice["website"],
            professional_body=model.EthicsBody(
                name=body["name"],
                short_name=body["short_name"],
                address=body["address"],
                url=body["url"],
                phone=body.get("phone"),
            ),
        ),
        clauses=_ordered_clauses(
            {
                ClauseId(key): Clause(
                    id=ClauseId(key),
                    enabled=bool(clause["enabled"]),
                    severity=model.Severity(clause["severity"]),
                    title=clause["title"],
                    text=clause["text"],
                    params={
                        name: _param_from_json(value)
                        for name, value in clause.get("params", {}).items()
                    },
                )
                for key, clause in data["clauses"].items()
            }
        ),
        crisis={
            code: model.CrisisResources(
                country=resources["country"],
                emergency=resources["emergency"],
                lines=tuple(
                    model.CrisisLine(
                        name=line["name"], contact=line["contact"], description=line["description"]
                    )
                    for line in resources["lines"]
                ),
            )
            for code, resources in data["crisis"].items()
        },
        replies=model.ReplyTemplates(
            crisis=data["replies"]["crisis"],
            redirect_social=data["replies"]["redirect_social"],
            redirect_channel=data["replies"]["redirect_channel"],
            secure_channel=data["replies"]["secure_channel"],
        ),
        secure_channel_name=data["secure_channel_name"],
        feed_url=data["feed_url"],
        effective_date=data.get("effective_date"),
        summary=data.get("summary", ""),
        reminders=_reminders_from_dict(data.get("reminders")),
    )


def _ordered_clauses(clauses: dict[ClauseId, Clause]) -> dict[ClauseId, Clause]:
    """Publication order whatever order the stored JSON came back in."""
    order = {clause_id: index for index, clause_id in enumerate(CLAUSE_ORDER)}
    return dict(sorted(clauses.items(), key=lambda item: (order.get(item[0], 99), item[0])))


def content_hash(policy: Policy) -> str:
    """sha256 of the canonical JSON of the content (not the effective date or summary)."""
    data = policy_to_dict(policy)
    for key in _NOT_CONTENT:
        data.pop(key)
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


# ---------------------------------------------------------------------------- differences


class ChangeKind(enum.StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of words in a word diff: ``op`` is "equal", "delete" or "insert"."""

    op: str
    text: str


@dataclass(frozen=True, slots=True)
class Change:
    """One field that differs. ``clause`` is set for a clause's fields."""

    section: str  # "practice", "clauses", "crisis", "replies", "channels" or "reminders"
    field: str  # within the section, e.g. "reviews.text", "GB.lines", "name"
    label: str  # for people: "Review sites (reviews): text"
    kind: ChangeKind
    old: str | None
    new: str | None
    clause: ClauseId | None = None

    def words(self) -> tuple[Segment, ...]:
        """The difference word by word (for an added or removed field, the whole text)."""
        return word_diff(self.old or "", self.new or "")


@dataclass(frozen=True, slots=True)
class PolicyDiff:
    changes: tuple[Change, ...]

    def __bool__(self) -> bool:
        return bool(self.changes)

    def __len__(self) -> int:
        return len(self.changes)

    def for_clause(self, clause_id: ClauseId) -> tuple[Change, ...]:
        return tuple(change for change in self.changes if change.clause == clause_id)

    @property
    def clauses(self) -> tuple[ClauseId, ...]:
        """The clauses that changed, in publication order."""
        changed = {change.clause for change in self.changes if change.clause is not None}
        return tuple(clause_id for clause_id in CLAUSE_ORDER if clause_id in changed)


@dataclass(frozen=True, slots=True)
class _Field:
    section: str
    field: str
    label: str
    value: str
    clause: ClauseId | None = None


_PRACTICE_LABELS = {
    "name": "Practice name",
    "therapist_name": "Therapist",
    "country": "Country",
    "timezone": "Timezone",
    "phone": "Telephone for appointments",
    "email": "Email",
    "website": "Website",
}
_BODY_LABELS = {
    "name": "Professional body",
    "short_name": "Professional body (short name)",
    "address": "Professional body's address",
    "url": "Professional body's website",
    "phone": "Professional body's telephone",
}
_REPLY_LABELS = {
    "crisis": "Automatic reply to a message suggesting risk",
    "redirect_social": "Automatic reply on social media",
    "redirect_channel": "Automatic reply on a channel not agreed",
    "secure_channel": "Automatic reply suggesting the secure channel",
}


def _show(value: ParamValue | None) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, tuple):
        return ", ".join(value)
    return str(value)


def _fields(policy: Policy) -> Iterator[_Field]:
    practice = policy.practice
    for name, label in _PRACTICE_LABELS.items():
        yield _Field("practice", name, label, str(getattr(practice, name)))
    body = practice.professional_body
    for name, label in _BODY_LABELS.items():
        value = getattr(body, name)
        if value is not None:
            yield _Field("practice", f"professional_body.{name}", label, str(value))
    for clause_id, clause in _ordered_clauses(dict(policy.clauses)).items():
        prefix = f"{clause.title} ({clause_id})"
        values: dict[str, str] = {
            "enabled": _show(clause.enabled),
            "severity": clause.severity.value,
            "title": clause.title,
            "text": clause.text,
        }
        values.update({f"params.{k}": _show(v) for k, v in sorted(clause.params.items())})
        for name, value in values.items():
            label = f"{prefix}: {name.replace('params.', '')}"
            yield _Field("clauses", f"{clause_id}.{name}", label, value, clause_id)
    for code, resources in sorted(policy.crisis.items()):
        yield _Field(
            "crisis", f"{code}.emergency", f"Emergency number ({code})", resources.emergency
        )
        lines = "\n".join(
            f"{line.name}: {line.contact}. {line.description}" for line in resources.lines
        )
        yield _Field("crisis", f"{code}.lines", f"Crisis lines ({code})", lines)
    for name, label in _REPLY_LABELS.items():
        yield _Field("replies", name, label, getattr(policy.replies, name))
    yield _Field("channels", "secure_channel_name", "Secure channel", policy.secure_channel_name)
    yield _Field("channels", "feed_url", "Feed of amendments", policy.feed_url)
    reminders = policy.reminder_templates
    yield _Field("reminders", "sender_name", "Reminders: sender name", reminders.sender_name)
    for level in ("full", "discreet", "minimal"):
        template = getattr(reminders, level)
        for part in ("subject", "text"):
            label = f"Reminders ({level}): {part}"
            yield _Field("reminders", f"{level}.{part}", label, getattr(template, part))


def diff_policies(old: Policy, new: Policy) -> PolicyDiff:
    """Every field that differs between two versions, in the order the policy reads."""
    before = {(f.section, f.field): f for f in _fields(old)}
    after = {(f.section, f.field): f for f in _fields(new)}
    changes: list[Change] = []
    for key, field in after.items():
        previous = before.get(key)
        if previous is None:
            changes.append(_change(field, ChangeKind.ADDED, None, field.value))
        elif previous.value != field.value:
            changes.append(_change(field, ChangeKind.CHANGED, previous.value, field.value))
    for key, field in before.items():
        if key not in after:
            changes.append(_change(field, ChangeKind.REMOVED, field.value, None))
    return PolicyDiff(changes=tuple(changes))


def _change(field: _Field, kind: ChangeKind, old: str | None, new: str | None) -> Change:
    return Change(
        section=field.section,
        field=field.field,
        label=field.label,
        kind=kind,
        old=old,
        new=new,
        clause=field.clause,
    )


_TOKEN = re.compile(r"\s+|\w+(?:['’-]\w+)*|[^\w\s]")


def word_diff(old: str, new: str) -> tuple[Segment, ...]:
    """Word-level difference; runs of the same operation are merged."""
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    segments: list[Segment] = []

    def add(op: str, text: str) -> None:
        if not text:
            return
        if segments and segments[-1].op == op:
            segments[-1] = Segment(op, segments[-1].text + text)
        else:
            segments.append(Segment(op, text))

    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            add("equal", "".join(a[i1:i2]))
        else:
            add("delete", "".join(a[i1:i2]))
            add("insert", "".join(b[j1:j2]))
    return tuple(segments)


def _summary_line(diff: PolicyDiff) -> str:
    count = len(diff)
    if not count:
        return "No changes."
    return f"{count} change{'s' if count != 1 else ''}."


_TEXT_MARKS = {ChangeKind.ADDED: "+", ChangeKind.REMOVED: "-", ChangeKind.CHANGED: "~"}


def render_diff_text(diff: PolicyDiff) -> str:
    """For the terminal: ``[-removed-]{+added+}`` inside each changed field."""
    out = [_summary_line(diff)]
    for change in diff.changes:
        out.append("")
        out.append(f"{_TEXT_MARKS[change.kind]} {change.label} ({change.kind})")
        if change.kind is ChangeKind.ADDED:
            body = f"{{+{change.new}+}}"
        elif change.kind is ChangeKind.REMOVED:
            body = f"[-{change.old}-]"
        else:
            body = "".join(
                segment.text
                if segment.op == "equal"
                else (f"[-{segment.text}-]" if segment.op == "delete" else f"{{+{segment.text}+}}")
                for segment in change.words()
            )
        out.extend("    " + line if line else "" for line in body.splitlines())
    return "\n".join(out)


def _html_text(text: str) -> str:
    return html.escape(text, quote=True).replace("\n", "<br>\n")


def render_diff_html(diff: PolicyDiff) -> str:
    """An HTML fragment with ``<del>`` and ``<ins>``; every text is escaped."""
    out = ['<div class="policy-diff">', f"  <p>{_summary_line(diff)}</p>"]
    for change in diff.changes:
        out.append(f'  <section class="change change-{change.kind}">')
        out.append(f"    <h3>{html.escape(change.label)} <small>({change.kind})</small></h3>")
        if change.kind is ChangeKind.ADDED:
            body = f"<ins>{_html_text(change.new or '')}</ins>"
        elif change.kind is ChangeKind.REMOVED:
            body = f"<del>{_html_text(change.old or '')}</del>"
        else:
            parts = []
            for segment in change.words():
                text = _html_text(segment.text)
                parts.append(
                    text
                    if segment.op == "equal"
                    else (f"<del>{text}</del>" if segment.op == "delete" else f"<ins>{text}</ins>")
                )
            body = "".join(parts)
        out.append(f"    <p>{body}</p>")
        out.append("  </section>")
    out.append("</div>")
    return "\n".join(out) + "\n"
