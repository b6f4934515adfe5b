"""How long the boundary audit of a platform download takes: 50,000 people against a register.

Run from the repository root:

    .venv/bin/python bench/bench_exports.py [--people 50000] [--clients 2000] [--runs 5]

It builds one combined download in memory (Facebook friends with Facebook's
Latin-1 escaping, Instagram followers, LinkedIn connections with its notes
lines; half the names accented) with some clients planted in it, then times
reading the zip and matching everyone against the register, and prints the
median and worst of ``--runs`` runs with the machine and the command.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import statistics
import sys
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from bench.machine import command, describe  # noqa: E402 (path set up above)
from boundaries.core.platform_audit import RegisterClient, audit, read_export  # noqa: E402

FIRST = ["José", "Zoë", "Siobhán", "Ngozi", "Sam", "Léa", "Tomasz", "Priya", "Oliver", "Åsa"]
LAST = ["García", "Lindqvist", "O'Connell", "Adeyemi", "Taylor", "Martin", "Wójcik", "Raman"]


def _name(rng: random.Random, n: int) -> tuple[str, str]:
    return f"{rng.choice(FIRST)}{n % 997}", f"{rng.choice(LAST)}-{n}"


def _escape(text: str) -> str:
    return text.encode("utf-8").decode("latin-1")


def build(people: int, clients: int, seed: int = 7) -> tuple[bytes, list[RegisterClient]]:
    rng = random.Random(seed)
    register = [
        RegisterClient(
            i,
            *_name(rng, 10_000_000 + i),
            nicknames=("Bex",) if i % 5 == 0 else (),
            emails=(f"client{i}@example.org",),
            handles=(("instagram", f"client.{i}"),),
        )
        for i in range(1, clients + 1)
    ]
    planted = register[: max(1, clients // 100)]
    fb_n, ig_n = people // 2, people * 3 // 10
    li_n = people - fb_n - ig_n
    friends = [{"name": " ".join(_name(rng, n)), "timestamp": 1_700_000_000} for n in range(fb_n)]
    friends += [{"name": f"{c.first_name} {c.last_name}", "timestamp": 1} for c in planted]
    followers = [
        {
            "title": "",
            "string_list_data": [{"href": f"https://www.instagram.com/u{n}", "value": f"u{n}"}],
        }
        for n in range(ig_n)
    ]
    lines = [
        "Notes:",
        '"When exporting your connection data, you may notice that some of the email ..."',
        "",
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On",
    ]
    lines += [
        f"{f},{last},https://www.linkedin.com/in/p{n},,Acme,Analyst,01 Jan 2024"
        for n in range(li_n)
        for f, last in [_name(rng, n)]
    ]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "facebook/connections/friends/your_friends.json",
            json.dumps({"friends_v2": [{**f, "name": _escape(f["name"])} for f in friends]}),
        )
        archive.writestr(
            "instagram/connections/followers_and_following/followers_1.json", json.dumps(followers)
        )
        archive.writestr(
            "instagram/connections/followers_and_following/following.json",
            json.dumps({"relationships_following": []}),
        )
        archive.writestr("linkedin/Connections.csv", "\n".join(lines) + "\n")
        archive.writestr("facebook/media/photo.jpg", rng.randbytes(200_000))
    return buffer.getvalue(), register


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=50_000)
    parser.add_argument("--clients", type=int, default=2_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    blob, register = build(args.people, args.clients)
    reads, audits, totals = [], [], []
    report = None
    for _ in range(args.runs):
        start = time.perf_counter()
        export = read_export(blob)
        read_done = time.perf_counter()
        report = audit(export, register)
        end = time.perf_counter()
        reads.append(read_done - start)
        audits.append(end - read_done)
        totals.append(end - start)
    assert report is not None
    assert report.complete, report.problems()
    print(f"machine: {describe()}")
    print(f"command: {command()}")
    print(
        f"download: {len(blob) / 2**20:.1f} MiB zip, {report.people_checked:,} people, "
        f"{len(register):,} clients in the register, {report.clients_found} planted clients found"
    )
    for label, values in (("read zip", reads), ("match", audits), ("total", totals)):
        print(
            f"{label:>9}: median {statistics.median(values):.3f} s, worst {max(values):.3f} s "
            f"over {args.runs} runs"
        )
    print(f"people/s (median total): {report.people_checked / statistics.median(totals):,.0f}")


if __name__ == "__main__":
    main()
