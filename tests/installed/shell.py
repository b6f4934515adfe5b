"""Run the installed ``boundaries`` console script as a user's shell would, and the files it reads.

Every run is a subprocess of ``.venv/bin/boundaries`` in its own session (so a
command that started a server by mistake is killed with everything it
started), with its standard input given and closed, on a data folder of its
own: SQLite under ``BOUNDARIES_DATA_DIR``, never this test run's database.
"""

from __future__ import annotations

import io
import os
import shutil
import signal
import subprocess
import sys
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import typer
from PIL import Image

from boundaries.cli.app import app
from boundaries.core.policy.model import EthicsBody
from boundaries.core.policy.templates import render_template
from tests.exports.support import zip_folder

BOUNDARIES = Path(sys.executable).parent / "boundaries"
TIMEOUT = 120  # seconds; a command still running then has hung (or is serving by mistake)
# Subprocesses at once: each spends a second setting Django up, mostly on one core.
JOBS = int(os.environ.get("BOUNDARIES_CLI_TEST_JOBS", "3"))

#: Environment variables that would point the command elsewhere than its own data folder.
_FOREIGN = ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "BOUNDARIES_", "SECRET_KEY", "DEBUG")


def base_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(_FOREIGN)}
    # An installation caches its bytecode; without the cache each run compiles some 900
    # modules again, which doubles the start-up these tests mostly consist of.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["LOG_LEVEL"] = "WARNING"
    env["COLUMNS"] = "200"  # tables keep each cell on one line, to be matched
    return env


@dataclass(frozen=True)
class Result:
    args: tuple[str, ...]
    returncode: int
    stdout: str
    stderr: str

    def describe(self) -> str:
        return (
            f"$ boundaries {' '.join(self.args)}\nexit {self.returncode}\n"
            f"--- stdout\n{self.stdout[-3000:]}\n--- stderr\n{self.stderr[-3000:]}"
        )


def run(
    args: Iterable[str],
    *,
    cwd: Path,
    data: Path,
    stdin: str = "",
    env: dict[str, str] | None = None,
) -> Result:
    """``boundaries ARGS`` in CWD on the data folder DATA; killed with its children on timeout."""
    argv = tuple(args)
    environment = {**base_env(), "BOUNDARIES_DATA_DIR": str(data), **(env or {})}
    process = subprocess.Popen(
        [str(BOUNDARIES), *argv],
        cwd=cwd,
        env=environment,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        stdout, stderr = process.communicate(stdin, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        stdout, stderr = process.communicate()
        stderr += f"\n[killed after {TIMEOUT} s]"
    return Result(argv, process.returncode, stdout, stderr)


def selected_cases(request: pytest.FixtureRequest) -> set[str]:
    """The parameter ids of this module's tests that this run will run (after -k, --lf...)."""
    return {
        item.callspec.id
        for item in request.session.items
        if getattr(item, "module", None) is request.module and hasattr(item, "callspec")
    }


# ---------------------------------------------------------------------------- the command tree


def leaf_commands() -> set[str]:
    """Every command a user can run, as words after ``boundaries`` ("practice domain add")."""
    found: set[str] = set()

    def walk(command: object, path: tuple[str, ...]) -> None:
        subcommands = getattr(command, "commands", None) or {}
        if not subcommands:
            found.add(" ".join(path))
        for name, sub in subcommands.items():
            walk(sub, (*path, name))

    walk(typer.main.get_command(app), ())
    return found


def command_of(args: tuple[str, ...], commands: set[str]) -> str:
    """The command ARGS run: the longest run of leading words that names one."""
    for length in range(min(len(args), 3), 0, -1):
        words = " ".join(args[:length])
        if words in commands:
            return words
    return ""


# ---------------------------------------------------------------------------- input files

ARGS = tuple[str, ...] | Callable[[Path], tuple[str, ...]]


@dataclass(frozen=True)
class Step:
    """One run of the command; ``args`` may be worked out from the folder it runs in."""

    args: ARGS
    stdin: str = ""
    env: dict[str, str] = field(default_factory=dict)

    def argv(self, cwd: Path) -> tuple[str, ...]:
        return self.args(cwd) if callable(self.args) else self.args


#: A US policy names its licensing board (the template leaves a placeholder that
#: `policy check` refuses).
US_BOARD = EthicsBody(
    name="Board of Behavioral Sciences",
    short_name="BBS",
    address="1625 North Market Blvd, Suite S-200, Sacramento, CA 95834",
    url="https://www.bbs.ca.gov",
)


def policy_text(name: str = "Harbour Light Therapy", country: str = "GB") -> str:
    us = country == "US"
    return render_template(
        country,
        practice_name=name,
        therapist_name="Morgan Vale",
        phone="+1 916 574 7830" if us else "020 7946 0555",
        email="hello@harbour.example",
        website="https://harbour.example",
        professional_body=US_BOARD if us else None,
    )


ICS_EVENT = """BEGIN:VEVENT
UID:{uid}
DTSTART:{start}
DTEND:20270105T100000Z
ATTENDEE:mailto:{email}
END:VEVENT
"""


def ics(*events: str) -> str:
    body = "".join(events)
    return f"BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//tests//EN\n{body}END:VCALENDAR\n".replace(
        "\n", "\r\n"
    )


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(buffer, "PNG")
    return buffer.getvalue()


def write_inputs(folder: Path) -> None:
    """Every file the cases read, good and bad, under FOLDER (the cases call it ``in/``)."""
    folder.mkdir(parents=True, exist_ok=True)
    noise = bytes(range(256)) * 40  # NUL bytes, invalid UTF-8, no structure at all
    texts = {
        "policy.toml": policy_text(),
        "policy-changed.toml": policy_text("Harbour Light Counselling"),
        "policy-us.toml": policy_text(country="US"),
        "empty.toml": "",
        "malformed.toml": '[practice\nname = "x\n',
        "deep-arrays.toml": "a = " + "[" * 100_000 + "]" * 100_000 + "\n",
        "deep-tables.toml": "a = " + "{b = " * 5_000 + "1" + "}" * 5_000 + "\n",
        "unknown-key.toml": policy_text() + "\nsurprise = true\n",
        "wrong-type.toml": policy_text().replace('name = "Harbour Light Therapy"', "name = 3"),
        "placeholder.toml": policy_text().replace("hello@harbour.example", "hello@example.com"),
        "clients.csv": (
            "first_name,last_name,email,phone,status,country,handles\n"
            "Nia,Cole,nia.cole@example.org,0161 496 0999,present,GB,instagram:@niacole\n"
            "Tom,Reyes,tom.reyes@example.org,,past,GB,\n"
        ),
        "empty.csv": "",
        "header-only.csv": "first_name,last_name,email\n",
        "unclosed-quote.csv": 'first_name,last_name\n"Nia,Cole\n',
        "no-name-columns.csv": "email,phone\nnia@example.org,0161 496 0999\n",
        "draft.txt": "See you on Thursday at 3.",
        "appointments.ics": ics(
            ICS_EVENT.format(uid="a1", start="20270105T090000Z", email="amara.okafor@example.org"),
            ICS_EVENT.format(uid="a2", start="20270105T090000Z", email="nobody@example.org"),
        ),
        "naive-time.ics": ics(
            ICS_EVENT.format(uid="n1", start="20270105T090000", email="amara.okafor@example.org")
        ),
        "not-calendar.ics": "this is not a calendar\n",
        "empty.ics": "",
        "not-json.json": "{not json",
        "list.json": "[1, 2, 3]\n",
        "a-string.json": '"an audit export"\n',
        "not-a-key.pem": "-----BEGIN PUBLIC KEY-----\nnot base64\n-----END PUBLIC KEY-----\n",
        "not-a-backup.backup": "just some text\n",
        "empty.backup": "",
        "not-a-zip.zip": "PK but not really\n",
        "empty.zip": "",
        "exists.zip": "already here\n",
        "exists.toml": "already here\n",
        "exists.key": "already here\n",
        "jsonl-bad.jsonl": '{"text": "hello"}\nnot json\n',
        "jsonl-good.jsonl": '{"text": "can we move thursday?", "channel": "sms"}\n{"text": "hi"}\n',
    }
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")
    binaries = {
        "latin1.toml": policy_text("Café Thérapie").encode("latin-1"),
        "latin1.csv": "first_name,last_name\nJosé,García\n".encode("latin-1"),
        "photo.png": png(),
        "linkedin.zip": zip_folder("linkedin_previous"),
        "text-member.zip": _zip({"notes.txt": b"nothing here"}),
    }
    for name, blob in binaries.items():
        (folder / name).write_bytes(blob)
    for suffix in ("toml", "csv", "ics", "json", "pem", "backup", "zip", "txt", "png"):
        (folder / f"binary.{suffix}").write_bytes(noise)
    (folder / "a-directory").mkdir(exist_ok=True)
    (folder / "a-file").write_text("a file, not a folder\n", encoding="utf-8")


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, blob in members.items():
            archive.writestr(name, blob)
    return buffer.getvalue()


def workspace(root: Path, inputs: Path, data: Path | None) -> tuple[Path, Path]:
    """A folder to run in, with the inputs as ``in/`` and a copy of DATA (or none yet) as data."""
    root.mkdir(parents=True)
    (root / "in").symlink_to(inputs, target_is_directory=True)
    target = root / "data"
    if data is not None:
        shutil.copytree(data, target)
    return root, target
