"""Master keys for the vault: where they come from and how they are named.

A master key is 32 random bytes written as base64url. It lives in the
environment (``BOUNDARIES_MASTER_KEY``) or in a key file readable by its owner
only (``BOUNDARIES_MASTER_KEY_FILE``), never in the database: a database dump
alone must not open the vault. Older keys kept for rotation come from
``BOUNDARIES_MASTER_KEYS_OLD`` (comma-separated) or from the key file's later
lines. Each key is named by a key id derived from the key itself, so a header
says which key wrapped it without saying anything about the key.

Errors name the variable or file and what is wrong with it, never the key.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import hmac
import os
import re
import secrets
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from boundaries.secretfiles import private_file_problem

__all__ = [
    "KEY_ID_SIZE",
    "KEY_SIZE",
    "Keyring",
    "KeyringError",
    "generate_master_key",
    "key_id_for",
    "keyring_from_settings",
    "parse_master_key",
]

KEY_SIZE = 32
KEY_ID_SIZE = 8
_KEY_ID_LABEL = b"boundaries key id"
_BASE64URL = re.compile(r"[A-Za-z0-9_-]+={0,2}")
ENV_KEY = "BOUNDARIES_MASTER_KEY"
ENV_KEY_FILE = "BOUNDARIES_MASTER_KEY_FILE"
ENV_OLD_KEYS = "BOUNDARIES_MASTER_KEYS_OLD"


class KeyringError(ValueError):
    """A master key is missing or malformed; the message never contains the key."""


def generate_master_key() -> str:
    """A new master key: 32 bytes from the OS's CSPRNG, as unpadded base64url (43 chars)."""
    return base64.urlsafe_b64encode(secrets.token_bytes(KEY_SIZE)).rstrip(b"=").decode("ascii")


def key_id_for(key: bytes) -> bytes:
    """The key's public name: the first 8 bytes of HMAC-SHA256(key, "boundaries key id").

    One-way, so printing or storing it reveals nothing about the key.
    """
    return hmac.new(key, _KEY_ID_LABEL, hashlib.sha256).digest()[:KEY_ID_SIZE]


def parse_master_key(text: str, *, source: str) -> bytes:
    """Decode a base64url master key (padding optional); ``source`` names it in errors."""
    value = text.strip()
    if not value:
        raise KeyringError(f"{source} is empty")
    if not _BASE64URL.fullmatch(value):
        raise KeyringError(
            f"{source} is not base64url: only A-Z, a-z, 0-9, '-' and '_' are allowed "
            f"(generate a key with `boundaries vault generate-key`)"
        )
    unpadded = value.rstrip("=")
    try:
        key = base64.urlsafe_b64decode(unpadded + "=" * (-len(unpadded) % 4))
    except (binascii.Error, ValueError):
        # The decoder's message could quote the input: replace it, never chain it.
        raise KeyringError(f"{source} is not valid base64url ({len(value)} characters)") from None
    if len(key) != KEY_SIZE:
        raise KeyringError(
            f"{source} decodes to {len(key)} bytes; a master key is exactly {KEY_SIZE} bytes "
            f"(43 base64url characters)"
        )
    return key


class Keyring:
    """The master keys by key id: one primary key that wraps new objects, older ones that open.

    ``repr`` shows key ids only.
    """

    __slots__ = ("_keys", "_primary_id")

    def __init__(self, primary: bytes, old: Iterable[bytes] = ()) -> None:
        keys: dict[bytes, bytes] = {}
        for key in (primary, *old):
            if len(key) != KEY_SIZE:
                raise KeyringError(f"a master key is exactly {KEY_SIZE} bytes, not {len(key)}")
            keys.setdefault(key_id_for(key), bytes(key))
        self._keys = keys
        self._primary_id = key_id_for(primary)

    @property
    def primary_id(self) -> bytes:
        return self._primary_id

    @property
    def key_ids(self) -> tuple[bytes, ...]:
        return tuple(self._keys)

    def primary(self) -> tuple[bytes, bytes]:
        """The (key id, key) that wraps new data keys."""
        return self._primary_id, self._keys[self._primary_id]

    def get(self, key_id: bytes) -> bytes | None:
        return self._keys.get(bytes(key_id))

    def __contains__(self, key_id: object) -> bool:
        return isinstance(key_id, bytes | bytearray) and bytes(key_id) in self._keys

    def __repr__(self) -> str:
        others = [k.hex() for k in self._keys if k != self._primary_id]
        return f"Keyring(primary={self._primary_id.hex()}, old={others})"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Keyring:
        """The keyring from ``BOUNDARIES_MASTER_KEY`` or ``BOUNDARIES_MASTER_KEY_FILE``.

        Old keys come from ``BOUNDARIES_MASTER_KEYS_OLD`` (comma-separated), in
        addition to any the key file lists after its first key.
        """
        env = os.environ if environ is None else environ
        inline = env.get(ENV_KEY, "").strip()
        path = env.get(ENV_KEY_FILE, "").strip()
        if inline and path:
            raise KeyringError(f"set {ENV_KEY} or {ENV_KEY_FILE}, not both")
        old = [
            parse_master_key(item, source=f"{ENV_OLD_KEYS} item {number}")
            for number, item in enumerate(env.get(ENV_OLD_KEYS, "").split(","), start=1)
            if item.strip()
        ]
        if path:
            from_file = cls.from_file(Path(path))
            return cls(from_file.primary()[1], [*from_file._others(), *old])
        if not inline:
            raise KeyringError(f"no master key: set {ENV_KEY} or {ENV_KEY_FILE}")
        return cls(parse_master_key(inline, source=ENV_KEY), old)

    @classmethod
    def from_file(cls, path: Path) -> Keyring:
        """Keys from a file: the first key line is the primary, later ones are old keys.

        Blank lines and lines starting with ``#`` are ignored. The file must not
        be readable or writable by group or others.
        """
        problem = private_file_problem(path, "the master key file")
        if problem is not None:
            raise KeyringError(problem)
        try:
            lines = path.read_text(encoding="ascii").splitlines()
        except (OSError, UnicodeDecodeError):
            raise KeyringError(f"cannot read the master key file {path} as ASCII text") from None
        keys = [
            parse_master_key(line, source=f"{path} line {number}")
            for number, line in enumerate(lines, start=1)
            if line.strip() and not line.lstrip().startswith("#")
        ]
        if not keys:
            raise KeyringError(f"the master key file {path} holds no key")
        return cls(keys[0], keys[1:])

    def _others(self) -> list[bytes]:
        return [key for key_id, key in self._keys.items() if key_id != self._primary_id]


def _development_key_file(data_dir: Path) -> Path:
    """A per-checkout key for development and tests, created once with mode 0600.

    Written to a temporary name and linked into place, so concurrent test
    workers all end up reading the same complete key.
    """
    path = data_dir / "dev-master.key"
    if path.exists():
        return path
    data_dir.mkdir(parents=True, exist_ok=True)
    temporary = data_dir / f".dev-master.key.{os.getpid()}.{secrets.token_hex(4)}"
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "w", encoding="ascii") as handle:
            handle.write("# Development only: never used when BOUNDARIES_ENV=production\n")
            handle.write(generate_master_key() + "\n")
        # If another process won the race, its key is the one everybody uses.
        with contextlib.suppress(FileExistsError):
            os.link(temporary, path)
    finally:
        temporary.unlink()
    return path


_cache: dict[tuple[Any, ...], Keyring] = {}


def keyring_from_settings() -> Keyring:
    """The keyring the running site uses, from Django settings and the environment.

    In production a key must be configured (settings refuse to start
    otherwise). In development, without one, a key file is created once under
    ``BOUNDARIES_DATA_DIR``.
    """
    from django.conf import settings

    inline = getattr(settings, "MASTER_KEY", "") or ""
    path = getattr(settings, "MASTER_KEY_FILE", "") or ""
    old = os.environ.get(ENV_OLD_KEYS, "")
    if not inline and not path and not getattr(settings, "PRODUCTION", True):
        path = str(_development_key_file(Path(settings.DATA_DIR)))
    mtime = Path(path).stat().st_mtime_ns if path and Path(path).exists() else None
    cache_key = (inline, path, mtime, old)
    cached = _cache.get(cache_key)
    if cached is None:
        environ = {ENV_KEY: inline, ENV_KEY_FILE: path, ENV_OLD_KEYS: old}
        cached = Keyring.from_env(environ)
        _cache.clear()
        _cache[cache_key] = cached
    return cached
