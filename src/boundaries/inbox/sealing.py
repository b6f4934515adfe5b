"""Message content at rest: sealed with the vault's envelope encryption.

A sealed message is ``len(meta) || meta JSON || raw bytes``, encrypted as one
object whose id binds it to its practice and content hash, so a sealed blob
moved to another row does not open.
"""

from __future__ import annotations

import json
import struct
from dataclasses import dataclass
from typing import Any

from boundaries.vault.crypto import decrypt_bytes, encrypt_bytes
from boundaries.vault.keys import keyring_from_settings

_LENGTH = struct.Struct(">I")


@dataclass(frozen=True, slots=True)
class Content:
    sender: str
    subject: str
    text: str
    reply_address: str
    raw: bytes
    extra: dict[str, Any]


def object_id(practice_id: int, content_hash: str) -> str:
    return f"inbox:{practice_id}:{content_hash}"


def seal(content: Content, *, practice_id: int, content_hash: str) -> bytes:
    meta = json.dumps(
        {
            "sender": content.sender,
            "subject": content.subject,
            "text": content.text,
            "reply_address": content.reply_address,
            "extra": content.extra,
        },
        ensure_ascii=False,
    ).encode()
    plain = _LENGTH.pack(len(meta)) + meta + content.raw

    return encrypt_bytes(
        plain, keyring=keyring_from_settings(), object_id=object_id(practice_id, content_hash)
    )


def unseal(blob: bytes, *, practice_id: int, content_hash: str) -> Content:
    plain = decrypt_bytes(
        bytes(blob), keyring=keyring_from_settings(), object_id=object_id(practice_id, content_hash)
    )
    (length,) = _LENGTH.unpack_from(plain)
    meta = json.loads(plain[_LENGTH.size : _LENGTH.size + length])
    return Content(
        sender=meta["sender"],
        subject=meta["subject"],
        text=meta["text"],
        reply_address=meta["reply_address"],
        raw=plain[_LENGTH.size + length :],
        extra=meta.get("extra", {}),
    )
