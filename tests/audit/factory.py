"""Chains of plain entries for the pure tests, built with the real hashing code."""

from __future__ import annotations

import datetime as dt
import random

from boundaries.audit.chain import GENESIS, Entry, canonical_details, canonical_time, entry_hash

START = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)
ACTIONS = ("message.received", "client.created", "vault.file_opened", "agreement.signed")


def make_entry(seq: int, prev_hash: str, rng: random.Random) -> Entry:
    created_at = canonical_time(
        START + dt.timedelta(seconds=seq, microseconds=rng.randrange(10**6))
    )
    details = canonical_details({"n": seq, "decision": rng.choice(["allow", "hold", "block"])})
    fields = {
        "seq": seq,
        "prev_hash": prev_hash,
        "created_at": created_at,
        "practice_id": rng.choice([None, 1, 2]),
        "actor_id": rng.choice([None, 7]),
        "actor_label": rng.choice(["alice", "system", "cli"]),
        "action": rng.choice(ACTIONS),
        "object_type": "practices.client",
        "object_id": str(rng.randrange(1000)),
        "reason": rng.choice(["", "retention", "requested by the client"]),
        "details": details,
    }
    return Entry(entry_hash=entry_hash(**fields), **fields)  # type: ignore[arg-type]


def make_chain(
    count: int, seed: int = 0, *, first_seq: int = 1, prev: str = GENESIS
) -> list[Entry]:
    rng = random.Random(seed)
    entries = []
    for seq in range(first_seq, first_seq + count):
        entry = make_entry(seq, prev, rng)
        entries.append(entry)
        prev = entry.entry_hash
    return entries


def relink(entries: list[Entry], start: int) -> list[Entry]:
    """What an attacker who recomputes hashes does from index ``start`` on."""
    out = entries[:start]
    prev = out[-1].entry_hash if out else GENESIS
    for index, entry in enumerate(entries[start:], start=start):
        fields = entry._replace(seq=index + 1, prev_hash=prev)._asdict()
        del fields["entry_hash"]
        digest = entry_hash(**fields)
        out.append(Entry(entry_hash=digest, **fields))
        prev = digest
    return out
