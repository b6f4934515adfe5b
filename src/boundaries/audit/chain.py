"""The audit log's hash chain and signed checkpoints, as pure functions over plain data.

No Django, no clock, no files: the database side (``boundaries.audit.store``)
fetches rows as plain tuples and streams them through ``ChainVerifier``; an
export is checked by ``check_export`` with nothing but this module and
``cryptography``.

**Entry hash.** Each entry carries ``seq`` (1, 2, 3 ... without gaps), the
``prev_hash`` of the entry before it (``GENESIS`` for seq 1) and
``entry_hash = SHA-256(b"boundaries-audit-entry-v1\\n" + payload)`` in lower-case
hex, where ``payload`` is the compact JSON array, UTF-8 (``ensure_ascii=False``)::

    [seq, prev_hash, created_at, practice_id, actor_id, actor_label,
     action, object_type, object_id, reason, details]

``created_at`` is UTC as ``YYYY-MM-DDTHH:MM:SS.ffffffZ``; ``practice_id`` and
``actor_id`` are integers or null; ``details`` is the *text* of the details
object in canonical form (``canonical_details``: keys sorted, ``", "`` and
``": "`` separators, ASCII only), so any JSON library can rebuild it. Changing,
removing, inserting or reordering an entry changes a hash or breaks a link.

**Checkpoints.** An Ed25519 signature over
``b"boundaries-audit-checkpoint-v1\\n" + [seq, entry_hash, signed_at]`` (same
JSON rules) pins the chain up to ``seq``: rewriting history before a
checkpoint, or cutting the log short of it, is caught even by someone who
recomputes every hash. Entries after the newest checkpoint are protected only
by the chain and the chain head row.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

__all__ = [
    "EXPORT_FORMAT",
    "GENESIS",
    "ChainVerifier",
    "Checkpoint",
    "Entry",
    "ExportReport",
    "Problem",
    "canonical_details",
    "canonical_time",
    "check_export",
    "checkpoint_message",
    "entry_hash",
    "export_entry",
    "fingerprint",
    "load_public_key",
    "public_key_pem",
    "sign_checkpoint",
    "verify_checkpoint",
]

GENESIS = "0" * 64
EXPORT_FORMAT = "boundaries-audit-export"
_ENTRY_PREFIX = b"boundaries-audit-entry-v1\n"
_CHECKPOINT_PREFIX = b"boundaries-audit-checkpoint-v1\n"
# One encoder, built once: json.dumps() with non-default options builds a new one per call.
_ENCODE = json.JSONEncoder(
    ensure_ascii=False, check_circular=False, allow_nan=False, separators=(",", ":")
).encode
_sha256 = hashlib.sha256


class Entry(NamedTuple):
    """One audit entry as plain data, in the column order the database side selects.

    ``details`` is JSON text in any formatting; its canonical form is what is hashed.
    """

    seq: int
    prev_hash: str
    entry_hash: str
    created_at: str
    practice_id: int | None
    actor_id: int | None
    actor_label: str
    action: str
    object_type: str
    object_id: str
    reason: str
    details: str


class Checkpoint(NamedTuple):
    seq: int
    entry_hash: str
    signed_at: str  # canonical UTC time
    key_fingerprint: str
    signature: str  # hex


@dataclass(frozen=True, slots=True)
class Problem:
    """What is wrong, and the first entry (by seq) it concerns."""

    seq: int
    what: str

    def __str__(self) -> str:
        return f"seq {self.seq}: {self.what}"


def canonical_time(value: dt.datetime) -> str:
    """UTC with microseconds, e.g. ``2026-01-31T09:15:00.000000Z``; naive times are refused."""
    if value.tzinfo is None:
        raise ValueError("audit times must be timezone-aware")
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical_details(value: Any) -> str:
    """The details object as canonical JSON text (sorted keys, ASCII, no NaN)."""
    return json.dumps(value, sort_keys=True, ensure_ascii=True, allow_nan=False)


def entry_hash(
    *,
    seq: int,
    prev_hash: str,
    created_at: str,
    practice_id: int | None,
    actor_id: int | None,
    actor_label: str,
    action: str,
    object_type: str,
    object_id: str,
    reason: str,
    details: str,
) -> str:
    """The hash of one entry; ``details`` must already be canonical text."""
    payload = _ENCODE(
        [
            seq,
            prev_hash,
            created_at,
            practice_id,
            actor_id,
            actor_label,
            action,
            object_type,
            object_id,
            reason,
            details,
        ]
    )
    return _sha256(_ENTRY_PREFIX + payload.encode("utf-8")).hexdigest()


def _row_hash(row: Sequence[Any], details: str) -> str:
    payload = _ENCODE((row[0], row[1], *row[3:11], details))
    return _sha256(_ENTRY_PREFIX + payload.encode("utf-8")).hexdigest()


class ChainVerifier:
    """Checks entries streamed in seq order, batch by batch; stops at the first problem.

    Start at genesis, or at an anchor (``first_seq`` and the ``prev_hash`` it
    must link to) when checking a slice. ``expected`` maps seq to an entry
    hash that a (verified) checkpoint signed; the entry at that seq must carry it.
    """

    __slots__ = ("_expected", "count", "last_hash", "next_seq", "problem")

    def __init__(
        self,
        *,
        first_seq: int = 1,
        prev_hash: str = GENESIS,
        expected: Mapping[int, str] | None = None,
    ) -> None:
        self.next_seq = first_seq
        self.last_hash = prev_hash
        self.count = 0
        self.problem: Problem | None = None
        self._expected = dict(expected or {})

    @property
    def last_seq(self) -> int:
        return self.next_seq - 1

    def feed(self, rows: Iterable[Sequence[Any]]) -> Problem | None:
        """Check a batch of rows shaped like ``Entry``; return the first problem, if any."""
        rows = rows if isinstance(rows, Sequence) else list(rows)
        return self._feed(_encoded(rows), rows, _slow_check)

    def feed_encoded(self, rows: Iterable[Sequence[Any]]) -> Problem | None:
        """Like ``feed`` for rows ``(seq, prev_hash, entry_hash, payload)``.

        ``payload`` is the entry's JSON array as the database built it (SQLite's
        ``json_array``), so the loop only hashes. Where its text is not exactly
        canonical (non-ASCII escapes, reformatted details), the entry is decoded
        and checked the slow way, so a mismatch is never a false alarm.
        """
        rows = rows if isinstance(rows, Sequence) else list(rows)
        return self._feed(rows, rows, _slow_check_encoded)

    def _feed(
        self,
        encoded: Iterable[Sequence[Any]],
        rows: Iterable[Sequence[Any]],
        slow_check: Callable[[Sequence[Any]], Problem | None],
    ) -> Problem | None:
        """The loop of ``feed`` and ``feed_encoded``.

        ``encoded`` gives ``(seq, prev_hash, entry_hash, payload)`` for each of ``rows``,
        in step; a row whose payload does not hash to its entry_hash goes to ``slow_check``.
        """
        if self.problem is not None:
            return self.problem
        expected_seq = self.next_seq
        prev = self.last_hash
        pinned = self._expected
        sha = _sha256
        prefix = _ENTRY_PREFIX
        count = 0
        problem: Problem | None = None
        for (seq, prev_hash, stored, payload), row in zip(encoded, rows, strict=True):
            if seq != expected_seq:
                problem = _seq_problem(expected_seq, seq)
                break
            if prev_hash != prev:
                problem = Problem(seq, f"prev_hash does not match the hash of seq {seq - 1}")
                break
            if sha(prefix + payload.encode("utf-8")).hexdigest() != stored:
                problem = slow_check(row)
                if problem is not None:
                    break
            if pinned and seq in pinned and pinned[seq] != stored:
                problem = _rewritten(seq)
                break
            prev = stored
            expected_seq += 1
            count += 1
        self.next_seq = expected_seq
        self.last_hash = prev
        self.count += count
        self.problem = problem
        return problem

    def finish(
        self,
        *,
        head: tuple[int, str] | None = None,
        checkpoints: Iterable[Checkpoint] = (),
    ) -> Problem | None:
        """After the last batch: the chain must reach the head row and every checkpoint."""
        if self.problem is not None:
            return self.problem
        last = self.last_seq
        beyond = [cp.seq for cp in checkpoints if cp.seq > last]
        if beyond:
            self.problem = Problem(
                last + 1,
                f"missing: the log ends at seq {last} but a signed checkpoint "
                f"covers seq {max(beyond)} (entries were cut off)",
            )
        elif head is not None and head[0] != last:
            self.problem = Problem(
                min(last, head[0]) + 1,
                f"the log ends at seq {last} but the chain head says seq {head[0]}"
                + (" (entries were cut off)" if head[0] > last else ""),
            )
        elif head is not None and head[1] != self.last_hash:
            self.problem = Problem(last, "entry_hash differs from the chain head")
        return self.problem


def _encoded(rows: Iterable[Sequence[Any]]) -> Iterator[tuple[Any, Any, Any, str]]:
    """Rows shaped like ``Entry`` as ``feed_encoded`` takes them, their details as stored.

    Fast path: details as stored are already canonical (how record() writes them). A row
    that does not encode gets an empty payload, so it fails only where its turn comes (in
    the slow check, after the seq and link checks), as it would have when checked alone.
    """
    encode = _ENCODE
    for row in rows:
        try:
            payload = encode((row[0], row[1], *row[3:12]))
        except (TypeError, ValueError):
            payload = ""
        yield row[0], row[1], row[2], payload


def _seq_problem(expected: int, found: int) -> Problem:
    if found > expected:
        return Problem(expected, f"missing: the log jumps from seq {expected - 1} to seq {found}")
    return Problem(expected, f"out of order: seq {found} appears where seq {expected} belongs")


def _rewritten(seq: int) -> Problem:
    return Problem(
        seq,
        "entry_hash differs from the signed checkpoint at this seq: "
        "the log was rewritten at or before this entry",
    )


def _slow_check_encoded(row: Sequence[Any]) -> Problem | None:
    seq, _prev_hash, stored, payload = row
    try:
        fields = json.loads(payload)
        row = (fields[0], fields[1], stored, *fields[2:])
    except (TypeError, ValueError, IndexError):
        return Problem(seq, "contents do not match entry_hash (the entry was changed)")
    if len(row) != len(Entry._fields) or row[0] != seq:
        return Problem(seq, "contents do not match entry_hash (the entry was changed)")
    return _slow_check(row)


def _slow_check(row: Sequence[Any]) -> Problem | None:
    """The stored details may be valid JSON in another formatting (PostgreSQL's jsonb)."""
    try:
        details = canonical_details(json.loads(row[11]))
    except (TypeError, ValueError):
        return Problem(row[0], "details are not valid JSON")
    if details != row[11] and _row_hash(row, details) == row[2]:
        return None
    return Problem(row[0], "contents do not match entry_hash (the entry was changed)")


# Checkpoints ------------------------------------------------------------------------------


def checkpoint_message(seq: int, entry_hash: str, signed_at: str) -> bytes:
    return _CHECKPOINT_PREFIX + _ENCODE([seq, entry_hash, signed_at]).encode("utf-8")


def fingerprint(public_key: Ed25519PublicKey) -> str:
    """SHA-256 of the raw 32-byte public key, hex: the name a checkpoint records."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()


def public_key_pem(public_key: Ed25519PublicKey) -> str:
    return public_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode("ascii")


def load_public_key(pem: str | bytes) -> Ed25519PublicKey:
    """An Ed25519 public key from PEM; ``ValueError`` if it is anything else."""
    data = pem.encode("ascii") if isinstance(pem, str) else pem
    key = serialization.load_pem_public_key(data)
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("not an Ed25519 public key")  # noqa: TRY004 - bad input, not a type bug
    return key


def sign_checkpoint(
    private_key: Ed25519PrivateKey, *, seq: int, entry_hash: str, signed_at: str
) -> Checkpoint:
    signature = private_key.sign(checkpoint_message(seq, entry_hash, signed_at))
    return Checkpoint(
        seq, entry_hash, signed_at, fingerprint(private_key.public_key()), signature.hex()
    )


def verify_checkpoint(
    checkpoint: Checkpoint, trusted: Mapping[str, Ed25519PublicKey]
) -> str | None:
    """None if a trusted key signed this checkpoint, else what is wrong with it."""
    key = trusted.get(checkpoint.key_fingerprint)
    if key is None:
        return f"signed by an unknown key {checkpoint.key_fingerprint[:16]}…"
    try:
        signature = bytes.fromhex(checkpoint.signature)
        key.verify(
            signature,
            checkpoint_message(checkpoint.seq, checkpoint.entry_hash, checkpoint.signed_at),
        )
    except (ValueError, InvalidSignature):
        return "signature does not verify"
    return None


# Exports --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ExportReport:
    entries: int
    first_seq: int
    last_seq: int
    signed_up_to: int | None  # the newest valid checkpoint inside the range
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def check_export(
    data: Mapping[str, Any], *, trusted_keys: Iterable[Ed25519PublicKey] | None = None
) -> ExportReport:
    """Check an export on its own: chain from the anchor, checkpoints, signatures.

    ``trusted_keys`` are public keys obtained independently of the file; without
    them the keys the file carries are used (then compare their fingerprints
    with the one the practice published).
    """
    problems: list[str] = []
    if data.get("format") != EXPORT_FORMAT or data.get("version") != 1:
        return ExportReport(0, 0, 0, None, (f"not a {EXPORT_FORMAT} version 1 file",))
    try:
        keys = (
            list(trusted_keys)
            if trusted_keys is not None
            else [load_public_key(item["pem"]) for item in data.get("public_keys", [])]
        )
        anchor = data["anchor"]
        first_seq = int(data["from_seq"])
        last_seq = int(data["to_seq"])
        rows = [Entry(**item) for item in data["entries"]]
        checkpoints = [Checkpoint(**item) for item in data.get("checkpoints", [])]
    except (KeyError, TypeError, ValueError) as error:
        return ExportReport(0, 0, 0, None, (f"malformed export: {error}",))
    trusted = {fingerprint(key): key for key in keys}
    valid: dict[int, str] = {}
    for checkpoint in checkpoints:
        wrong = verify_checkpoint(checkpoint, trusted)
        if wrong is not None:
            problems.append(f"checkpoint at seq {checkpoint.seq}: {wrong}")
        elif checkpoint.seq == int(anchor["seq"]):
            if checkpoint.entry_hash != anchor["entry_hash"]:
                problems.append(f"anchor at seq {anchor['seq']} differs from its checkpoint")
        elif not first_seq <= checkpoint.seq <= last_seq:
            problems.append(f"checkpoint at seq {checkpoint.seq} is outside the exported range")
        else:
            valid[checkpoint.seq] = checkpoint.entry_hash
    if int(anchor["seq"]) != first_seq - 1:
        problems.append(f"the anchor is at seq {anchor['seq']}, not {first_seq - 1}")
    verifier = ChainVerifier(first_seq=first_seq, prev_hash=anchor["entry_hash"], expected=valid)
    problem = verifier.feed(rows)
    if problem is None and verifier.last_seq != last_seq:
        problem = Problem(verifier.last_seq + 1, f"missing: the export ends before seq {last_seq}")
    if problem is not None:
        problems.insert(0, str(problem))
    signed = max((seq for seq in valid if seq <= verifier.last_seq), default=None)
    return ExportReport(len(rows), first_seq, last_seq, signed, tuple(problems))


def export_entry(row: Sequence[Any]) -> dict[str, Any]:
    """An entry as a JSON object for an export (details as canonical text)."""
    entry = Entry(*row)
    details = entry.details
    canonical = canonical_details(json.loads(details))
    return entry._replace(details=canonical)._asdict()
