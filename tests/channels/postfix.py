"""A private Postfix on loopback, configured from ``deploy/postfix/main.cf`` (Debian's postfix).

It is the deployment's front MTA as shipped: the same ``main.cf``, filled in
as the container's entrypoint does, plus only what a private instance needs
(its own queue and data folders, a loopback port, a log file, no chroot). It
runs beside any system instance and is stopped by its own ``postfix stop``.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.channels.smtp_helpers import free_port, wait_for_port

POSTFIX = shutil.which("postfix") or "/usr/sbin/postfix"
MASTER_CF = Path("/usr/share/postfix/master.cf.dist")  # Debian's stock master.cf
MAIN_CF = Path(__file__).resolve().parents[2] / "deploy" / "postfix" / "main.cf"


@dataclass(frozen=True)
class Mta:
    port: int
    log: Path


def available() -> bool:
    return Path(POSTFIX).exists() and MASTER_CF.exists() and shutil.which("openssl") is not None


def _run(*args: str) -> None:
    subprocess.run(args, check=True, capture_output=True, timeout=60)


@contextmanager
def postfix(*, relay_domains: str, nexthop: str) -> Iterator[Mta]:
    base = Path(tempfile.mkdtemp(prefix="boundaries-postfix-", dir="/tmp"))
    base.chmod(0o755)  # Postfix's unprivileged daemons must reach their folders
    etc, tls, spool, data = base / "etc", base / "etc" / "tls", base / "spool", base / "data"
    for folder in (tls, spool, data):
        folder.mkdir(parents=True)
    shutil.chown(data, user="postfix")
    port = free_port()
    log = base / "maillog"
    main = (
        MAIN_CF.read_text()
        .replace("@MAIL_HOSTNAME@", "mx.alder.example")
        .replace("@RELAY_DOMAINS@", relay_domains)
        .replace("@RELAY_NEXTHOP@", nexthop)
        .replace("/etc/postfix/tls/", f"{tls}/")
    )
    private = {
        "queue_directory": str(spool),
        "data_directory": str(data),
        "inet_interfaces": "127.0.0.1",
        "inet_protocols": "ipv4",
        "maillog_file": str(log),
        "maillog_file_prefixes": str(base),
    }
    main = "".join(
        line
        for line in main.splitlines(keepends=True)
        if not re.match(rf"^({'|'.join(private)})\s*=", line)
    )
    main += "".join(f"{name} = {value}\n" for name, value in private.items())
    (etc / "main.cf").write_text(main)
    # Debian's master.cf, with smtpd on our port and no chroot (it would need copies of
    # /etc files inside the queue folder).
    master = []
    for line in MASTER_CF.read_text().splitlines():
        fields = line.split()
        if not (line[:1].isalnum() and len(fields) >= 8):
            master.append(line)  # a comment or a continuation
            continue
        if fields[0] == "smtp" and fields[1] == "inet":
            fields[0] = f"127.0.0.1:{port}"
        fields[4] = "n"
        master.append(" ".join(fields))
    (etc / "master.cf").write_text("\n".join(master) + "\n")
    _run(
        "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
        "-subj", "/CN=mx.alder.example",
        "-keyout", str(tls / "privkey.pem"), "-out", str(tls / "fullchain.pem"),
    )  # fmt: skip
    _run(POSTFIX, "-c", str(etc), "check")
    _run(POSTFIX, "-c", str(etc), "start")
    try:
        wait_for_port(port, timeout=30)
        yield Mta(port=port, log=log)
    finally:
        subprocess.run(
            [POSTFIX, "-c", str(etc), "stop"], check=False, capture_output=True, timeout=60
        )
        shutil.rmtree(base, ignore_errors=True)
