"""Opening a platform download (a zip) and reading the lists inside it.

Only files that can hold friends, followers, following, requests or
connections are read; photos, messages and everything else are skipped
unread. Anything that goes wrong becomes an ``Unreadable`` entry naming the
file, so a damaged download can never produce a false all-clear.
"""

from __future__ import annotations

import zipfile
import zlib
from io import BytesIO
from pathlib import PurePosixPath
from typing import IO

from boundaries.core.platform_audit.linkedin import is_linkedin_list, read_linkedin_csv
from boundaries.core.platform_audit.meta import is_meta_html, is_meta_list, read_meta_json
from boundaries.core.platform_audit.model import ExportData, SectionData, Unreadable

__all__ = ["MAX_MEMBER_BYTES", "read_export"]

# A list of 50,000 people is a few megabytes; anything this large is not one.
MAX_MEMBER_BYTES = 256 * 1024 * 1024

_DAMAGED = (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError)


def _read_member(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, max_bytes: int
) -> bytes | Unreadable:
    path = info.filename
    if info.file_size > max_bytes:
        return Unreadable(path, f"too large to be a list ({info.file_size // 2**20} MiB)")
    try:
        with archive.open(info) as member:
            data = member.read(max_bytes + 1)
    except RuntimeError:  # zipfile's way of saying the member is encrypted
        return Unreadable(path, "password-protected inside the archive")
    except NotImplementedError:
        return Unreadable(path, "compressed in a way that cannot be read")
    except _DAMAGED:
        return Unreadable(path, "damaged inside the archive (download it again)")
    if len(data) > max_bytes:
        return Unreadable(path, "too large to be a list")
    return data


def read_export(file: IO[bytes] | bytes, *, max_member_bytes: int = MAX_MEMBER_BYTES) -> ExportData:
    """Read every friends/followers/requests/connections list in a download zip."""
    stream = BytesIO(file) if isinstance(file, bytes) else file
    try:
        archive = zipfile.ZipFile(stream)
    except _DAMAGED:
        problem = "the archive could not be opened: it is not a zip file, or it was cut short"
        return ExportData(sections=(), unreadable=(Unreadable("", problem),))
    sections: list[SectionData] = []
    unreadable: list[Unreadable] = []
    seen = skipped = 0
    with archive:
        for info in archive.infolist():
            if info.is_dir():
                continue
            seen += 1
            path = info.filename.replace("\\", "/")
            if path.startswith("__MACOSX/"):
                skipped += 1
                continue
            if PurePosixPath(path).suffix.lower() == ".zip":
                unreadable.append(
                    Unreadable(path, "an archive inside the archive: upload it on its own")
                )
                continue
            if is_meta_html(path):
                unreadable.append(
                    Unreadable(path, "this list is in HTML: request the download again as JSON")
                )
                continue
            meta, linkedin = is_meta_list(path), is_linkedin_list(path)
            if not (meta or linkedin):
                skipped += 1
                continue
            data = _read_member(archive, info, max_member_bytes)
            if isinstance(data, Unreadable):
                unreadable.append(data)
                continue
            found, problems = (read_meta_json if meta else read_linkedin_csv)(path, data)
            sections.extend(found)
            unreadable.extend(problems)
    return ExportData(
        sections=tuple(sections),
        unreadable=tuple(unreadable),
        files_seen=seen,
        files_skipped=skipped,
    )
