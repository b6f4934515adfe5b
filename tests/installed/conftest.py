"""The input files, the demo data folder, and the background runs the test modules wait on."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.installed.bad_cases import BAD
from tests.installed.shell import JOBS, Result, run, selected_cases, workspace, write_inputs


@pytest.fixture(scope="session")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("inputs")
    write_inputs(folder)
    return folder


@pytest.fixture(scope="session")
def demo_data(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Result]:
    """A data folder with the database made and the demo practice loaded, to copy from."""
    folder = tmp_path_factory.mktemp("demo-data")
    result = run(("demo", "--no-serve"), cwd=folder, data=folder / "data")
    assert result.returncode == 0, result.describe()
    return folder / "data", result


@pytest.fixture(scope="session")
def bad_data(
    tmp_path_factory: pytest.TempPathFactory, inputs: Path, demo_data: tuple[Path, Result]
) -> tuple[Path, Path]:
    """Where the bad-input cases run: the demo data with a second practice, an audit
    export and half a snapshot beside it (see ``bad_cases.py``)."""
    cwd, data = workspace(tmp_path_factory.mktemp("bad") / "run", inputs, demo_data[0])
    for args in (
        ("practice", "create", "Second", "--country", "GB", "--slug", "second",
         "--domain", "second.example"),
        ("backup", "--output", "backups"),
        ("audit", "export", "audit.json"),
    ):  # fmt: skip
        result = run(args, cwd=cwd, data=data)
        assert result.returncode == 0, result.describe()
    (snapshot,) = (cwd / "backups").iterdir()
    blob = snapshot.read_bytes()
    (cwd / "truncated.backup").write_bytes(blob[: len(blob) // 2])
    return cwd, data


@pytest.fixture(scope="module")
def bad_results(
    request: pytest.FixtureRequest, bad_data: tuple[Path, Path]
) -> Iterator[dict[str, Future[Result]]]:
    """This module's selected bad-input cases, started a few at a time in the background."""
    wanted = selected_cases(request)
    cwd, data = bad_data
    pool = ThreadPoolExecutor(max_workers=JOBS)
    try:
        yield {
            case.id: pool.submit(run, case.args, cwd=cwd, data=data, stdin=case.stdin, env=case.env)
            for case in BAD
            if case.id in wanted
        }
    finally:
        pool.shutdown(cancel_futures=True)
