"""Small JSON records sealed with the vault's envelope encryption (welfare entries, settings)."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from boundaries.vault.crypto import decrypt_bytes, encrypt_bytes
from boundaries.vault.keys import keyring_from_settings


def canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def digest(value: Any) -> str:
    return hashlib.sha256(canonical(value)).hexdigest()


def seal_json(value: Any, *, object_id: str) -> bytes:
    return encrypt_bytes(canonical(value), keyring=keyring_from_settings(), object_id=object_id)


def unseal_json(blob: bytes, *, object_id: str) -> Any:
    return json.loads(
        decrypt_bytes(bytes(blob), keyring=keyring_from_settings(), object_id=object_id)
    )
