"""Placeholders left in a policy.toml: values that stand in for the practice's own.

The US template cannot know which state board licenses a therapist, so it ships
with a stand-in board that a reader can see is not real; a policy copied from an
example may carry an example's address. ``boundaries policy check`` refuses such
a file, naming the key and line, so that no placeholder is ever published as a
promise.

A value is a placeholder when any of these is in it, in any string of the file
(titles, texts, replies and crisis lines included):

- a domain reserved for examples and documentation: ``example.com``,
  ``example.org`` or ``example.net``, or any name under them
  (``www.example.org``, ``hello@example.com``);
- an instruction to whoever edits the file: "replace with", "replace-with",
  "replace me", "replace this", the word REPLACE in capitals, "EDIT THIS",
  TODO, TBD, FIXME, XXX, "lorem ipsum", a bracketed ``[your ...]`` or
  ``<your ...>``, "your name here", a made-up address such as
  ``yourpractice.com`` or ``your.name@``;
- a North American number in the 555 exchange (``+1 202 555 0143``,
  ``(212) 555-0100``), which films and templates use because it reaches no one.

Deliberately not placeholders, because the fictional demo practice and the
documentation use them and they can be published without misleading anyone
about who to contact: the reserved top-level domains (``riverside-therapy.example``,
``.test``, ``.invalid``) and the UK numbers Ofcom keeps for drama
(``020 7946 0xxx``). A practice that publishes one of those publishes an address
that plainly does not work; the checks above catch what looks like it might.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from boundaries.core.policy.errors import PolicyError
from boundaries.core.policy.key_lines import KeyPath, dotted, locate_keys, nearest_line

__all__ = [
    "Placeholder",
    "find_placeholders",
    "placeholder_reason",
    "placeholders_in",
    "require_no_placeholders",
]

_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(r"(?<![\w-])(?:[\w-]+\.)*example\.(?:com|org|net)(?![\w-])", re.IGNORECASE),
        "example.com, example.org and example.net are reserved for examples",
    ),
    (
        re.compile(
            r"\breplace[\s_-]+(?:with|me)\b|(?-i:\bREPLACE\b)|\bedit\s+this\b|"
            r"(?-i:\b(?:TODO|TBD|FIXME|XXX+)\b)|\blorem\s+ipsum\b|\byour\s+\w+\s+here\b|"
            r"\[[^\[\]\n]{0,40}\byour\b[^\[\]\n]{0,40}\]|<[^<>\n]{0,40}\byour\b[^<>\n]{0,40}>|"
            r"(?<![\w-])your[-_]?(?:practice|domain|website|site|company|business|clinic|"
            r"board)\.[a-z]|(?<![\w.-])your[-_.]?name@",
            re.IGNORECASE,
        ),
        "it is an instruction to whoever edits the file, not the practice's own detail",
    ),
    (
        re.compile(r"(?<![\d+])(?:\+?1[\s.-]*)?\(?[2-9]\d{2}\)?[\s.-]*555[\s.-]*\d{4}(?!\d)"),
        "numbers in the 555 exchange are reserved for fiction and reach no one",
    ),
)


@dataclass(frozen=True, slots=True)
class Placeholder:
    """One value that still needs the practice's own detail."""

    path: KeyPath
    value: str
    reason: str

    @property
    def key(self) -> str:
        return dotted(self.path)


def placeholder_reason(value: str) -> str | None:
    """Why ``value`` is a placeholder, or None when it reads as a real detail."""
    for pattern, reason in _RULES:
        if pattern.search(value):
            return reason
    return None


def _walk(value: object, path: KeyPath) -> Iterator[tuple[KeyPath, str]]:
    """Every string in a parsed TOML document, with where it is; tables and arrays walked."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _walk(item, (*path, str(key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _walk(item, (*path, index))


def placeholders_in(document: Mapping[str, object]) -> tuple[Placeholder, ...]:
    """Every placeholder in a parsed policy.toml, every string value visited, in order."""
    found = []
    for path, value in _walk(document, ()):
        reason = placeholder_reason(value)
        if reason is not None:
            found.append(Placeholder(path, value, reason))
    return tuple(found)


def find_placeholders(source: str) -> tuple[Placeholder, ...]:
    """Every placeholder in policy.toml text, in file order. The text must parse as TOML
    (run ``load_policy`` first: it reports syntax errors with their line)."""
    return placeholders_in(tomllib.loads(source.removeprefix("\ufeff")))


def require_no_placeholders(source: str, filename: str = "policy.toml") -> None:
    """Raise ``PolicyError`` naming the first placeholder's key and line, and the others."""
    found = find_placeholders(source)
    if not found:
        return
    lines = locate_keys(source.removeprefix("\ufeff"))
    first, rest = found[0], found[1:]
    shown = first.value if len(first.value) <= 80 else first.value[:77] + "..."
    message = f'still a placeholder, "{shown}" ({first.reason}): write the real value'
    if rest:
        others = ", ".join(_where(p, lines) for p in rest)
        message += f"; also still placeholders: {others}"
    raise PolicyError(
        "the practice's own detail",
        filename=filename,
        line=nearest_line(lines, first.path),
        key=first.key,
        message=message,
    )


def _where(placeholder: Placeholder, lines: Mapping[KeyPath, int]) -> str:
    line = nearest_line(lines, placeholder.path)
    return placeholder.key if line is None else f"{placeholder.key} (line {line})"
