"""`boundaries audit`: verify exits 0, or 1 naming the first bad entry; exports check alone."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from typer.testing import CliRunner

from boundaries.audit.models import AuditEntry
from boundaries.audit.store import write_checkpoint
from boundaries.cli.app import app
from tests.audit.conftest import append_entries

pytestmark = pytest.mark.django_db
runner = CliRunner()
NOW = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)


def audit(*args: str | Path) -> Any:
    return runner.invoke(app, ["audit", *map(str, args)])


@pytest.fixture
def public_key_file(signing_key_file: Path, tmp_path: Path) -> Path:
    result = audit("public-key")
    assert result.exit_code == 0, result.output
    path = tmp_path / "audit-public.pem"
    path.write_text(result.stdout, encoding="ascii")
    return path


@pytest.fixture
def log(signing_key_file: Path) -> None:
    append_entries(30)
    write_checkpoint(NOW)  # seq 30
    append_entries(10)
    write_checkpoint(NOW + dt.timedelta(hours=1))  # seq 40
    append_entries(5)


def test_it_says_the_log_verifies(log: None) -> None:
    result = audit("verify")
    assert result.exit_code == 0, result.output
    assert "45 entries (seq 1–45) and 2 signed checkpoints verify" in result.stdout


def test_it_exits_1_and_names_the_first_bad_entry(log: None) -> None:
    table = connection.ops.quote_name(AuditEntry._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET action = 'x' WHERE seq IN (12, 33)")  # noqa: S608
    result = audit("verify")
    assert result.exit_code == 1
    assert "first bad entry: seq 12: contents do not match entry_hash" in result.stdout


def test_it_uses_the_public_key_it_is_given(log: None, tmp_path: Path) -> None:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from boundaries.audit.chain import public_key_pem

    stranger = tmp_path / "stranger.pem"
    stranger.write_text(public_key_pem(Ed25519PrivateKey.generate().public_key()))
    result = audit("verify", "--public-key", stranger)
    assert result.exit_code == 1
    assert "checkpoint at seq 30: signed by an unknown key" in result.stdout


def test_it_exports_a_range_a_third_party_can_check_without_a_database(
    log: None, public_key_file: Path, tmp_path: Path
) -> None:
    out = tmp_path / "audit.json"
    result = audit("export", "--from", "31", "--to", "42", out)
    assert result.exit_code == 0, result.output
    assert "seq 41–42 are chained but no checkpoint covers them yet" in result.stdout
    data = json.loads(out.read_text())
    assert [cp["seq"] for cp in data["checkpoints"]] == [30, 40]
    assert data["anchor"]["seq"] == 30
    assert len(data["entries"]) == 12

    # The check runs in a fresh interpreter that never sets Django up.
    checker = (
        "import sys\nfrom boundaries.cli.audit_check import app\n"
        "try:\n    app(sys.argv[1:])\n"
        "finally:\n    assert 'django' not in sys.modules, 'check-export set Django up'\n"
    )
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            checker,
            "check-export",
            str(out),
            "--public-key",
            str(public_key_file),
        ],
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, done.stderr
    assert "seq 31–42: 12 entries chain from the anchor; signed up to seq 40" in done.stdout

    data["entries"][4]["reason"] = "edited"
    out.write_text(json.dumps(data))
    result = audit("check-export", out, "--public-key", public_key_file)
    assert result.exit_code == 1
    assert "seq 35: contents do not match entry_hash" in result.stdout


def test_it_warns_when_an_export_is_checked_with_its_own_key(log: None, tmp_path: Path) -> None:
    out = tmp_path / "audit.json"
    assert audit("export", "--to", "40", out).exit_code == 0
    result = audit("check-export", out)
    assert result.exit_code == 0, result.output
    assert "checked with the key the file carries" in result.stdout


def test_it_refuses_a_range_the_log_does_not_hold(log: None, tmp_path: Path) -> None:
    result = audit("export", "--from", "40", "--to", "99", tmp_path / "x.json")
    assert result.exit_code == 2
    assert "does not hold seq 40 to 99" in result.stderr


def test_it_rejects_a_file_that_is_not_an_export(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text("[1, 2]")
    assert audit("check-export", path).exit_code == 2
    path.write_text('{"format": "other"}')
    result = audit("check-export", path)
    assert result.exit_code == 1
    assert "not a boundaries-audit-export version 1 file" in result.stdout


def test_it_writes_a_checkpoint_on_demand(signing_key_file: Path) -> None:
    append_entries(3)
    result = audit("checkpoint")
    assert result.exit_code == 0, result.output
    assert "signed checkpoint at seq 3" in result.stdout
    assert "nothing new to sign" in audit("checkpoint").stdout


def test_it_generates_a_private_key_file_only_its_owner_can_read(tmp_path: Path) -> None:
    path = tmp_path / "keys" / "audit.key"
    assert audit("generate-key", path).exit_code == 0
    assert path.stat().st_mode & 0o777 == 0o600
    assert audit("generate-key", path).exit_code == 2  # never overwritten


def test_production_refuses_to_invent_a_signing_key(settings: Any) -> None:
    from boundaries.audit.signing import SigningKeyError, signing_key

    settings.PRODUCTION = True
    settings.AUDIT_SIGNING_KEY_FILE = ""
    with pytest.raises(SigningKeyError, match="BOUNDARIES_AUDIT_SIGNING_KEY_FILE must name"):
        signing_key()


def test_it_refuses_a_key_file_others_can_read(signing_key_file: Path) -> None:
    from boundaries.audit.signing import SigningKeyError, signing_key

    signing_key_file.chmod(0o644)
    with pytest.raises(SigningKeyError, match="chmod 600"):
        signing_key()
