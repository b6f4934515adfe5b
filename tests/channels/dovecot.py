"""A private Dovecot IMAP server on loopback, started by the tests (Debian's dovecot-imapd).

It runs beside any system instance with its own base_dir and port, as a
non-root mail user, with plaintext login allowed on loopback only.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.channels.smtp_helpers import free_port, wait_for_port

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
MAIL_UID = 65534  # nobody: Dovecot refuses to run mail processes as root


@dataclass(frozen=True)
class ImapServer:
    host: str
    port: int
    username: str
    password: str
    maildir: Path


def available() -> bool:
    return Path(DOVECOT).exists()


@contextmanager
def dovecot(username: str = "practice", password: str = "imap-test-pass") -> Iterator[ImapServer]:
    base = Path(tempfile.mkdtemp(prefix="boundaries-dovecot-", dir="/tmp"))
    base.chmod(0o755)
    mail = base / "mail"
    mail.mkdir()
    port = free_port()
    (base / "passwd").write_text(f"{username}:{{PLAIN}}{password}::::::\n")
    (base / "dovecot.conf").write_text(
        f"""
instance_name = boundaries-test-{port}
base_dir = {base}/run
state_dir = {base}/state
log_path = {base}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:{mail}/%u
first_valid_uid = {MAIL_UID}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN {base}/passwd
}}
userdb {{
  driver = static
  args = uid={MAIL_UID} gid={MAIL_UID} home={mail}/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
service imap-login {{
  chroot =
}}
protocol imap {{
  mail_plugins =
}}
"""
    )
    for folder in ("run", "state"):
        (base / folder).mkdir()
    os.chown(mail, MAIL_UID, MAIL_UID)
    process = subprocess.Popen(
        [DOVECOT, "-c", str(base / "dovecot.conf"), "-F"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        try:
            wait_for_port(port, timeout=20)
        except TimeoutError:
            process.kill()
            log = (base / "dovecot.log").read_text() if (base / "dovecot.log").exists() else ""
            stderr = process.stderr.read().decode() if process.stderr else ""
            raise RuntimeError(f"dovecot did not start: {stderr} {log}") from None
        yield ImapServer("127.0.0.1", port, username, password, mail)
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        shutil.rmtree(base, ignore_errors=True)
