"""The input files and the demo data folder every installed-command case starts from."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.installed.shell import Result, run, write_inputs


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
