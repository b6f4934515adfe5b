"""A private nginx on loopback in front of a live server, started by the tests (Debian's nginx).

It runs the proxy lines documented in docs/operators.md (the ```nginx block),
with its own ``listen`` and ``proxy_pass``, config, pid file, logs and temp
folders under a temporary folder, beside any system instance; it is stopped by
its pid.
"""

from __future__ import annotations

import grp
import os
import pwd
import re
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.channels.smtp_helpers import free_port, wait_for_port

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
DOCS = Path(__file__).resolve().parents[2] / "docs" / "operators.md"
TEMP_FOLDERS = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")


@dataclass(frozen=True)
class Proxy:
    port: int
    access_log: Path

    def read_access_log(self, lines: int, timeout: float = 10.0) -> str:
        """The access log once it has ``lines`` lines (nginx writes a line after answering)."""
        deadline = time.monotonic() + timeout
        while True:
            text = self.access_log.read_text() if self.access_log.exists() else ""
            if text.count("\n") >= lines or time.monotonic() > deadline:
                return text
            time.sleep(0.05)


def available() -> bool:
    return Path(NGINX).exists()


def documented_config() -> tuple[str, str]:
    """The operators' guide's nginx lines: what goes in ``http {}``, and ``location / {}``."""
    block = re.search(r"```nginx\n(.*?)```", DOCS.read_text(), re.DOTALL)
    assert block, "docs/operators.md has no nginx example"
    text = block.group(1)
    http_part = text[: text.index("server {")]
    location = re.search(r"^ *location / \{\n.*?^ *\}\n", text, re.DOTALL | re.MULTILINE)
    assert location, "the nginx example has no location / block"
    return http_part, location.group(0)


@contextmanager
def nginx(upstream_port: int) -> Iterator[Proxy]:
    base = Path(tempfile.mkdtemp(prefix="boundaries-nginx-", dir="/tmp"))
    base.chmod(0o755)  # traversable by the workers' user
    user = ""
    for folder in TEMP_FOLDERS:
        (base / folder).mkdir()
    if os.geteuid() == 0:  # the master runs as root; its workers as nobody
        nobody = pwd.getpwnam("nobody")
        user = f"user nobody {grp.getgrgid(nobody.pw_gid).gr_name};"
        for folder in TEMP_FOLDERS:
            os.chown(base / folder, nobody.pw_uid, nobody.pw_gid)
    port = free_port()
    http_part, location = documented_config()
    location = location.replace("127.0.0.1:8000", f"127.0.0.1:{upstream_port}")
    access_log = base / "access.log"
    temp_paths = "\n".join(f"    {name}_temp_path {base}/{name};" for name in TEMP_FOLDERS)
    (base / "nginx.conf").write_text(
        f"""
{user}
worker_processes 1;
pid {base}/nginx.pid;
error_log {base}/error.log;
events {{ worker_connections 64; }}
http {{
{temp_paths}
{http_part}
    server {{
        listen 127.0.0.1:{port};
        server_name _;
        access_log {access_log} boundaries;
{location}
    }}
}}
"""
    )
    process = subprocess.Popen(
        [
            NGINX,
            "-p",
            str(base),
            "-c",
            str(base / "nginx.conf"),
            "-e",
            str(base / "error.log"),
            "-g",
            "daemon off;",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        try:
            wait_for_port(port, timeout=20)
        except TimeoutError:
            process.kill()
            log = (base / "error.log").read_text() if (base / "error.log").exists() else ""
            stderr = process.stderr.read().decode() if process.stderr else ""
            raise RuntimeError(f"nginx did not start: {stderr} {log}") from None
        yield Proxy(port, access_log)
    finally:
        os.kill(process.pid, signal.SIGQUIT)  # graceful: finish what is under way, then stop
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(base, ignore_errors=True)
