"""The vault's envelope encryption: round trips, and every alteration detected and named."""

from __future__ import annotations

import io
import os
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from boundaries.vault.crypto import (
    HEADER_SIZE,
    TAG_SIZE,
    IntegrityReason,
    VaultIntegrityError,
    decrypt_bytes,
    decrypt_stream,
    encrypt_bytes,
    encrypt_stream,
    parse_header,
    rewrap,
    rewrap_blob,
)
from boundaries.vault.keys import Keyring, key_id_for

CHUNK = 64
SEALED = CHUNK + TAG_SIZE
OBJECT = "vault:alder:session-notes-upload-17"


@pytest.fixture
def keyring() -> Keyring:
    return Keyring(os.urandom(32))


def seal(data: bytes, keyring: Keyring, *, object_id: str = OBJECT, chunk: int = CHUNK) -> bytes:
    out = io.BytesIO()
    encrypt_stream(io.BytesIO(data), out, keyring=keyring, object_id=object_id, chunk_size=chunk)
    return out.getvalue()


def open_(blob: bytes, keyring: Keyring, *, object_id: str = OBJECT) -> tuple[bytes, Exception]:
    """What decryption wrote before it failed, and the error (the test expects one)."""
    out = io.BytesIO()
    with pytest.raises(VaultIntegrityError) as caught:
        decrypt_stream(io.BytesIO(blob), out, keyring=keyring, object_id=object_id)
    return out.getvalue(), caught.value


def chunks_of(blob: bytes) -> list[bytes]:
    body = blob[HEADER_SIZE:]
    return [body[i : i + SEALED] for i in range(0, len(body), SEALED)]


THREE_CHUNKS = bytes(range(256))[: 3 * CHUNK]


@pytest.mark.parametrize("size", [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK, 3 * CHUNK, 1000])
def test_it_round_trips_content_of_every_awkward_size(keyring: Keyring, size: int) -> None:
    data = os.urandom(size)
    blob = seal(data, keyring)
    out = io.BytesIO()
    written = decrypt_stream(io.BytesIO(blob), out, keyring=keyring, object_id=OBJECT)
    assert out.getvalue() == data
    assert written == size
    # One final chunk always exists, so even empty content can tell "complete" from "cut".
    assert len(blob) == HEADER_SIZE + max(1, -(-size // CHUNK)) * TAG_SIZE + size


@pytest.mark.parametrize("size", [3 * 1024 * 1024 + 5, 2 * 1024 * 1024])
def test_it_round_trips_several_megabytes_through_files(
    keyring: Keyring, tmp_path: Path, size: int
) -> None:
    data = os.urandom(size)
    (tmp_path / "plain").write_bytes(data)
    with (tmp_path / "plain").open("rb") as src, (tmp_path / "sealed").open("wb") as dst:
        assert encrypt_stream(src, dst, keyring=keyring, object_id=OBJECT) == size
    with (tmp_path / "sealed").open("rb") as src, (tmp_path / "opened").open("wb") as dst:
        decrypt_stream(src, dst, keyring=keyring, object_id=OBJECT)
    assert (tmp_path / "opened").read_bytes() == data
    assert data[:4096] not in (tmp_path / "sealed").read_bytes()


@settings(max_examples=40, deadline=None)
@given(data=st.binary(max_size=600), chunk=st.integers(min_value=16, max_value=200))
def test_it_round_trips_any_content_at_any_chunk_size(data: bytes, chunk: int) -> None:
    keyring = Keyring(b"\x07" * 32)
    blob = seal(data, keyring, object_id="x", chunk=chunk)
    assert decrypt_bytes(blob, keyring=keyring, object_id="x") == data


def test_it_round_trips_small_messages_with_small_chunks(keyring: Keyring) -> None:
    blob = encrypt_bytes(b"Can we move Tuesday?", keyring=keyring, object_id="inbox:1:abc")
    assert parse_header(blob).chunk_size == 20
    assert decrypt_bytes(blob, keyring=keyring, object_id="inbox:1:abc") == b"Can we move Tuesday?"


def test_it_never_produces_the_same_ciphertext_twice(keyring: Keyring) -> None:
    first, second = seal(THREE_CHUNKS, keyring), seal(THREE_CHUNKS, keyring)
    assert first[HEADER_SIZE:] != second[HEADER_SIZE:]
    assert parse_header(first).base_nonce != parse_header(second).base_nonce


def test_it_detects_every_single_bit_flip_and_writes_only_whole_authenticated_chunks(
    keyring: Keyring,
) -> None:
    blob = seal(THREE_CHUNKS, keyring)
    assert len(blob) == HEADER_SIZE + 3 * SEALED
    reasons: set[IntegrityReason] = set()
    for bit in range(len(blob) * 8):
        altered = bytearray(blob)
        altered[bit // 8] ^= 1 << (bit % 8)
        written, error = open_(bytes(altered), keyring)
        assert isinstance(error, VaultIntegrityError)
        reasons.add(error.reason)
        assert len(written) % CHUNK == 0, f"bit {bit}: a partial chunk was written"
        assert THREE_CHUNKS.startswith(written), f"bit {bit}: wrote unauthenticated bytes"
        if bit < HEADER_SIZE * 8:
            assert written == b"", f"bit {bit}: wrote content under an altered header"
    assert IntegrityReason.TAMPERED in reasons
    assert IntegrityReason.UNKNOWN_KEY in reasons  # flips in the key id
    assert IntegrityReason.UNSUPPORTED_FORMAT in reasons  # flips in the magic and version


def test_it_names_a_cut_at_every_chunk_boundary_as_truncated(keyring: Keyring) -> None:
    blob = seal(THREE_CHUNKS, keyring)
    for chunks in range(3):
        cut = HEADER_SIZE + chunks * SEALED
        written, error = open_(blob[:cut], keyring)
        assert isinstance(error, VaultIntegrityError)
        assert error.reason is IntegrityReason.TRUNCATED
        # The last chunk present opens only as "not the last", so it is held back too.
        assert written == THREE_CHUNKS[: max(0, chunks - 1) * CHUNK]


def test_it_detects_a_cut_anywhere_inside_the_header_or_a_chunk(keyring: Keyring) -> None:
    blob = seal(THREE_CHUNKS, keyring)
    for cut in range(len(blob)):
        written, error = open_(blob[:cut], keyring)
        assert isinstance(error, VaultIntegrityError)
        # A cut inside the last piece cannot be told from an edit of it: either name is honest.
        assert error.reason in {IntegrityReason.TRUNCATED, IntegrityReason.TAMPERED}, cut
        if cut < HEADER_SIZE:
            assert error.reason is IntegrityReason.TRUNCATED
        assert THREE_CHUNKS.startswith(written)


def test_it_names_swapped_chunks_as_reordered(keyring: Keyring) -> None:
    blob = seal(THREE_CHUNKS, keyring)
    first, second, third = chunks_of(blob)
    for order in ([second, first, third], [first, third, second], [third, second, first]):
        written, error = open_(blob[:HEADER_SIZE] + b"".join(order), keyring)
        assert isinstance(error, VaultIntegrityError)
        assert error.reason is IntegrityReason.REORDERED
        assert THREE_CHUNKS.startswith(written)


def test_it_names_a_dropped_middle_chunk_as_reordered(keyring: Keyring) -> None:
    blob = seal(THREE_CHUNKS, keyring)
    first, _, third = chunks_of(blob)
    written, error = open_(blob[:HEADER_SIZE] + first + third, keyring)
    assert isinstance(error, VaultIntegrityError)
    assert error.reason is IntegrityReason.REORDERED
    assert error.chunk == 1
    assert written == THREE_CHUNKS[:CHUNK]


def test_it_detects_a_duplicated_chunk_and_data_after_the_last_chunk(keyring: Keyring) -> None:
    blob = seal(THREE_CHUNKS, keyring)
    first, second, third = chunks_of(blob)
    _, duplicated = open_(blob[:HEADER_SIZE] + first + first + second + third, keyring)
    _, extended = open_(blob + third, keyring)
    assert isinstance(duplicated, VaultIntegrityError)
    assert duplicated.reason is IntegrityReason.REORDERED
    assert isinstance(extended, VaultIntegrityError)
    assert extended.reason is IntegrityReason.TAMPERED


def test_it_detects_a_chunk_swapped_in_from_another_file_under_the_same_key(
    keyring: Keyring,
) -> None:
    ours = seal(THREE_CHUNKS, keyring)
    theirs = seal(THREE_CHUNKS, keyring)  # same key, same object id, same content
    mixed = ours[:HEADER_SIZE] + chunks_of(ours)[0] + chunks_of(theirs)[1] + chunks_of(ours)[2]
    written, error = open_(mixed, keyring)
    assert isinstance(error, VaultIntegrityError)
    assert error.reason is IntegrityReason.TAMPERED
    assert error.chunk == 1
    assert written == THREE_CHUNKS[:CHUNK]


def test_it_detects_another_objects_header_on_these_chunks(keyring: Keyring) -> None:
    ours, theirs = seal(THREE_CHUNKS, keyring), seal(THREE_CHUNKS, keyring)
    written, error = open_(theirs[:HEADER_SIZE] + ours[HEADER_SIZE:], keyring)
    assert isinstance(error, VaultIntegrityError)
    assert error.reason is IntegrityReason.TAMPERED
    assert written == b""


def test_it_refuses_to_open_an_object_under_another_object_id(keyring: Keyring) -> None:
    blob = seal(THREE_CHUNKS, keyring, object_id="inbox:1:aaaa")
    written, error = open_(blob, keyring, object_id="inbox:2:aaaa")
    assert isinstance(error, VaultIntegrityError)
    assert error.reason is IntegrityReason.WRONG_OBJECT
    assert written == b""


def test_it_names_an_unknown_master_key_by_its_id_only(keyring: Keyring) -> None:
    blob = seal(THREE_CHUNKS, keyring)
    stranger = Keyring(os.urandom(32))
    _, error = open_(blob, stranger)
    assert isinstance(error, VaultIntegrityError)
    assert error.reason is IntegrityReason.UNKNOWN_KEY
    assert keyring.primary_id.hex() in str(error)
    assert keyring.primary()[1].hex() not in str(error)


def test_it_rewraps_the_data_key_so_only_the_new_master_key_is_needed() -> None:
    old_key, new_key = os.urandom(32), os.urandom(32)
    old_only = Keyring(old_key)
    blob = seal(THREE_CHUNKS, old_only)
    rotating = Keyring(new_key, old=[old_key])

    header = rewrap(blob[:HEADER_SIZE], rotating, rotating)
    rotated = header + blob[HEADER_SIZE:]

    assert len(header) == HEADER_SIZE
    assert parse_header(header).key_id == key_id_for(new_key)
    assert rotated[HEADER_SIZE:] == blob[HEADER_SIZE:]  # the chunks were not touched
    assert decrypt_bytes(rotated, keyring=Keyring(new_key), object_id=OBJECT) == THREE_CHUNKS
    _, error = open_(rotated, old_only)
    assert isinstance(error, VaultIntegrityError)
    assert error.reason is IntegrityReason.UNKNOWN_KEY


def test_it_rewraps_an_in_memory_message_and_keeps_its_object_binding() -> None:
    old_key, new_key = os.urandom(32), os.urandom(32)
    blob = encrypt_bytes(b"session content", keyring=Keyring(old_key), object_id="inbox:1:a")
    rotated = rewrap_blob(blob, Keyring(old_key), Keyring(new_key))
    assert decrypt_bytes(rotated, keyring=Keyring(new_key), object_id="inbox:1:a") == (
        b"session content"
    )
    with pytest.raises(VaultIntegrityError) as caught:
        decrypt_bytes(rotated, keyring=Keyring(new_key), object_id="inbox:1:b")
    assert caught.value.reason is IntegrityReason.WRONG_OBJECT


def test_it_refuses_to_rewrap_a_header_it_cannot_open(keyring: Keyring) -> None:
    blob = seal(THREE_CHUNKS, keyring)
    tampered = bytearray(blob[:HEADER_SIZE])
    tampered[-1] ^= 0x80
    with pytest.raises(VaultIntegrityError) as caught:
        rewrap(bytes(tampered), keyring, Keyring(os.urandom(32)))
    assert caught.value.reason is IntegrityReason.TAMPERED
    with pytest.raises(ValueError, match="121-byte header"):
        rewrap(blob, keyring, keyring)


def test_it_rejects_what_is_not_a_vault_object(keyring: Keyring) -> None:
    with pytest.raises(VaultIntegrityError) as caught:
        decrypt_bytes(b"%PDF-1.7" + bytes(200), keyring=keyring, object_id=OBJECT)
    assert caught.value.reason is IntegrityReason.UNSUPPORTED_FORMAT


class Pattern(io.RawIOBase):
    """A large readable stream that holds no content in memory."""

    def __init__(self, size: int) -> None:
        self.left = size
        self.block = memoryview(b"\xa5" * 65536)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        count = min(len(buffer), self.left, len(self.block))
        buffer[:count] = self.block[:count]
        self.left -= count
        return count


class Sink(io.RawIOBase):
    def __init__(self) -> None:
        self.count = 0

    def writable(self) -> bool:
        return True

    def write(self, data: object) -> int:  # type: ignore[override]
        size = len(memoryview(data))  # type: ignore[arg-type]
        self.count += size
        return size


def test_it_keeps_memory_flat_however_large_the_object(keyring: Keyring) -> None:
    size = 48 * 1024 * 1024
    tracemalloc.start()
    try:
        encrypt_stream(Pattern(size), sink := Sink(), keyring=keyring, object_id=OBJECT)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert sink.count == HEADER_SIZE + size + 48 * TAG_SIZE
    assert peak < 4 * 1024 * 1024, f"peak Python allocation {peak} bytes for a 48 MiB object"
