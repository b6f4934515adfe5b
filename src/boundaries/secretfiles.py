"""Checks shared by every file that holds a secret (the vault master key, the audit
signing key): it must be a regular file that only its owner can read or write."""

from __future__ import annotations

import stat
from pathlib import Path

__all__ = ["private_file_problem"]


def private_file_problem(path: Path, what: str) -> str | None:
    """Why ``path`` cannot hold a secret, in one line, or None when it can.

    ``what`` names the secret for the message, e.g. "the master key file".
    """
    try:
        info = path.stat()
    except OSError as error:
        return f"cannot read {what} {path}: {error.strerror or type(error).__name__}"
    if not stat.S_ISREG(info.st_mode):
        return f"{what} {path} is not a regular file"
    if info.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        return (
            f"{what} {path} is accessible to group or others "
            f"(mode {stat.S_IMODE(info.st_mode):04o}); run `chmod 600 {path}`"
        )
    return None
