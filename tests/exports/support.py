"""The sample downloads zipped at test time, and the fictional register they are checked against."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping
from pathlib import Path

from boundaries.core.platform_audit import RegisterClient

DATA = Path(__file__).resolve().parent.parent / "data" / "exports"

JOSE, SIOBHAN, NGOZI, SAM_PRESENT, SAM_PAST, ZOE, MAREK, HANNAH = range(1, 9)

REGISTER = (
    RegisterClient(
        JOSE,
        "José",
        "García",
        nicknames=("Pepe",),
        handles=(
            ("instagram", "pepe.garcia"),
            ("linkedin", "https://www.linkedin.com/in/jose-garcia-4b2a1c/"),
        ),
    ),
    RegisterClient(
        SIOBHAN, "Siobhán", "O'Connell", status="past", handles=(("ig", "@siobhan_oc"),)
    ),
    RegisterClient(NGOZI, "Ngozi", "Adeyemi", nicknames=("Zizi",), phones=("+441614960123",)),
    RegisterClient(SAM_PRESENT, "Sam", "Taylor"),
    RegisterClient(SAM_PAST, "Sam", "Taylor", status="past"),
    RegisterClient(
        ZOE,
        "Zoë",
        "Lindqvist",
        emails=("zoe.lindqvist@example.org",),
        handles=(("instagram", "zoelindqvist"),),
    ),
    RegisterClient(MAREK, "Marek", "Nowak", status="past", handles=(("instagram", "marek.nowak"),)),
    RegisterClient(HANNAH, "Hannah", "Fairweather"),
)


def zip_folder(
    name: str,
    *,
    extra: Mapping[str, bytes] | None = None,
    replace: Mapping[str, bytes] | None = None,
    prefix: str = "",
) -> bytes:
    """Zip ``tests/data/exports/<name>`` (deflated, as the platforms do), with changes."""
    root = DATA / name
    buffer = io.BytesIO()
    replace = dict(replace or {})
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(root.rglob("*")):
            if path.is_file():
                arcname = prefix + path.relative_to(root).as_posix()
                archive.writestr(arcname, replace.pop(arcname, None) or path.read_bytes())
        for arcname, data in {**replace, **(extra or {})}.items():
            archive.writestr(arcname, data)
    return buffer.getvalue()


def zip_members(members: Mapping[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for arcname, data in members.items():
            archive.writestr(arcname, data)
    return buffer.getvalue()


def corrupt_member(archive: bytes, arcname: str) -> bytes:
    """Flip bytes inside one member's compressed data, leaving the zip's directory intact."""
    with zipfile.ZipFile(io.BytesIO(archive)) as zf:
        info = zf.getinfo(arcname)
    # The local header is 30 bytes plus the name and extra field, then the data.
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data = bytearray(archive)
    for offset in range(start + 2, start + min(info.compress_size, 40)):
        data[offset] ^= 0x5A
    return bytes(data)
