"""Each command with valid input, as a user would type it: it exits 0 and does what it says.

A scenario runs its steps in order in a folder of its own (inputs under ``in/``)
on a copy of the demo data (the Riverside practice, its owner ``demo`` and
twelve clients, ids 1 to 12), or on an empty data folder when ``fresh``. Each
step must exit 0; every ``expect`` text must appear in what the steps printed and
every file in ``files`` must exist afterwards. The command under test is the
only step's, or the one a scenario of several steps names.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tests.installed.shell import Step

__all__ = ["VALID", "Scenario"]


@dataclass(frozen=True)
class Scenario:
    id: str
    steps: tuple[Step, ...]
    expect: tuple[str, ...] = ()
    files: tuple[str, ...] = ()
    fresh: bool = False
    command: str = ""  # the command under test, when it is not the only step's

    @property
    def last_args(self) -> tuple[str, ...]:
        args = self.steps[-1].args
        return () if callable(args) else args


def one(
    id: str, *args: str, expect: tuple[str, ...] = (), stdin: str = "", **kw: object
) -> Scenario:
    return Scenario(id, (Step(args, stdin=stdin),), expect, **kw)  # type: ignore[arg-type]


def steps(id: str, command: str, *runs: tuple[str, ...] | Step, **kw: object) -> Scenario:
    """Several runs; COMMAND is the one under test, the others prepare or show its effect."""
    parts = tuple(run if isinstance(run, Step) else Step(run) for run in runs)
    return Scenario(id, parts, command=command, **kw)  # type: ignore[arg-type]


def _the_backup(cwd: Path) -> tuple[str, ...]:
    (snapshot,) = (cwd / "backups").iterdir()
    return ("restore", str(snapshot), "--yes")


POLICY = "in/policy.toml"
# fmt: off
INIT_DETAILS = (
    "--practice-name", "Harbour Light Therapy", "--therapist-name", "Morgan Vale",
    "--phone", "020 7946 0555", "--email", "hello@harbour.example",
    "--website", "https://harbour.example",
)

SETUP_DETAILS = (
    "--practice-name", "Harbour Light Therapy", "--country", "GB", "--owner-username", "morgan",
    "--owner-name", "Morgan Vale", "--owner-email", "morgan@harbour.example",
    "--phone", "020 7946 0555", "--website", "https://harbour.example",
)

VALID: tuple[Scenario, ...] = (
    # -- setup, route, alerts
    steps("setup", "setup", ("migrate",),
          ("setup", "--no-input", *SETUP_DETAILS, "--email-route", "hello@harbour.example",
           "--sms-number", "+442079460100", "--meta-id", "104857600000001",
           "--alert-phone", "+447911123456"),
          ("route", "list"), ("policy", "versions"),
          expect=("Set up Harbour Light Therapy (harbour-light-therapy), policy version 1",
                  "First password (shown once", "+442079460100", "First version"),
          fresh=True),
    steps("setup-asked", "setup", ("migrate",),
          Step(("setup",), stdin="Alder Counselling\n\n\nash\nAsh Lee\nash@alder.example\n"
               "020 7946 0555\n\nhttps://alder.example\n"),
          expect=("Set up Alder Counselling (alder-counselling)",), fresh=True),
    steps("setup-policy-file", "setup", ("migrate",),
          ("setup", "--no-input", *SETUP_DETAILS, "--policy", POLICY),
          expect=("policy version 1 published",), fresh=True),
    steps("setup-show-key", "setup", ("migrate",), ("setup", "--show-key"),
          expect=("Setup key: ",), fresh=True),
    steps("route-add", "route add", ("route", "add", "sms", "+442079460100"), ("route", "list"),
          expect=("now reach riverside", "+442079460100")),
    steps("route-remove", "route remove", ("route", "add", "email", "@riverside.example"),
          ("route", "remove", "email", "@Riverside.example"),
          expect=("no longer reach riverside",)),
    one("route-list", "route", "list", expect=("inbox@riverside-therapy.example",)),
    one("alerts-set", "alerts", "set", "demo", "--phone", "07911 123456", "--digest-time",
        "08:30", expect=("by text to +447911123456; digest at 08:30",)),
    steps("alerts-test", "alerts test", ("alerts", "set", "demo", "--phone", ""),
          ("alerts", "test", "demo"), expect=("Sent a test alert by email",)),
    # -- init and policy
    one("init", "init", *INIT_DETAILS, "--out", "mine.toml", expect=("Wrote mine.toml",),
        files=("mine.toml",)),
    one("init-prompts", "init", "--country", "US", "--out", "us.toml",
        stdin="Harbour Light\nMorgan Vale\n+1 202 555 0143\nhi@harbour.example\n"
        "https://harbour.example\n", expect=("Wrote us.toml",), files=("us.toml",)),
    one("policy-check", "policy", "check", POLICY, expect=("in/policy.toml: valid —",)),
    one("policy-check-us", "policy", "check", "in/policy-us.toml", expect=("valid",)),
    one("policy-render-text", "policy", "render", POLICY, expect=("Harbour Light Therapy",)),
    one("policy-render-html", "policy", "render", POLICY, "--format", "html", expect=("</",)),
    one("policy-render-md", "policy", "render", POLICY, "--format", "markdown",
        expect=("# ",)),
    steps("policy-publish", "policy publish",
          ("policy", "publish", POLICY, "--summary", "Our own words", "--effective",
           "2027-01-01"), ("policy", "versions"),
          expect=("Published version 2 of Riverside Talking Therapy's policy",
                  "effective 2027-01-01", "Our own words")),
    one("policy-versions", "policy", "versions", "--practice", "riverside",
        expect=("First published version.",)),
    one("policy-diff-files", "policy", "diff", POLICY, "in/policy-changed.toml",
        expect=("2 changes.", "{+Counselling+}")),
    steps("policy-diff-versions", "policy diff",
          ("policy", "publish", POLICY, "--summary", "Second"), ("policy", "diff", "1", "2"),
          expect=("~ Practice name (changed)",)),
    # -- practices
    one("practice-create", "practice", "create", "Harbour Light", "--country", "GB", "--slug",
        "harbour", "--domain", "harbour.example", "--owner-username", "morgan",
        "--owner-email", "morgan@harbour.example", "--max-storage", "5GB",
        expect=("Created practice Harbour Light (harbour).", "Public site: https://harbour.example/",
                "Owner account: morgan", "First password (shown once")),
    one("practice-create-password-stdin", "practice", "create", "Alder", "--country", "US",
        "--slug", "alder", "--timezone", "America/New_York", "--owner-username", "ash",
        "--password-stdin", stdin="a long and unusual passphrase 42\n",
        expect=("Created practice Alder (alder).", "Owner account: ash")),
    one("practice-list", "practice", "list", expect=("riverside",)),
    steps("practice-list-deleted", "practice list",
          ("practice", "delete", "riverside", "--confirm", "riverside"),
          ("practice", "list", "--deleted"), expect=("deleted",)),
    steps("practice-domain-add", "practice domain add",
          ("practice", "domain", "add", "riverside", "riverside.example"), ("practice", "list"),
          expect=("riverside.example now serves riverside's public site.",)),
    steps("practice-domain-remove", "practice domain remove",
          ("practice", "domain", "add", "riverside", "riverside.example"),
          ("practice", "domain", "remove", "riverside", "riverside.example"),
          expect=("Removed riverside.example from riverside.",)),
    one("practice-quiet-hours", "practice", "quiet-hours", "riverside", "20:30-07:30",
        expect=("no reminders from 20:30 to 07:30",)),
    one("practice-limits", "practice", "limits", "riverside", "--max-clients", "50",
        "--max-storage", "5GB", "--max-messages-per-day", "200",
        expect=("riverside: clients 50, storage 5000000000 bytes, messages a day 200.",)),
    one("practice-export", "practice", "export", "riverside", "riverside.zip",
        expect=("Wrote riverside.zip",), files=("riverside.zip",)),
    one("practice-export-decrypt", "practice", "export", "riverside", "plain.zip",
        "--decrypt", expect=("Wrote plain.zip",), files=("plain.zip",)),
    one("practice-delete", "practice", "delete", "riverside", "--confirm", "riverside",
        expect=("Deleted practice riverside",)),
    # -- clients and agreements
    steps("client-add", "client add",
          ("client", "add", "--first", "Nia", "--last", "Cole", "--email",
           "nia.cole@example.org", "--phone", "0161 496 0999", "--handle", "instagram:@niacole",
           "--country", "GB"), ("client", "list"), expect=("Added client 13.", "Nia Cole")),
    one("client-list", "client", "list", expect=("Amara Okafor",)),
    one("client-list-past", "client", "list", "--status", "past", "--practice", "riverside",
        expect=("past",)),
    one("client-export", "client", "export", "1", "client-1.zip", expect=("Wrote client-1.zip",),
        files=("client-1.zip",)),
    one("client-erase", "client", "erase", "2", "--reason", "asked to be forgotten",
        "--confirm", "2", expect=("Erased client 2",)),
    steps("client-import", "client import", ("client", "import", "in/clients.csv"),
          ("client", "list"), expect=("2 added, 0 skipped.", "Tom Reyes")),
    one("agreement-show", "agreement", "show", "1", expect=("Client 1",)),
    steps("agreement-set", "agreement set",
          ("agreement", "set", "1", "--channels", "email,portal", "--standard-reminders",
           "--session-content-by-email", "--agreed-on", "2026-11-01", "--terms",
           "short updates"), ("agreement", "show", "1"),
          expect=("Recorded agreement version 2 for client 1.", "short updates")),
    steps("agreement-set-reminders", "agreement set reminders",
          ("agreement", "set", "1", "--channels", "sms,phone", "--reminders-by", "sms",
           "--reminder-detail", "minimal", "--reminder-times", "48h,2h",
           "--quiet-hours", "20:00-09:00"), ("agreement", "show", "1"),
          expect=("Recorded agreement version", "sms 48h,2h")),
    # -- the running installation
    one("manage", "manage", "check", expect=("System check identified no issues",)),
    one("migrate", "migrate", expect=("Database is up to date.",), fresh=True),
    one("demo", "demo", "--no-serve", expect=("12 fictional clients",), fresh=True),
    one("serve-help", "serve", "--help", expect=("gunicorn",)),
    one("smtpd-help", "smtpd", "--help", expect=("SMTP",)),
    steps("worker", "worker", ("scheduler", "--once"),
          ("worker", "--batch", "--interval", "0.1"), ("audit", "verify"),
          expect=("and 1 signed checkpoints verify",)),
    one("scheduler", "scheduler", "--once", expect=("enqueued retention",)),
    one("vault-generate-key", "vault", "generate-key"),
    one("vault-rotate-key", "vault", "rotate-key", expect=("Rewrapped",)),
    one("calendar-import", "calendar", "import", "in/appointments.ics",
        expect=("1 added, 0 updated, 1 events matched no client (UIDs: a2)",)),
    one("imap-add", "imap", "add", "--host", "imap.example.org", "--username",
        "inbox@riverside.example", "--practice", "riverside", stdin="app password\n",
        expect=("Added mailbox 1.",)),
    steps("imap-poll", "imap poll",
          Step(("imap", "add", "--host", "127.0.0.1", "--port", "1", "--no-ssl",
                "--username", "inbox"), stdin="secret\n"),
          ("imap", "poll", "--once"),
          expect=("mailbox 1: ConnectionRefusedError: will retry",)),
    # -- triage and guard (no database)
    one("triage", "triage", "--channel", "sms", "--sender", "present_client", "--country", "GB",
        "can we move thursday?", expect=("actions:",)),
    one("triage-json", "triage", "--format", "json", "--policy", POLICY, "hello",
        expect=('"actions"',)),
    one("triage-batch", "triage", "--channel", "sms", stdin='{"text": "hello"}\n',
        expect=('"line": 1',)),
    one("guard-check", "guard", "check", "--channel", "sms", "--to", "present_client",
        "in/draft.txt", expect=("Clean",)),
    one("guard-check-json", "guard", "check", "--channel", "email", "--to", "present_client",
        "--attach", "in/photo.png", "--policy", POLICY, "--format", "json", "in/draft.txt",
        expect=('"verdict": "clean"',)),
    one("guard-check-stdin", "guard", "check", "--channel", "sms", "--to", "present_client",
        "-", stdin="See you then.", expect=("Clean",)),
    # -- the audit log
    one("audit-verify", "audit", "verify", expect=("entries (seq 1–",)),
    one("audit-export", "audit", "export", "audit.json", expect=("wrote seq 1–",),
        files=("audit.json",)),
    steps("audit-check-export", "audit check-export", ("audit", "checkpoint"),
          ("audit", "export", "audit.json"), ("audit", "check-export", "audit.json"),
          expect=("entries chain from the anchor",)),
    one("audit-public-key", "audit", "public-key", expect=("BEGIN PUBLIC KEY",)),
    one("audit-checkpoint", "audit", "checkpoint", expect=("signed checkpoint at seq",)),
    one("audit-generate-key", "audit", "generate-key", "signing.key",
        expect=("wrote signing.key",), files=("signing.key",)),
    # -- backups and platform audits
    one("backup", "backup", "--output", "backups", expect=("Backup written",)),
    Scenario("restore", (Step(("backup", "-o", "backups")), Step(_the_backup)),
             expect=("Restored the database and vault files",), command="restore"),
    one("platform-audit-import", "platform-audit", "import", "in/linkedin.zip",
        "--practice", "riverside", "--therapist", "demo", expect=("All clear",)),
    one("exports-import", "exports", "import", "in/linkedin.zip", "--practice", "riverside",
        "--therapist", "demo", expect=("All clear",)),
)
# fmt: on
