"""The one exception the policy loader raises: where the problem is, and what was expected.

A therapist editing policy.toml by hand should be able to fix any mistake from
the error alone, so every error names the file, the line, the dotted key and
what the loader wanted there, on one line:

    policy.toml:14: clauses.reviews.enabled: expected true or false, got "yes"
"""

from __future__ import annotations

from typing import Any

__all__ = ["PolicyError"]


class PolicyError(ValueError):
    """policy.toml cannot be used as written.

    ``expected`` says what the loader wanted; ``got`` (when there was a value)
    says what it found, already formatted as TOML would spell it. ``message``
    replaces the "expected ..., got ..." wording when a problem is not about
    one value's type (an unknown key, a missing clause).
    """

    def __init__(
        self,
        expected: str,
        *,
        filename: str = "policy.toml",
        line: int | None = None,
        key: str | None = None,
        got: str | None = None,
        message: str | None = None,
    ) -> None:
        self.filename = filename
        self.line = line
        self.key = key
        self.expected = expected
        self.got = got
        self.message = message
        super().__init__(str(self))

    @property
    def detail(self) -> str:
        """The part after the location: what is wrong, without file, line or key."""
        if self.message is not None:
            text = self.message
        elif self.got is not None:
            text = f"expected {self.expected}, got {self.got}"
        else:
            text = f"expected {self.expected}"
        return _one_line(text)

    def __str__(self) -> str:
        location = self.filename if self.line is None else f"{self.filename}:{self.line}"
        parts = [location]
        if self.key:
            parts.append(_one_line(self.key))
        parts.append(self.detail)
        return ": ".join(parts)

    def __reduce__(self) -> tuple[object, ...]:
        # Keyword-only arguments do not survive pickling by default (multiprocessing, tasks).
        fields = {
            "filename": self.filename,
            "line": self.line,
            "key": self.key,
            "got": self.got,
            "message": self.message,
        }
        return (_rebuild, (self.expected, fields))


def _rebuild(expected: str, fields: dict[str, Any]) -> PolicyError:
    return PolicyError(expected, **fields)


def _one_line(text: str) -> str:
    """Errors are printed on one line, whatever a value in the file contained."""
    return " ".join(text.split())
