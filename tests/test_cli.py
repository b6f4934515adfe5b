"""The `boundaries` command: clear one-line errors with exit code 2, per-row import reports."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from boundaries.cli.app import app

runner = CliRunner()


def invoke(*args: str, input_text: str | None = None) -> Any:
    return runner.invoke(app, list(args), input=input_text)


#: A US practice's board, as a US therapist gives it to `init` (the template's is a placeholder).
US_BOARD = (
    "--body-name", "Board of Behavioral Sciences", "--body-short-name", "BBS",
    "--body-address", "1625 North Market Blvd, Suite S-200, Sacramento, CA 95834",
    "--body-url", "https://www.bbs.ca.gov",
)  # fmt: skip


def write_policy(tmp_path: Path, country: str = "GB", *extra: str) -> Path:
    target = tmp_path / "policy.toml"
    result = invoke(
        "init",
        "--country",
        country,
        "--practice-name",
        "Harbour Light Therapy",
        "--therapist-name",
        "Morgan Vale",
        # North America's only fictional numbers (555) are placeholders to the check; a
        # number in Ofcom's drama range reaches no one either, and is a valid number.
        "--phone",
        "020 7946 0555" if country == "GB" else "+44 20 7946 0555",
        "--email",
        "hello@harbour.example",
        "--website",
        "https://harbour.example",
        "--out",
        str(target),
        *(extra or (US_BOARD if country == "US" else ())),
    )
    assert result.exit_code == 0, result.output
    return target


@pytest.mark.parametrize("country", ["GB", "US"])
def test_it_writes_a_valid_policy_from_each_country_template(tmp_path: Path, country: str) -> None:
    target = write_policy(tmp_path, country)
    result = invoke("policy", "check", str(target))
    assert result.exit_code == 0, result.output
    assert "valid" in result.output


def test_it_refuses_a_policy_with_a_placeholder_left_naming_the_key_and_line(
    tmp_path: Path,
) -> None:
    target = write_policy(tmp_path, "US", "--timezone", "America/Chicago")  # no board given
    result = invoke("policy", "check", str(target))
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    assert "policy.toml:" in lines[0]
    assert "practice.professional_body.name" in lines[0]
    assert "practice.professional_body.url" in lines[0]
    assert "Traceback" not in result.output


def test_it_says_what_init_left_to_fill_in(tmp_path: Path) -> None:
    target = tmp_path / "policy.toml"
    result = invoke(
        "init", "--country", "US", "--practice-name", "x", "--therapist-name", "y",
        "--phone", "+1 202 555 0143", "--email", "a@b.example", "--website", "https://b.example",
        "--out", str(target),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "replace the placeholders" in result.output
    assert "practice.phone" in result.output
    assert "practice.professional_body.url" in result.output


def test_it_wants_all_of_the_bodys_details_or_none(tmp_path: Path) -> None:
    result = invoke(
        "init", "--country", "US", "--practice-name", "x", "--therapist-name", "y",
        "--phone", "+44 20 7946 0555", "--email", "a@b.example", "--website", "https://b.example",
        "--out", str(tmp_path / "p.toml"), "--body-name", "Board of Psychology",
    )  # fmt: skip
    assert result.exit_code == 2
    assert "--body-url" in result.output


def test_it_checks_the_demo_practices_policy_as_valid(tmp_path: Path) -> None:
    from boundaries.core.policy.templates import demo_source
    from boundaries.demo import demo_policy_source

    for name, text in [
        ("demo.toml", demo_policy_source()),
        ("demo-us.toml", demo_source("US")),
    ]:
        target = tmp_path / name
        target.write_text(text, encoding="utf-8")
        result = invoke("policy", "check", str(target))
        assert result.exit_code == 0, result.output


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


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("host", "site"),
    [("127.0.0.1", "http://127.0.0.1:8765"), ("0.0.0.0", "http://127.0.0.1:8765")],  # noqa: S104
)
def test_the_demo_links_alerts_to_the_port_it_serves(
    monkeypatch: pytest.MonkeyPatch, host: str, site: str
) -> None:
    from django.conf import settings

    from boundaries.cli import services
    from boundaries.inbox.models import Message
    from boundaries.inbox.tasks import alert_text

    monkeypatch.delenv("SITE_URL", raising=False)  # restored after, as is the setting
    monkeypatch.setattr(settings, "SITE_URL", settings.SITE_URL)
    seen: dict[str, str] = {}

    def start_children(commands: list[list[str]]) -> list[Any]:
        seen["children"] = os.environ["SITE_URL"]  # what the worker would inherit
        return []

    def serve(host: str, port: int) -> None:
        seen["alert"] = alert_text(Message(pk=7))  # what this process would write

    monkeypatch.setattr(services, "_start_children", start_children)
    monkeypatch.setattr(services, "_serve", serve)
    result = invoke("demo", "--host", host, "--port", "8765", "--smtp-port", "2626")
    assert result.exit_code == 0, result.output
    assert seen["children"] == site
    assert f"{site}/dashboard/messages/7/" in seen["alert"]
