"""The pure chain: hashes, links, checkpoints and exports, with no database."""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Callable

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from boundaries.audit.chain import (
    GENESIS,
    ChainVerifier,
    Checkpoint,
    Entry,
    Problem,
    canonical_time,
    check_export,
    fingerprint,
    public_key_pem,
    sign_checkpoint,
    verify_checkpoint,
)
from tests.audit.factory import make_chain, relink

TRIALS_PER_KIND = 250  # five kinds: 1,250 tampered chains
CHAIN_LENGTH = 120
SIGNED_AT = "2026-03-01T10:00:00.000000Z"


def encoded(entry: Entry, *, ascii_only: bool = False) -> tuple[int, str, str, str]:
    """The row as the database's fast path gives it: the payload array already built."""
    payload = json.dumps(
        [entry.seq, entry.prev_hash, *entry[3:]], ensure_ascii=ascii_only, separators=(",", ":")
    )
    return entry.seq, entry.prev_hash, entry.entry_hash, payload


def verify(
    entries: list[Entry], head: tuple[int, str] | None, batch: int = 37, *, fast: bool = False
) -> Problem | None:
    verifier = ChainVerifier()
    for start in range(0, len(entries), batch):
        rows = entries[start : start + batch]
        if fast:
            problem = verifier.feed_encoded([encoded(row) for row in rows])
        else:
            problem = verifier.feed(rows)
        if problem is not None:
            break
    return verifier.finish(head=head)


def head_of(entries: list[Entry]) -> tuple[int, str]:
    return entries[-1].seq, entries[-1].entry_hash


def test_it_verifies_an_intact_chain_fed_in_batches() -> None:
    entries = make_chain(CHAIN_LENGTH)
    assert entries[0].prev_hash == GENESIS
    assert verify(entries, head_of(entries)) is None
    assert verify([], (0, GENESIS)) is None


def test_it_accepts_details_reformatted_as_postgresql_prints_jsonb() -> None:
    entries = make_chain(3)
    details = json.loads(entries[1].details)
    jsonb_style = json.dumps(dict(sorted(details.items(), key=lambda kv: (len(kv[0]), kv[0]))))
    assert jsonb_style != entries[1].details
    entries[1] = entries[1]._replace(details=jsonb_style)
    assert verify(entries, head_of(entries)) is None


def test_the_fast_path_falls_back_rather_than_raise_a_false_alarm() -> None:
    entries = make_chain(4)
    entries[2] = entries[2]._replace(actor_label='Zoë "quoted"\n\x7f')
    entries = relink(entries, 2)
    verifier = ChainVerifier()
    rows = [encoded(entries[0]), encoded(entries[1], ascii_only=True), *map(encoded, entries[2:])]
    assert verifier.feed_encoded(rows) is None
    assert verifier.count == 4
    broken = (*rows[3][:3], rows[3][3].replace("[4,", "[5,"))
    assert ChainVerifier().feed_encoded([*rows[:3], broken]) == Problem(
        4, "contents do not match entry_hash (the entry was changed)"
    )
    assert ChainVerifier().feed_encoded([*rows[:3], (*rows[3][:3], "not json")]) is not None


def test_it_writes_times_as_utc_with_microseconds() -> None:
    paris = dt.timezone(dt.timedelta(hours=1))
    assert canonical_time(dt.datetime(2026, 3, 1, 11, 0, tzinfo=paris)) == SIGNED_AT
    with pytest.raises(ValueError, match="timezone-aware"):
        canonical_time(dt.datetime(2026, 3, 1))  # noqa: DTZ001 - the point of the test


# Tampering: each kind returns the tampered chain and the seq verify must name first.
Tamper = Callable[[list[Entry], random.Random], tuple[list[Entry], int]]


def modify(entries: list[Entry], rng: random.Random) -> tuple[list[Entry], int]:
    index = rng.randrange(len(entries))
    field = rng.choice(Entry._fields[1:])
    value = getattr(entries[index], field)
    changed: object
    if field in {"practice_id", "actor_id"}:
        changed = 99 if value != 99 else None
    elif field == "details":
        changed = value.replace('"n": ', '"n": 1')
    elif field in {"prev_hash", "entry_hash"}:
        changed = ("f" if value[0] != "f" else "e") + value[1:]
    elif field == "created_at":
        changed = value[:-2] + ("1Z" if value[-2] != "1" else "2Z")
    else:
        changed = value + "x"
    entries[index] = entries[index]._replace(**{field: changed})
    return entries, index + 1


def delete(entries: list[Entry], rng: random.Random) -> tuple[list[Entry], int]:
    index = rng.randrange(len(entries) - 1)  # the last one is truncation, below
    del entries[index]
    return entries, index + 1


def insert(entries: list[Entry], rng: random.Random) -> tuple[list[Entry], int]:
    """A well-formed forged entry (valid link and hash), later entries renumbered to make room.

    The forged entry itself is consistent: the chain breaks at the entry after it.
    """
    index = rng.randrange(len(entries))  # before an existing entry; appending is not tampering
    forged = make_chain(
        1, seed=rng.randrange(10**6), first_seq=index + 1, prev=_prev(entries, index)
    )
    shifted = [entry._replace(seq=entry.seq + 1) for entry in entries[index:]]
    return [*entries[:index], forged[0], *shifted], index + 2


def reorder(entries: list[Entry], rng: random.Random) -> tuple[list[Entry], int]:
    """Two entries swap places (their seq values swapped, as an UPDATE would)."""
    first, second = sorted(rng.sample(range(len(entries)), 2))
    a, b = entries[first], entries[second]
    entries[first], entries[second] = b._replace(seq=a.seq), a._replace(seq=b.seq)
    return entries, first + 1


def truncate(entries: list[Entry], rng: random.Random) -> tuple[list[Entry], int]:
    keep = rng.randrange(len(entries))
    return entries[:keep], keep + 1


def _prev(entries: list[Entry], index: int) -> str:
    return entries[index - 1].entry_hash if index else GENESIS


@pytest.mark.parametrize("tamper", [modify, delete, insert, reorder, truncate])
def test_it_names_the_first_bad_entry_in_every_tampered_chain(tamper: Tamper) -> None:
    """250 random positions per kind; the chain head row is left as it was."""
    pristine = make_chain(CHAIN_LENGTH)
    head = head_of(pristine)
    rng = random.Random(tamper.__name__)
    for trial in range(TRIALS_PER_KIND):
        tampered, first_bad = tamper(list(pristine), rng)
        fast = trial % 2 == 1  # half through the database's fast path
        problem = verify(tampered, head, batch=rng.randrange(1, 50), fast=fast)
        assert problem is not None, (tamper.__name__, trial)
        assert problem.seq == first_bad, (tamper.__name__, trial, str(problem))


def test_it_detects_a_rewrite_with_recomputed_hashes_only_through_a_checkpoint() -> None:
    key = Ed25519PrivateKey.generate()
    entries = make_chain(50)
    signed = sign_checkpoint(key, seq=40, entry_hash=entries[39].entry_hash, signed_at=SIGNED_AT)
    entries[20] = entries[20]._replace(reason="nothing to see")
    rewritten = relink(entries, 20)
    assert verify(rewritten, head_of(rewritten)) is None  # the chain alone cannot tell
    verifier = ChainVerifier(expected={signed.seq: signed.entry_hash})
    problem = verifier.feed(rewritten)
    assert problem is not None
    assert problem.seq == 40
    assert "signed checkpoint" in problem.what


def test_it_detects_truncation_when_a_checkpoint_is_ahead_even_with_the_head_rewritten() -> None:
    key = Ed25519PrivateKey.generate()
    entries = make_chain(30)
    signed = sign_checkpoint(key, seq=30, entry_hash=entries[29].entry_hash, signed_at=SIGNED_AT)
    cut = entries[:25]
    verifier = ChainVerifier()
    assert verifier.feed(cut) is None
    problem = verifier.finish(head=head_of(cut), checkpoints=[signed])
    assert problem is not None
    assert problem.seq == 26
    assert "cut off" in problem.what


def test_it_cannot_see_truncation_after_the_last_checkpoint_if_the_head_is_rewritten() -> None:
    """The documented limit: only a checkpoint (or an export kept elsewhere) pins the tail."""
    entries = make_chain(30)
    assert verify(entries[:25], head_of(entries[:25])) is None


def test_it_verifies_a_checkpoint_only_with_the_key_that_signed_it() -> None:
    key, other = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    trusted = {fingerprint(key.public_key()): key.public_key()}
    signed = sign_checkpoint(key, seq=3, entry_hash="a" * 64, signed_at=SIGNED_AT)
    assert verify_checkpoint(signed, trusted) is None
    assert verify_checkpoint(signed._replace(seq=4), trusted) == "signature does not verify"
    assert verify_checkpoint(signed._replace(entry_hash="b" * 64), trusted) is not None
    assert verify_checkpoint(signed._replace(signed_at=SIGNED_AT[:-2] + "1Z"), trusted) is not None
    assert verify_checkpoint(signed._replace(signature="00" * 64), trusted) is not None
    assert verify_checkpoint(signed._replace(signature="zz"), trusted) is not None
    # Key swapped: a checkpoint signed by another key, claiming either fingerprint.
    forged = sign_checkpoint(other, seq=3, entry_hash="a" * 64, signed_at=SIGNED_AT)
    assert "unknown key" in (verify_checkpoint(forged, trusted) or "")
    relabelled = forged._replace(key_fingerprint=signed.key_fingerprint)
    assert verify_checkpoint(relabelled, trusted) == "signature does not verify"


def _export(entries: list[Entry], checkpoints: list[Checkpoint], key: Ed25519PrivateKey) -> dict:
    first, last = entries[0].seq, entries[-1].seq
    public = key.public_key()
    return {
        "format": "boundaries-audit-export",
        "version": 1,
        "from_seq": first,
        "to_seq": last,
        "anchor": {"seq": first - 1, "entry_hash": entries[0].prev_hash},
        "public_keys": [{"fingerprint": fingerprint(public), "pem": public_key_pem(public)}],
        "checkpoints": [cp._asdict() for cp in checkpoints],
        "entries": [entry._asdict() for entry in entries],
    }


def test_it_checks_an_export_slice_from_its_anchor_checkpoint() -> None:
    key = Ed25519PrivateKey.generate()
    entries = make_chain(100)
    anchor_cp = sign_checkpoint(key, seq=39, entry_hash=entries[38].entry_hash, signed_at=SIGNED_AT)
    inner_cp = sign_checkpoint(key, seq=60, entry_hash=entries[59].entry_hash, signed_at=SIGNED_AT)
    data = _export(entries[39:70], [anchor_cp, inner_cp], key)
    report = check_export(json.loads(json.dumps(data)), trusted_keys=[key.public_key()])
    assert report.ok, report.problems
    assert (report.first_seq, report.last_seq, report.signed_up_to) == (40, 70, 60)

    data["entries"][5]["object_id"] = "12"
    report = check_export(data, trusted_keys=[key.public_key()])
    assert report.problems[0].startswith("seq 45: contents do not match")

    data = _export(entries[39:70], [anchor_cp, inner_cp], key)
    data["anchor"]["entry_hash"] = "0" * 64
    assert not check_export(data).ok

    stranger = Ed25519PrivateKey.generate()
    data = _export(entries[39:70], [inner_cp], stranger)  # the file carries another key
    assert check_export(data).problems == (
        f"checkpoint at seq 60: signed by an unknown key {inner_cp.key_fingerprint[:16]}…",
    )
    assert check_export(data, trusted_keys=[key.public_key()]).ok


def test_it_refuses_what_is_not_an_export() -> None:
    assert check_export({"format": "something else"}).problems
    assert check_export({"format": "boundaries-audit-export", "version": 1}).problems
