"""Envelope encryption for the vault: one fresh data key per object, wrapped by a master key.

Content is cut into chunks sealed with AES-256-GCM in the STREAM construction
(Hoang, Reyhanitabar, Rogaway, Vizár, "Online Authenticated-Encryption and its
Nonce-Reuse Misuse-Resistance", CRYPTO 2015): each chunk's nonce is derived
from a random base nonce and the chunk's index, and its associated data binds
the object id, the index and whether it is the last chunk. So a chunk that is
altered, moved, copied from another object, or a stream cut at any point, all
fail to authenticate. Decryption writes a chunk only after its tag has been
checked, so nothing unauthenticated is ever written; the output of a failed
decryption is an authenticated *prefix* and the caller must discard it.

The data key is wrapped with AES-256-GCM under the master key (not AES-KW):
GCM's associated data lets the wrap bind the whole header (format version,
chunk size, base nonce and the master key's id), and the wrapped plaintext
carries a digest of the object id next to the data key, so opening an object
under the wrong id is named as such, and :func:`rewrap` can move a data key to
a new master key without knowing the object id and without touching the
chunks. The byte layout is in docs/vault.md.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import os
import struct
from dataclasses import dataclass
from enum import StrEnum
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from boundaries.vault.keys import KEY_ID_SIZE, KEY_SIZE, Keyring

__all__ = [
    "DEFAULT_CHUNK_SIZE",
    "FORMAT_VERSION",
    "HEADER_SIZE",
    "MAGIC",
    "MAX_CHUNK_SIZE",
    "MIN_CHUNK_SIZE",
    "TAG_SIZE",
    "Header",
    "IntegrityReason",
    "VaultIntegrityError",
    "decrypt_bytes",
    "decrypt_stream",
    "encrypt_bytes",
    "encrypt_stream",
    "parse_header",
    "rewrap",
    "rewrap_blob",
]

MAGIC = b"BVLT"
FORMAT_VERSION = 1
NONCE_SIZE = 12
TAG_SIZE = 16
DEFAULT_CHUNK_SIZE = 1024 * 1024
MIN_CHUNK_SIZE = 16
MAX_CHUNK_SIZE = 64 * 1024 * 1024
# Reordered chunks are named as such when found this many positions away; farther, "tampered".
REORDER_WINDOW = 32

_OBJECT_LABEL = b"boundaries object id\x00"
_DIGEST_SIZE = 32
_WRAPPED_SIZE = KEY_SIZE + _DIGEST_SIZE + TAG_SIZE
# magic | version | chunk size | base nonce | key id | wrap nonce | wrapped (key, digest, tag)
_HEADER = struct.Struct(f">4sBI{NONCE_SIZE}s{KEY_ID_SIZE}s{NONCE_SIZE}s{_WRAPPED_SIZE}s")
HEADER_SIZE = _HEADER.size
# The part that stays the same when the data key is rewrapped: bound into every chunk.
_STABLE_SIZE = 4 + 1 + 4 + NONCE_SIZE
# The part the wrap authenticates: the stable part plus the master key's id.
_WRAP_AAD_SIZE = _STABLE_SIZE + KEY_ID_SIZE
_CHUNK_POSITION = struct.Struct(">QB")
_MAX_CHUNKS = 2**64 - 1


class IntegrityReason(StrEnum):
    TRUNCATED = "truncated"
    REORDERED = "reordered"
    TAMPERED = "tampered"
    WRONG_OBJECT = "wrong object"
    UNKNOWN_KEY = "unknown key"
    UNSUPPORTED_FORMAT = "unsupported format"


class VaultIntegrityError(Exception):
    """A vault object does not open: ``reason`` says why, ``chunk`` where (if in a chunk).

    Any output already written by :func:`decrypt_stream` must be thrown away.
    """

    def __init__(self, reason: IntegrityReason, detail: str, *, chunk: int | None = None) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.chunk = chunk


@dataclass(frozen=True, slots=True)
class Header:
    version: int
    chunk_size: int
    base_nonce: bytes
    key_id: bytes
    wrap_nonce: bytes
    wrapped: bytes
    raw: bytes

    @property
    def wrap_aad(self) -> bytes:
        return self.raw[:_WRAP_AAD_SIZE]

    @property
    def stable(self) -> bytes:
        return self.raw[:_STABLE_SIZE]


def parse_header(header_bytes: bytes) -> Header:
    """Read a header's fields (the first HEADER_SIZE bytes); nothing is authenticated yet."""
    if len(header_bytes) < HEADER_SIZE:
        raise VaultIntegrityError(
            IntegrityReason.TRUNCATED,
            f"{len(header_bytes)} bytes is shorter than a header ({HEADER_SIZE} bytes)",
        )
    raw = bytes(header_bytes[:HEADER_SIZE])
    magic, version, chunk_size, base_nonce, key_id, wrap_nonce, wrapped = _HEADER.unpack(raw)
    if magic != MAGIC:
        raise VaultIntegrityError(IntegrityReason.UNSUPPORTED_FORMAT, "not a vault object")
    if version != FORMAT_VERSION:
        raise VaultIntegrityError(
            IntegrityReason.UNSUPPORTED_FORMAT, f"format version {version} is not supported"
        )
    if not MIN_CHUNK_SIZE <= chunk_size <= MAX_CHUNK_SIZE:
        # A valid header never says this, so it was altered; refuse before allocating buffers.
        raise VaultIntegrityError(
            IntegrityReason.TAMPERED, f"chunk size {chunk_size} in the header is out of range"
        )
    return Header(version, chunk_size, base_nonce, key_id, wrap_nonce, wrapped, raw)


def _object_digest(object_id: str) -> bytes:
    return hashlib.sha256(_OBJECT_LABEL + object_id.encode("utf-8")).digest()


def _wrap(
    keyring: Keyring, stable: bytes, data_key: bytes, digest: bytes
) -> tuple[bytes, bytes, bytes]:
    key_id, master = keyring.primary()
    wrap_nonce = os.urandom(NONCE_SIZE)
    wrapped = AESGCM(master).encrypt(wrap_nonce, data_key + digest, stable + key_id)
    return key_id, wrap_nonce, wrapped


def _unwrap(header: Header, keyring: Keyring) -> tuple[bytes, bytes]:
    """The data key and object digest, or a precise error."""
    master = keyring.get(header.key_id)
    if master is None:
        known = ", ".join(k.hex() for k in keyring.key_ids)
        raise VaultIntegrityError(
            IntegrityReason.UNKNOWN_KEY,
            f"wrapped by master key {header.key_id.hex()}, which is not in the keyring ({known})",
        )
    try:
        plain = AESGCM(master).decrypt(header.wrap_nonce, header.wrapped, header.wrap_aad)
    except InvalidTag:
        raise VaultIntegrityError(
            IntegrityReason.TAMPERED,
            f"the header does not authenticate under master key {header.key_id.hex()}",
        ) from None
    return plain[:KEY_SIZE], plain[KEY_SIZE:]


class _Chunks:
    """Nonces and associated data of one object's chunks."""

    __slots__ = ("_aad_prefix", "_base_high", "_base_low", "aead")

    def __init__(self, data_key: bytes, stable: bytes, base_nonce: bytes, object_id: str) -> None:
        self.aead = AESGCM(data_key)
        encoded = object_id.encode("utf-8")
        self._aad_prefix = stable + struct.pack(">I", len(encoded)) + encoded
        self._base_high = base_nonce[:4]
        self._base_low = int.from_bytes(base_nonce[4:], "big")

    def nonce(self, index: int) -> bytes:
        return self._base_high + (self._base_low ^ index).to_bytes(8, "big")

    def aad(self, index: int, final: bool) -> bytes:
        return self._aad_prefix + _CHUNK_POSITION.pack(index, final)

    def opens(self, sealed: memoryview, index: int, final: bool, out: memoryview) -> bool:
        try:
            self.aead.decrypt_into(self.nonce(index), sealed, self.aad(index, final), out)
        except InvalidTag:
            return False
        return True


def _fill(src: BinaryIO, buffer: bytearray) -> int:
    """Read until ``buffer`` is full or the stream ends; the number of bytes read."""
    view = memoryview(buffer)
    readinto = getattr(src, "readinto", None)
    filled = 0
    while filled < len(buffer):
        if readinto is not None:
            count = readinto(view[filled:])
        else:
            piece = src.read(len(buffer) - filled)
            count = len(piece)
            view[filled : filled + count] = piece
        if not count:
            break
        filled += count
    return filled


def encrypt_stream(
    src: BinaryIO,
    dst: BinaryIO,
    *,
    keyring: Keyring,
    object_id: str,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
) -> int:
    """Seal everything ``src`` holds into ``dst`` under a fresh data key; the plaintext size.

    Memory stays at three buffers of about ``chunk_size`` whatever the size.
    """
    if not MIN_CHUNK_SIZE <= chunk_size <= MAX_CHUNK_SIZE:
        raise ValueError(f"chunk_size must be {MIN_CHUNK_SIZE}..{MAX_CHUNK_SIZE}, not {chunk_size}")
    data_key = AESGCM.generate_key(bit_length=256)
    base_nonce = os.urandom(NONCE_SIZE)
    stable = MAGIC + struct.pack(">BI", FORMAT_VERSION, chunk_size) + base_nonce
    key_id, wrap_nonce, wrapped = _wrap(keyring, stable, data_key, _object_digest(object_id))
    dst.write(stable + key_id + wrap_nonce + wrapped)

    chunks = _Chunks(data_key, stable, base_nonce, object_id)
    current, following = bytearray(chunk_size), bytearray(chunk_size)
    sealed = bytearray(chunk_size + TAG_SIZE)
    sealed_view = memoryview(sealed)
    count = _fill(src, current)
    index = total = 0
    while True:
        # Look one chunk ahead: the last chunk is the one with nothing after it.
        next_count = _fill(src, following) if count == chunk_size else 0
        final = next_count == 0
        out = sealed_view[: count + TAG_SIZE]
        chunks.aead.encrypt_into(
            chunks.nonce(index), memoryview(current)[:count], chunks.aad(index, final), out
        )
        dst.write(out)
        total += count
        if final:
            return total
        if index == _MAX_CHUNKS:
            raise ValueError("too many chunks for one object")
        current, following = following, current
        count = next_count
        index += 1


def decrypt_stream(src: BinaryIO, dst: BinaryIO, *, keyring: Keyring, object_id: str) -> int:
    """Open an object from ``src`` into ``dst``; the plaintext size.

    Raises :class:`VaultIntegrityError` on any alteration. Only authenticated
    chunks are written, but on error the output is incomplete: discard it.
    """
    head = bytearray(HEADER_SIZE)
    header = parse_header(bytes(head[: _fill(src, head)]))
    data_key, digest = _unwrap(header, keyring)
    if not hmac.compare_digest(digest, _object_digest(object_id)):
        raise VaultIntegrityError(
            IntegrityReason.WRONG_OBJECT, "this is another object's content, not this object's"
        )
    chunks = _Chunks(data_key, header.stable, header.base_nonce, object_id)
    sealed_size = header.chunk_size + TAG_SIZE
    current, following = bytearray(sealed_size), bytearray(sealed_size)
    plain = memoryview(bytearray(header.chunk_size))
    count = _fill(src, current)
    if count == 0:
        raise VaultIntegrityError(IntegrityReason.TRUNCATED, "the object ends after its header")
    index = total = 0
    while True:
        next_count = _fill(src, following) if count == sealed_size else 0
        final = next_count == 0
        if count < TAG_SIZE:
            raise VaultIntegrityError(
                IntegrityReason.TRUNCATED, f"chunk {index} is cut short", chunk=index
            )
        sealed = memoryview(current)[:count]
        out = plain[: count - TAG_SIZE]
        if not chunks.opens(sealed, index, final, out):
            raise _diagnose(chunks, sealed, index, final, out)
        dst.write(out)
        total += len(out)
        if final:
            return total
        current, following = following, current
        count = next_count
        index += 1


def _diagnose(
    chunks: _Chunks, sealed: memoryview, index: int, final: bool, out: memoryview
) -> VaultIntegrityError:
    """Why the chunk at ``index`` does not open (only on the error path, so cost is no concern)."""
    if chunks.opens(sealed, index, not final, out):
        if final:
            return VaultIntegrityError(
                IntegrityReason.TRUNCATED,
                f"the object ends after chunk {index}, which is not its last chunk",
                chunk=index,
            )
        return VaultIntegrityError(
            IntegrityReason.TAMPERED, f"data follows the last chunk ({index})", chunk=index
        )
    for other in range(max(0, index - REORDER_WINDOW), index + REORDER_WINDOW + 1):
        if other == index:
            continue
        for flag in (False, True):
            if chunks.opens(sealed, other, flag, out):
                return VaultIntegrityError(
                    IntegrityReason.REORDERED,
                    f"chunk {other} was found at position {index}",
                    chunk=index,
                )
    detail = f"chunk {index} does not authenticate"
    if final:
        detail += " (altered, or the object was cut inside its last chunk)"
    return VaultIntegrityError(IntegrityReason.TAMPERED, detail, chunk=index)


def encrypt_bytes(
    data: bytes, *, keyring: Keyring, object_id: str, chunk_size: int = DEFAULT_CHUNK_SIZE
) -> bytes:
    """Seal small content (a message, a password) as one vault object."""
    # Small content gets small chunks, so sealing a message does not allocate megabytes.
    size = max(MIN_CHUNK_SIZE, min(chunk_size, len(data)))
    out = io.BytesIO()
    encrypt_stream(io.BytesIO(data), out, keyring=keyring, object_id=object_id, chunk_size=size)
    return out.getvalue()


def decrypt_bytes(blob: bytes, *, keyring: Keyring, object_id: str) -> bytes:
    """Open content sealed by :func:`encrypt_bytes` (or any vault object held in memory)."""
    out = io.BytesIO()
    decrypt_stream(io.BytesIO(blob), out, keyring=keyring, object_id=object_id)
    return out.getvalue()


def rewrap(header_bytes: bytes, old_keyring: Keyring, new_keyring: Keyring) -> bytes:
    """The header with its data key rewrapped under ``new_keyring``'s primary key.

    Takes exactly the HEADER_SIZE bytes at the start of an object and returns a
    header of the same size: the chunks after it are not touched and stay valid.
    """
    if len(header_bytes) != HEADER_SIZE:
        raise ValueError(f"rewrap takes the {HEADER_SIZE}-byte header, not {len(header_bytes)}")
    header = parse_header(header_bytes)
    data_key, digest = _unwrap(header, old_keyring)
    key_id, wrap_nonce, wrapped = _wrap(new_keyring, header.stable, data_key, digest)
    return header.stable + key_id + wrap_nonce + wrapped


def rewrap_blob(blob: bytes, old_keyring: Keyring, new_keyring: Keyring) -> bytes:
    """A whole in-memory object (from :func:`encrypt_bytes`) with its header rewrapped."""
    return rewrap(blob[:HEADER_SIZE], old_keyring, new_keyring) + blob[HEADER_SIZE:]
