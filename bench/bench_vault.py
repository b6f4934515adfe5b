"""Vault throughput: a 1 GB file sealed and opened disk to disk, and key rotation over headers.

Run from the repository root:

    .venv/bin/python bench/bench_vault.py [--size-mb 1024] [--objects 10000] [--dir /tmp]

It writes a file of ``--size-mb`` MiB of random bytes under ``--dir``, seals it
into a second file, opens that into a third (checking a SHA-256 of the content
on the way), and deletes all three. Each phase prints MiB/s and the process's
peak RSS so far (``resource.getrusage``), then key rotation rewraps the headers
of ``--objects`` objects and prints the rate. The machine and the command are
printed with the figures, ready for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from bench.machine import command, describe  # noqa: E402 (path set up above)
from boundaries.vault.crypto import (  # noqa: E402
    HEADER_SIZE,
    decrypt_stream,
    encrypt_bytes,
    encrypt_stream,
    rewrap,
)
from boundaries.vault.keys import Keyring  # noqa: E402

MIB = 1024 * 1024


def peak_rss_mib() -> float:
    # ru_maxrss is in KiB on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def file_digest(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def make_plain_file(path: Path, size: int) -> str:
    block = bytearray(os.urandom(MIB))
    digest = hashlib.sha256()
    with path.open("wb") as handle:
        for number in range(size // MIB):
            block[:8] = number.to_bytes(8, "big")  # no two blocks alike
            digest.update(block)
            handle.write(block)
    return digest.hexdigest()


def timed(label: str, size: int, action: Callable[[], None]) -> float:
    start = time.perf_counter()
    action()
    seconds = time.perf_counter() - start
    rate = size / MIB / seconds
    print(f"{label:<28} {seconds:7.2f} s  {rate:8.1f} MiB/s  peak RSS {peak_rss_mib():6.1f} MiB")
    return rate


def bench_stream(directory: Path, size: int, keyring: Keyring) -> None:
    plain, sealed, opened = (directory / name for name in ("plain", "sealed", "opened"))
    try:
        expected = make_plain_file(plain, size)
        print(f"generated {size // MIB} MiB; peak RSS {peak_rss_mib():.1f} MiB before the vault")

        def seal() -> None:
            with plain.open("rb") as src, sealed.open("wb") as dst:
                encrypt_stream(src, dst, keyring=keyring, object_id="bench:1")
                dst.flush()
                os.fsync(dst.fileno())

        def open_() -> None:
            with sealed.open("rb") as src, opened.open("wb") as dst:
                decrypt_stream(src, dst, keyring=keyring, object_id="bench:1")
                dst.flush()
                os.fsync(dst.fileno())

        timed("encrypt disk to disk", size, seal)
        overhead = sealed.stat().st_size - size
        print(f"ciphertext overhead          {overhead} bytes ({overhead / size:.5%})")
        opened.unlink(missing_ok=True)
        timed("decrypt disk to disk", size, open_)
        if file_digest(opened) != expected:
            raise SystemExit("decrypted content differs from the original")
        print("decrypted content matches the original (SHA-256)")
    finally:
        for path in (plain, sealed, opened):
            path.unlink(missing_ok=True)


def bench_rotation(count: int) -> None:
    old_key, new_key = os.urandom(32), os.urandom(32)
    old = Keyring(old_key)
    headers = [
        encrypt_bytes(b"m" * 200, keyring=old, object_id=f"inbox:1:{n}")[:HEADER_SIZE]
        for n in range(count)
    ]
    rotating = Keyring(new_key, old=[old_key])
    start = time.perf_counter()
    rotated = [rewrap(header, rotating, rotating) for header in headers]
    seconds = time.perf_counter() - start
    assert all(r[21:29] == rotating.primary_id for r in rotated)
    print(
        f"key rotation: {count} headers rewrapped in {seconds:.3f} s = "
        f"{count / seconds:,.0f} objects/s (headers only; chunks untouched)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=int, default=1024, help="file size in MiB")
    parser.add_argument("--objects", type=int, default=10_000)
    parser.add_argument("--dir", default=tempfile.gettempdir())
    args = parser.parse_args()
    print(f"machine: {describe()}")
    print(f"command: {command()}")
    keyring = Keyring(os.urandom(32))
    with tempfile.TemporaryDirectory(prefix="bench-vault-", dir=args.dir) as directory:
        bench_stream(Path(directory), args.size_mb * MIB, keyring)
    bench_rotation(args.objects)
    print(f"peak RSS of the whole run {peak_rss_mib():.1f} MiB")


if __name__ == "__main__":
    main()
