"""The `boundaries` command: clear one-line errors with exit code 2, per-row import reports."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from boundaries.cli.app import app

runner = CliRunner()


def invoke(*args: str, input_text: str | None = None) -> Any:
    return runner.invoke(app, list(args), input=input_text)


def write_policy(tmp_path: Path, country: str = "GB") -> Path:
    target = tmp_path / "policy.toml"
    result = invoke(
        "init",
        "--country",
        country,
        "--practice-name",
        "Harbour Light Therapy",
        "--therapist-name",
        "Morgan Vale",
        "--phone",
        "020 7946 0555" if country == "GB" else "+1 202 555 0143",
        "--email",
        "hello@harbour.example",
        "--website",
        "https://harbour.example",
        "--out",
        str(target),
    )
    assert result.exit_code == 0, result.output
    return target


@pytest.mark.parametrize("country", ["GB", "US"])
def test_it_writes_a_valid_policy_from_each_country_template(tmp_path: Path, country: str) -> None:
    target = write_policy(tmp_path, country)
    result = invoke("policy", "check", str(target))
    assert result.exit_code == 0, result.output
    assert "valid" in result.output


def test_it_refuses_to_overwrite_a_policy_without_force(tmp_path: Path) -> None:
    target = write_policy(tmp_path)
    result = invoke(
        "init", "--practice-name", "x", "--therapist-name", "y", "--phone", "020 7946 0555",
        "--email", "a@b.example", "--website", "https://b.example", "--out", str(target),
    )  # fmt: skip
    assert result.exit_code == 2
    assert "--force" in result.output


def test_it_reports_a_broken_policy_in_one_line_with_exit_code_2(tmp_path: Path) -> None:
    target = write_policy(tmp_path)
    target.write_text(target.read_text().replace("enabled = true", 'enabled = "yes"', 1))
    result = invoke("policy", "check", str(target))
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    assert "policy.toml:" in lines[0]
    assert "Traceback" not in result.output


def test_it_reports_a_missing_file_in_one_line(tmp_path: Path) -> None:
    result = invoke("policy", "check", str(tmp_path / "nope.toml"))
    assert result.exit_code == 2
    assert "nope.toml" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("fmt", ["html", "markdown", "text"])
def test_it_renders_every_clause_in_each_format(tmp_path: Path, fmt: str) -> None:
    from boundaries.core.policy.model import CLAUSE_ORDER

    result = invoke("policy", "render", str(write_policy(tmp_path)), "--format", fmt)
    assert result.exit_code == 0, result.output
    for clause_id in CLAUSE_ORDER:
        assert clause_id in result.output


def test_it_diffs_two_policy_files(tmp_path: Path) -> None:
    old = write_policy(tmp_path)
    new = tmp_path / "new.toml"
    new.write_text(old.read_text().replace("Harbour Light Therapy", "Harbour Therapy", 1))
    result = invoke("policy", "diff", str(old), str(new))
    assert result.exit_code == 0, result.output
    assert "Harbour" in result.output


@pytest.mark.django_db
def test_it_publishes_versions_and_lists_them(tmp_path: Path, practice: Any) -> None:
    source = write_policy(tmp_path)
    first = invoke("policy", "publish", str(source), "--summary", "First version")
    assert first.exit_code == 0, first.output
    again = invoke("policy", "publish", str(source), "--summary", "Again")
    assert again.exit_code == 2
    assert "nothing changed" in again.output
    listing = invoke("policy", "versions")
    assert "First version" in listing.output


@pytest.mark.django_db
def test_it_imports_good_rows_and_reports_each_bad_row(tmp_path: Path, practice: Any) -> None:
    csv_file = tmp_path / "clients.csv"
    csv_file.write_text(
        "first_name,last_name,email,phone,status,country,handles\n"
        "Ada,Brook,ada@example.org,0161 496 0101,present,GB,instagram:@ada_b\n"
        "Bea,,bea@example.org,,present,GB,\n"
        "Cal,Dune,not-an-email,,present,GB,\n"
        "Dot,Eden,,0161 496 0102,past,GB,\n"
        "Eli,Fenn,,12,present,GB,\n"
        "Fay,Gale,,,sideways,GB,\n"
    )
    result = invoke("client", "import", str(csv_file))
    assert result.exit_code == 1  # some rows were skipped
    assert "2 added, 4 skipped" in result.output
    assert practice.clients.count() == 2
    for line in ("3", "4", "6", "7"):
        assert line in result.output


@pytest.mark.django_db
def test_it_sets_and_shows_agreement_versions(practice: Any) -> None:
    added = invoke("client", "add", "--first", "Ivy", "--last", "Hale", "--phone", "0161 496 0199")
    assert added.exit_code == 0, added.output
    client = practice.clients.get()
    assert invoke("agreement", "set", str(client.pk), "--channels", "email,sms").exit_code == 0
    result = invoke(
        "agreement", "set", str(client.pk), "--channels", "email", "--session-content-by-email",
        "--agreed-on", "2026-11-20", "--terms", "Brief updates only",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    shown = invoke("agreement", "show", str(client.pk))
    assert "Brief updates only" in shown.output
    assert client.agreements.count() == 2


@pytest.mark.django_db
def test_it_rejects_a_bad_agreement_in_one_line(practice: Any) -> None:
    invoke("client", "add", "--first", "Ivy", "--last", "Hale")
    client = practice.clients.get()
    result = invoke("agreement", "set", str(client.pk), "--channels", "fax")
    assert result.exit_code == 2
    assert "channels must be among" in result.output
    assert invoke("agreement", "show", "999999").exit_code == 2
