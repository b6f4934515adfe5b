"""Which line of a policy.toml each key stands on, for errors that name the line.

tomllib gives values without positions. This locator reads the same text a second time,
just far enough to know which line each table header and each ``key = value`` is on. It
only runs on text tomllib has already accepted, so it can stay small: it follows table
headers (``[a.b]``, ``[[a.b]]`` with their indices), dotted and quoted keys, and skips the
inside of multi-line strings and arrays so that text there is never mistaken for a key.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

__all__ = ["KeyPath", "dotted", "locate_keys", "nearest_line"]


#: A key's place in the document: table and key names, with the index of an array element.
KeyPath = tuple[str | int, ...]


def dotted(path: KeyPath) -> str:
    """``("crisis", "GB", "lines", 0, "name")`` -> ``crisis.GB.lines[0].name``."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text


def nearest_line(lines: Mapping[KeyPath, int], path: KeyPath) -> int | None:
    """The line of ``path``, or of the closest enclosing table that is written down."""
    for end in range(len(path), 0, -1):
        line = lines.get(path[:end])
        if line is not None:
            return line
    return None


def locate_keys(text: str) -> dict[KeyPath, int]:
    """Map every table header and key written in ``text`` to its 1-based line number."""
    found: dict[KeyPath, int] = {}
    array_counts: dict[KeyPath, int] = {}
    table: KeyPath = ()
    scanner = _Scanner()
    for number, raw in enumerate(text.splitlines(), start=1):
        if scanner.inside:  # the middle of a multi-line string or array: no keys here
            scanner.feed(raw)
            continue
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.startswith("[["):
            names = _split_key(_header_body(stripped, "[[", "]]"))
            parent = _resolve(names[:-1], array_counts)
            base = (*parent, names[-1])
            index = array_counts.get(base, -1) + 1
            array_counts[base] = index
            table = (*base, index)
            _record(found, table, number)
        elif stripped.startswith("["):
            table = _resolve(_split_key(_header_body(stripped, "[", "]")), array_counts)
            _record(found, table, number)
        else:
            key_text, value = _split_assignment(stripped)
            if key_text is None:
                continue
            _record(found, (*table, *_split_key(key_text)), number)
            scanner.feed(value)
    return found


def _record(found: dict[KeyPath, int], path: KeyPath, number: int) -> None:
    """A dotted key or header also defines its parents, at the first line they appear."""
    for end in range(1, len(path) + 1):
        found.setdefault(path[:end], number)


def _resolve(names: Iterable[str], array_counts: Mapping[KeyPath, int]) -> KeyPath:
    """Inside ``[[a]]``, ``[a.b]`` belongs to the latest element of ``a``."""
    path: KeyPath = ()
    for name in names:
        path = (*path, name)
        if path in array_counts:
            path = (*path, array_counts[path])
    return path


def _header_body(line: str, opener: str, closer: str) -> str:
    body = line[len(opener) :]
    end = _find_outside_quotes(body, closer)
    return body[:end] if end >= 0 else body


def _split_assignment(line: str) -> tuple[str | None, str]:
    position = _find_outside_quotes(line, "=")
    if position < 0:
        return None, ""
    return line[:position], line[position + 1 :]


def _find_outside_quotes(text: str, target: str) -> int:
    quote: str | None = None
    index = 0
    while index < len(text):
        char = text[index]
        if quote is None:
            if text.startswith(target, index):
                return index
            if char in "\"'":
                quote = char
        elif char == "\\" and quote == '"':
            index += 1
        elif char == quote:
            quote = None
        index += 1
    return -1


_KEY_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}


def _split_key(text: str) -> list[str]:
    """``a."b.c".'d'`` -> ``["a", "b.c", "d"]``."""
    parts: list[str] = []
    current = ""
    quote: str | None = None
    index = 0
    while index < len(text):
        char = text[index]
        if quote is not None:
            if char == "\\" and quote == '"' and index + 1 < len(text):
                current += _KEY_ESCAPES.get(text[index + 1], text[index + 1])
                index += 1
            elif char == quote:
                quote = None
            else:
                current += char
        elif char in "\"'":
            quote = char
        elif char == ".":
            parts.append(current)
            current = ""
        elif not char.isspace():
            current += char
        index += 1
    parts.append(current)
    return parts


class _Scanner:
    """Follows strings and brackets across lines, to skip multi-line values."""

    def __init__(self) -> None:
        self.depth = 0
        self.string: str | None = None  # the open delimiter: ", ', \"\"\" or '''

    @property
    def inside(self) -> bool:
        return self.depth > 0 or self.string in {'"""', "'''"}

    def feed(self, text: str) -> None:
        index = 0
        while index < len(text):
            if self.string is not None:
                index = self._in_string(text, index)
                continue
            char = text[index]
            if char == "#":
                break
            if text.startswith(('"""', "'''"), index):
                self.string = text[index : index + 3]
                index += 3
                continue
            if char in "\"'":
                self.string = char
            elif char in "[{":
                self.depth += 1
            elif char in "]}":
                self.depth = max(0, self.depth - 1)
            index += 1
        if self.string in {'"', "'"}:
            self.string = None  # single-line strings end with their line

    def _in_string(self, text: str, index: int) -> int:
        delimiter = self.string or ""
        if text[index] == "\\" and delimiter.startswith('"'):
            return index + 2
        if text.startswith(delimiter, index):
            end = index + len(delimiter)
            # A closing """ may be followed by up to two quotes that belong to the string.
            while len(delimiter) == 3 and text.startswith(delimiter[0], end):
                end += 1
            self.string = None
            return end
        return index + 1
