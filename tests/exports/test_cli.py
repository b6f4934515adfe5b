"""``boundaries platform-audit import``: a summary; exit 1 for clients or incomplete, 2 if bad."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from boundaries.cli.app import app
from boundaries.platform_audit.models import ExportAudit
from boundaries.practices import actions as practice_actions
from tests.exports.support import zip_folder, zip_members

runner = CliRunner()
pytestmark = pytest.mark.django_db


@pytest.fixture
def jose(practice: Any, alice: Any) -> Any:
    return practice_actions.do_add_client(
        practice,
        first_name="José",
        last_name="García",
        therapist=alice,
        handles={"linkedin": "https://www.linkedin.com/in/jose-garcia-4b2a1c"},
    )


def run(path: Path, *extra: str) -> Any:
    args = ["platform-audit", "import", str(path), "--practice", "alder", "--therapist", "alice"]
    return runner.invoke(app, [*args, *extra])


def write(tmp_path: Path, blob: bytes, name: str = "download.zip") -> Path:
    target = tmp_path / name
    target.write_bytes(blob)
    return target


def test_it_prints_the_clients_found_and_exits_1(tmp_path: Path, jose: Any) -> None:
    result = run(write(tmp_path, zip_folder("linkedin_current")))
    assert result.exit_code == 1, result.output
    assert "LinkedIn, 6 people checked, 1 clients found" in result.output
    assert "Connections with clients to remove (1), clause no-connections" in result.output
    assert "José García on LinkedIn" in result.output
    assert "certain, 100%" in result.output
    assert ExportAudit.objects.count() == 1


def test_it_exits_0_on_a_complete_audit_with_no_client(tmp_path: Path, jose: Any) -> None:
    result = run(write(tmp_path, zip_folder("linkedin_previous")))
    assert result.exit_code == 0, result.output
    assert "All clear" in result.output


def test_it_exits_1_and_names_what_it_could_not_read(tmp_path: Path, jose: Any) -> None:
    blob = zip_members({"Connections.csv": b"Notes:\nnothing useful\n"})
    result = run(write(tmp_path, blob))
    assert result.exit_code == 1
    assert "INCOMPLETE" in result.output
    assert "Connections.csv: no header row" in result.output
    assert "All clear" not in result.output


def test_it_exits_1_for_a_truncated_download(tmp_path: Path, jose: Any) -> None:
    blob = zip_folder("facebook_current")
    result = run(write(tmp_path, blob[:-300]))
    assert result.exit_code == 1
    assert "cut short" in result.output


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("missing", "No such file"),
        ("not_zip", "not a zip archive"),
        ("practice", "no therapist 'alice' in a practice 'nowhere'"),
    ],
)
def test_it_exits_2_with_one_line_on_bad_input(
    tmp_path: Path, jose: Any, setup: str, message: str
) -> None:
    path = tmp_path / "absent.zip"
    extra: tuple[str, ...] = ()
    if setup == "not_zip":
        path = write(tmp_path, b"<html>expired</html>")
    if setup == "practice":
        path = write(tmp_path, zip_folder("linkedin_current"))
        extra = ("--practice", "nowhere")
    result = run(path, *extra)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output
    assert ExportAudit.objects.count() == 0
