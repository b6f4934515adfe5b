"""The daily backup job: take a snapshot into ``BOUNDARIES_BACKUP_DIR``, then prune old ones.

Only files named like a backup (``boundaries-YYYYmmddTHHMMSSZ.backup``) are
ever pruned, by the grandfather-father-son rule in ``retention``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from boundaries.backups.retention import Keep, parse_backup_name, parse_keep, to_prune
from boundaries.backups.snapshot import BackupResult, create_backup

__all__ = ["ScheduledReport", "prune", "run_scheduled_backup"]


@dataclass(frozen=True, slots=True)
class ScheduledReport:
    backup: BackupResult
    pruned: tuple[Path, ...]


def prune(directory: Path, keep: Keep) -> list[Path]:
    """Delete the backups in ``directory`` that the rule lets go; the paths deleted."""
    by_time: dict[dt.datetime, list[Path]] = {}
    for path in directory.iterdir():
        made = parse_backup_name(path.name)
        if made is not None and path.is_file():
            by_time.setdefault(made, []).append(path)
    deleted = []
    for made in to_prune(by_time, keep):
        for path in by_time[made]:
            path.unlink(missing_ok=True)
            deleted.append(path)
    return deleted


def run_scheduled_backup(now: dt.datetime) -> ScheduledReport:
    from django.conf import settings

    directory = Path(settings.BOUNDARIES_BACKUP_DIR)
    keep = parse_keep(settings.BOUNDARIES_BACKUP_KEEP)
    result = create_backup(directory, now=now)
    return ScheduledReport(result, tuple(prune(directory, keep)))
