"""Production refuses to start without real secrets and passes Django's deployment check."""

from __future__ import annotations

import os
import subprocess
import sys

GOOD_KEY = "k" * 20 + "3x!Qz" * 8
MASTER_KEY = "q" * 43  # the format is checked by the vault's keyring; here only its presence


def run_check(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "boundaries.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_it_refuses_to_start_in_production_without_a_secret_key() -> None:
    env = {"BOUNDARIES_ENV": "production", "SECRET_KEY": "", "ALLOWED_HOSTS": "example.org"}
    result = run_check(env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_it_passes_the_deployment_check_in_production_with_no_warnings() -> None:
    env = {
        "BOUNDARIES_ENV": "production",
        "SECRET_KEY": GOOD_KEY,
        "ALLOWED_HOSTS": "therapy.example.org",
        "BOUNDARIES_MASTER_KEY": MASTER_KEY,
    }
    result = run_check(env)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "System check identified no issues" in result.stdout


def test_it_refuses_to_start_in_production_without_a_vault_master_key() -> None:
    env = {"BOUNDARIES_ENV": "production", "SECRET_KEY": GOOD_KEY, "ALLOWED_HOSTS": "example.org"}
    env["BOUNDARIES_MASTER_KEY"] = ""
    result = run_check(env)
    assert result.returncode != 0
    assert "BOUNDARIES_MASTER_KEY" in result.stderr


def test_it_refuses_to_start_with_a_trusted_proxy_that_is_not_an_address() -> None:
    result = run_check({"BOUNDARIES_TRUSTED_PROXIES": "127.0.0.1,proxy.internal"})
    assert result.returncode != 0
    assert "BOUNDARIES_TRUSTED_PROXIES: 'proxy.internal' is not an IP address" in result.stderr
