#!/usr/bin/env python3
"""Install and run Boundaries from a fresh clone, with nothing but python3 (3.11+) and git.

    python3 dev.py demo    install from the lock file, load the demo practice, serve it
    python3 dev.py test    install from the lock file, run lint, types and the whole test suite

Everything is installed from ``uv.lock`` into ``.venv`` by a pinned uv that
this script installs into ``.tools``. Set ``DATABASE_URL`` to run the tests on
PostgreSQL instead of SQLite.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
TOOLS = ROOT / ".tools"
UV_VERSION = "0.13.8"
# Debian packages the test suite drives for real (added as the features that need them land).
TEST_DEBIAN_PACKAGES: dict[str, str] = {
    "dovecot": "dovecot-imapd",  # a real IMAP server for the poller's tests
    "chromium": "chromium",  # Debian's browser for the Playwright tests (never a downloaded one)
    "npm": "npm",  # installs axe-core from package-lock.json
    "nginx": "nginx-light",  # a real reverse proxy in front of the sign-in limit tests
    "postfix": "postfix",  # the front MTA of deploy/postfix, run privately by its test
}
# Debconf answers given before installing: Postfix unconfigured, so installing it never
# starts a system mail server (the test runs its own instance on loopback).
DEBCONF_SELECTIONS = "postfix postfix/main_mailer_type select No configuration\n"


def say(message: str) -> None:
    print(f"==> {message}", flush=True)


def run(command: list[str], **kwargs: object) -> None:
    result = subprocess.run(command, cwd=ROOT, check=False, **kwargs)  # type: ignore[call-overload]  # noqa: S603
    if result.returncode != 0:
        say(f"failed ({result.returncode}): {' '.join(command)}")
        sys.exit(result.returncode)


def uv_env() -> dict[str, str]:
    env = dict(os.environ)
    env["UV_PYTHON_DOWNLOADS"] = "never"
    env.pop("VIRTUAL_ENV", None)
    return env


def ensure_uv() -> Path:
    uv = TOOLS / "bin" / "uv"
    marker = TOOLS / f"uv-{UV_VERSION}"
    if not (uv.exists() and marker.exists()):
        say(f"installing uv {UV_VERSION} into .tools")
        shutil.rmtree(TOOLS, ignore_errors=True)
        venv.create(TOOLS, with_pip=True)
        run([str(TOOLS / "bin" / "python"), "-m", "pip", "install", "--quiet", f"uv=={UV_VERSION}"])
        marker.touch()
    return uv


def sync(*, dev: bool) -> None:
    uv = ensure_uv()
    say("installing dependencies from uv.lock")
    command = [str(uv), "sync", "--locked", "--python", sys.executable]
    if not dev:
        command.append("--no-dev")
    run(command, env=uv_env())


def ensure_debian_packages() -> None:
    missing = [pkg for binary, pkg in TEST_DEBIAN_PACKAGES.items() if shutil.which(binary) is None]
    if not missing:
        return
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        say(f"cannot install {', '.join(missing)} (needs root and apt); tests that need them skip")
        return
    say(f"installing Debian packages: {', '.join(missing)}")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    run(["apt-get", "update", "-qq"], env=env)
    if shutil.which("debconf-set-selections"):
        run(["debconf-set-selections"], input=DEBCONF_SELECTIONS.encode(), env=env)
    run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing], env=env)


def ensure_node_tools() -> None:
    """axe-core for the accessibility checks, exactly as package-lock.json pins it."""
    if (ROOT / "node_modules" / "axe-core" / "axe.min.js").exists():
        return
    if shutil.which("npm") is None:
        say("npm is missing; the accessibility checks will fail")
        return
    say("installing axe-core from package-lock.json")
    run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"])


def bin_(name: str) -> str:
    return str(ROOT / ".venv" / "bin" / name)


def demo(args: list[str]) -> None:
    sync(dev=False)
    os.execv(bin_("boundaries"), [bin_("boundaries"), "demo", *args])  # noqa: S606


def test(args: list[str]) -> None:
    sync(dev=True)
    ensure_debian_packages()
    ensure_node_tools()
    database = os.environ.get("DATABASE_URL", "")
    where = f"PostgreSQL {database.split('@')[-1]}" if database.startswith("postgres") else "SQLite"
    say(f"database for this run: {where}")
    say("ruff check")
    run([bin_("ruff"), "check", "."])
    say("ruff format --check")
    run([bin_("ruff"), "format", "--check", "."])
    say("mypy")
    run([bin_("mypy")])
    say("pytest")
    run([bin_("pytest"), "-n", "2", "--dist", "loadfile", "--durations=15", *args])


def main() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - this script may be run by an older python3
        sys.exit("Boundaries needs Python 3.11 or newer")
    commands = {"demo": demo, "test": test}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        sys.exit(__doc__)
    commands[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    main()
