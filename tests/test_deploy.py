"""The deployment files, exercised as far as this machine allows.

There is no container engine here, so the compose file is checked for what it
runs, and the very commands the systemd units and compose services start are
run as subprocesses in production mode against this run's database: the web
server must answer /healthz and /readyz, the others must stay up.
"""

from __future__ import annotations

import configparser
import os
import re
import shlex
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.channels.smtp_helpers import free_port, wait_for_port
from tests.channels.test_smtp_crash import database_url

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
VENV_BIN = Path(sys.executable).parent
UNITS = sorted((DEPLOY / "systemd").glob("*.service"))


def exec_start(unit: Path) -> list[str]:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # systemd keys are case-sensitive
    parser.read(unit)
    command = shlex.split(parser["Service"]["ExecStart"])
    command[0] = command[0].replace("/srv/boundaries/.venv/bin", str(VENV_BIN))
    return command


def exec_start_pre(unit: Path) -> list[list[str]]:
    """Every ``ExecStartPre`` line, in order (configparser would keep only the last)."""
    commands = []
    for line in unit.read_text().splitlines():
        if line.startswith("ExecStartPre="):
            command = shlex.split(line.removeprefix("ExecStartPre="))
            command[0] = command[0].replace("/srv/boundaries/.venv/bin", str(VENV_BIN))
            commands.append(command)
    return commands


def production_env(tmp_path: Path) -> dict[str, str]:
    from boundaries.vault.keys import generate_master_key

    key_file = tmp_path / "master.key"
    key_file.write_text(generate_master_key())
    key_file.chmod(0o600)
    return {
        **os.environ,
        "BOUNDARIES_ENV": "production",
        "SECRET_KEY": "deploy-test-" + "x9Q!" * 16,
        "BOUNDARIES_MASTER_KEY_FILE": str(key_file),
        "BOUNDARIES_DATA_DIR": str(tmp_path),
        "DATABASE_URL": database_url(),
        "ALLOWED_HOSTS": "127.0.0.1",
        "LOG_FORMAT": "json",
    }


def test_it_declares_a_unit_for_each_process() -> None:
    assert {unit.stem for unit in UNITS} == {
        "boundaries-web",
        "boundaries-worker",
        "boundaries-scheduler",
        "boundaries-smtpd",
    }


def test_it_runs_in_compose_only_commands_that_exist() -> None:
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    assert {"db", "web", "worker", "scheduler", "smtpd", "migrate", "mta"} <= set(
        compose["services"]
    )
    for name, service in compose["services"].items():
        if name in {"db", "mta"}:
            continue
        command = service["command"]
        if command[0] == "boundaries":
            result = subprocess.run(
                [str(VENV_BIN / "boundaries"), command[1], "--help"],
                capture_output=True,
                text=True,
                timeout=60,
                check=False,
            )
            assert result.returncode == 0, (name, result.stderr)
        else:
            assert command[:2] == ["gunicorn", "boundaries.wsgi:application"]


def test_port_25_is_postfixs_and_the_receiver_is_never_exposed() -> None:
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    services = compose["services"]
    published = {name: service.get("ports", []) for name, service in services.items()}
    assert published["mta"] == ["25:25"]
    assert published["smtpd"] == []
    assert not any(
        "25" in port for name, ports in published.items() if name != "mta" for port in ports
    )
    assert services["mta"]["build"] == "./postfix"
    assert services["mta"]["environment"]["RELAY_NEXTHOP"] == "[smtpd]:2525"
    assert "mta-queue:/var/spool/postfix" in services["mta"]["volumes"]
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.optionxform = str  # type: ignore[assignment,method-assign]  # systemd keys are case-sensitive
    unit.read(DEPLOY / "systemd" / "boundaries-smtpd.service")
    assert "--host 127.0.0.1 --port 2525" in unit["Service"]["ExecStart"]
    assert int(unit["Service"]["LimitNOFILE"]) >= 4096
    main_cf = (DEPLOY / "postfix" / "main.cf").read_text()
    assert "relay_transport = relay:@RELAY_NEXTHOP@" in main_cf
    assert "smtpd_tls_security_level = may" in main_cf
    assert "reject_unverified_recipient" in main_cf


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_it_starts_every_unit_in_production_mode_against_the_database(tmp_path: Path) -> None:
    env = production_env(tmp_path)
    web_port, smtp_port = free_port(), free_port()
    processes: dict[str, subprocess.Popen[bytes]] = {}
    try:
        for unit in UNITS:
            for before in exec_start_pre(unit):  # as systemd runs them: migrate, collectstatic
                done = subprocess.run(
                    before, env=env, cwd=tmp_path, capture_output=True, timeout=300, check=False
                )
                assert done.returncode == 0, (before, done.stderr.decode()[-2000:])
            command = [
                part.replace("127.0.0.1:8000", f"127.0.0.1:{web_port}").replace(
                    "2525", str(smtp_port)
                )
                for part in exec_start(unit)
            ]
            # Listen on loopback only in tests.
            command = [part.replace("0.0.0.0", "127.0.0.1") for part in command]  # noqa: S104
            # The web unit's access log goes to standard output: kept to read below.
            stdout = (tmp_path / "web.out").open("wb") if unit.stem == "boundaries-web" else None
            processes[unit.stem] = subprocess.Popen(
                command,
                env=env,
                stdout=stdout or subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                cwd=tmp_path,
            )
        wait_for_port(web_port, timeout=60)
        wait_for_port(smtp_port, timeout=60)
        for path in ("/healthz", "/readyz"):
            with urllib.request.urlopen(
                f"http://127.0.0.1:{web_port}{path}", timeout=10
            ) as response:
                assert response.status == 200, path
        # A feed's secret address in the path and in the Referer: the access log names neither.
        link = f"http://127.0.0.1:{web_port}/calendar/l1ve-t0ken-in-a-link.ics"
        headers = {"Referer": link, "X-Forwarded-Proto": "https"}  # as the proxy says it
        with pytest.raises(urllib.error.HTTPError, match="404"):
            urllib.request.urlopen(urllib.request.Request(link, headers=headers), timeout=10)
        # Our own 404 page, with its stylesheet from the collected, fingerprinted files.
        with pytest.raises(urllib.error.HTTPError) as not_found:
            urllib.request.urlopen(
                urllib.request.Request(
                    f"http://127.0.0.1:{web_port}/nothing-here/", headers=headers
                ),
                timeout=10,
            )
        page = not_found.value.read().decode()
        stylesheet = re.search(r'href="(/static/[^"]+\.css)"', page)
        assert stylesheet is not None, page[:500]
        css = urllib.request.Request(f"http://127.0.0.1:{web_port}{stylesheet[1]}", headers=headers)
        with urllib.request.urlopen(css, timeout=10) as response:  # noqa: S310 - http to loopback
            assert response.status == 200
        time.sleep(2)
        for name, process in processes.items():
            assert process.poll() is None, (
                f"{name} exited: {process.stderr.read().decode()[-2000:] if process.stderr else ''}"
            )
        access_log = (tmp_path / "web.out").read_text()
        assert "GET /healthz" in access_log
        assert "GET /calendar/[redacted] HTTP/1.1" in access_log
        assert "l1ve-t0ken" not in access_log
    finally:
        for process in processes.values():
            process.terminate()
        for process in processes.values():
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()


def test_it_passes_djangos_deployment_check_with_the_example_environment(tmp_path: Path) -> Any:
    example = dict(
        line.split("=", 1)
        for line in (DEPLOY / "environment.example").read_text().splitlines()
        if line and not line.startswith("#")
    )
    key_file = tmp_path / "master.key"
    from boundaries.vault.keys import generate_master_key

    key_file.write_text(generate_master_key())
    key_file.chmod(0o600)
    example |= {"BOUNDARIES_MASTER_KEY_FILE": str(key_file), "BOUNDARIES_DATA_DIR": str(tmp_path)}
    result = subprocess.run(
        [str(VENV_BIN / "boundaries"), "manage", "check", "--deploy", "--fail-level", "WARNING"],
        env={**os.environ, **example},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr + result.stdout
