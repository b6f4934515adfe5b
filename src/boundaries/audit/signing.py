"""The audit signing key: an Ed25519 private key in a file, never in the database.

``BOUNDARIES_AUDIT_SIGNING_KEY_FILE`` (setting ``AUDIT_SIGNING_KEY_FILE``) names
a PEM (PKCS#8) file readable by its owner only. In development, without one, a
key is created once as ``DATA_DIR/audit-signing.key``; in production there is
no fallback: checkpoints refuse to be written until the file is configured.

Someone holding this key can sign a rewritten history, so keep it off the
database host where you can, and keep copies of checkpoints (exports) elsewhere.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from boundaries.secretfiles import private_file_problem

__all__ = ["SigningKeyError", "generate_key_file", "load_key_file", "signing_key"]

ENV_KEY_FILE = "BOUNDARIES_AUDIT_SIGNING_KEY_FILE"
DEV_KEY_NAME = "audit-signing.key"


class SigningKeyError(ValueError):
    """The signing key is missing, unreadable or not Ed25519; the message never holds it."""


def _pem(key: Ed25519PrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def generate_key_file(path: Path) -> Path:
    """Write a new key to ``path`` with mode 0600; refuse to overwrite an existing file.

    Written to a temporary name and linked into place, so concurrent processes
    all end up with the same key.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.parent / f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}"
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(_pem(Ed25519PrivateKey.generate()))
        os.link(temporary, path)
    finally:
        temporary.unlink()
    return path


def load_key_file(path: Path) -> Ed25519PrivateKey:
    problem = private_file_problem(path, "the audit signing key")
    if problem is not None:
        raise SigningKeyError(problem)
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (OSError, ValueError, TypeError):
        raise SigningKeyError(f"the audit signing key {path} is not a PEM private key") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise SigningKeyError(f"the audit signing key {path} is not an Ed25519 key")
    return key


def key_path_from_settings() -> Path:
    from django.conf import settings

    configured = getattr(settings, "AUDIT_SIGNING_KEY_FILE", "") or ""
    if configured:
        return Path(configured)
    if getattr(settings, "PRODUCTION", True):
        raise SigningKeyError(
            f"{ENV_KEY_FILE} must name the audit signing key file in production "
            "(create one with `boundaries audit generate-key PATH`)"
        )
    path = Path(settings.DATA_DIR) / DEV_KEY_NAME
    if not path.exists():
        with contextlib.suppress(FileExistsError):  # another process made it first
            generate_key_file(path)
    return path


def signing_key() -> Ed25519PrivateKey:
    """The key the running site signs checkpoints with (see the module docstring)."""
    return load_key_file(key_path_from_settings())
