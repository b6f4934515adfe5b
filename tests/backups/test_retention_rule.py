"""The grandfather-father-son rule: which scheduled backups are kept, on plain dates."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from boundaries.backups.retention import (
    Keep,
    backup_name,
    parse_backup_name,
    parse_keep,
    to_keep,
    to_prune,
)
from boundaries.backups.scheduled import prune


def at(year: int, month: int, day: int, hour: int = 2) -> dt.datetime:
    return dt.datetime(year, month, day, hour, 0, tzinfo=dt.UTC)


def daily(first: dt.datetime, last: dt.datetime) -> list[dt.datetime]:
    return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]


def test_it_keeps_7_days_4_weeks_and_12_months_of_a_year_of_daily_backups() -> None:
    year = daily(at(2026, 1, 1), at(2026, 12, 31))
    kept = to_keep(year, Keep(7, 4, 12))
    last_seven_days = {at(2026, 12, day) for day in range(25, 32)}
    # ISO weeks 53, 52, 51, 50 of 2026 end on Sunday 3 Jan 2027 (not yet), 27, 20 and 13 Dec.
    newest_of_last_four_weeks = {
        at(2026, 12, 31),
        at(2026, 12, 27),
        at(2026, 12, 20),
        at(2026, 12, 13),
    }
    month_ends = {
        at(2026, month, day)
        for month, day in [
            (1, 31), (2, 28), (3, 31), (4, 30), (5, 31), (6, 30),
            (7, 31), (8, 31), (9, 30), (10, 31), (11, 30), (12, 31),
        ]
    }  # fmt: skip
    assert kept == last_seven_days | newest_of_last_four_weeks | month_ends
    assert len(kept) == 20
    assert sorted(set(year) - kept) == to_prune(year, Keep(7, 4, 12))


def test_it_keeps_the_newest_backup_of_each_day() -> None:
    times = [at(2026, 5, 1, hour) for hour in (1, 9, 17)] + [at(2026, 5, 2, 3)]
    assert to_keep(times, Keep(daily=7, weekly=0, monthly=0)) == {
        at(2026, 5, 1, 17),
        at(2026, 5, 2, 3),
    }


def test_it_does_not_spend_a_slot_on_a_day_without_a_backup() -> None:
    times = daily(at(2026, 3, 1), at(2026, 3, 10)) + daily(at(2026, 3, 20), at(2026, 3, 22))
    kept = to_keep(times, Keep(daily=7, weekly=0, monthly=0))
    assert kept == {at(2026, 3, day) for day in (7, 8, 9, 10, 20, 21, 22)}


def test_it_always_keeps_the_newest_backup() -> None:
    times = daily(at(2026, 1, 1), at(2026, 1, 5))
    assert to_keep(times, Keep(0, 0, 0)) == {at(2026, 1, 5)}
    assert to_keep([], Keep()) == set()


def test_it_keeps_twelve_months_across_a_new_year() -> None:
    times = [at(2025, month, 15) for month in range(1, 13)] + [at(2026, 1, 15), at(2026, 2, 15)]
    kept = to_keep(times, Keep(daily=0, weekly=0, monthly=12))
    assert kept == set(times) - {at(2025, 1, 15), at(2025, 2, 15)}


def test_it_reads_the_keep_setting_and_names_a_bad_one() -> None:
    assert parse_keep("7,4,12") == Keep(7, 4, 12)
    assert parse_keep(" 1, 0 ,3") == Keep(1, 0, 3)
    for bad in ("7,4", "7,4,12,1", "a,b,c", "-1,4,12", ""):
        with pytest.raises(ValueError, match="BOUNDARIES_BACKUP_KEEP"):
            parse_keep(bad)


def test_it_names_backups_by_their_utc_time_and_reads_the_name_back() -> None:
    made = dt.datetime(2026, 3, 1, 13, 4, 5, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    assert backup_name(made) == "boundaries-20260301T120405Z.backup"
    assert parse_backup_name("boundaries-20260301T120405Z.backup") == at(2026, 3, 1, 12).replace(
        minute=4, second=5
    )
    assert parse_backup_name("boundaries-20260301T120405Z-2.backup") is not None
    assert parse_backup_name("boundaries-20261301T120405Z.backup") is None
    assert parse_backup_name("notes.txt") is None


def test_it_prunes_only_files_named_like_backups(tmp_path: Path) -> None:
    for moment in daily(at(2026, 1, 1), at(2026, 1, 20)):
        (tmp_path / backup_name(moment)).write_bytes(b"x")
    (tmp_path / "README.txt").write_text("mine", encoding="utf-8")
    deleted = prune(tmp_path, Keep(daily=3, weekly=0, monthly=0))
    assert len(deleted) == 17
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        "README.txt",
        "boundaries-20260118T020000Z.backup",
        "boundaries-20260119T020000Z.backup",
        "boundaries-20260120T020000Z.backup",
    ]
