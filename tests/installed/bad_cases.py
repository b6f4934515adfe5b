"""Each command with bad input: one line on stderr, exit code 2, and no traceback anywhere.

Every case runs in one shared folder (the inputs under ``in/``) on one copy of the
demo data with a second practice added ("second", serving second.example), so
a command left to guess the practice has two to choose from; beside it are an
export from ``boundaries audit export`` (``audit.json``) and a snapshot from
``boundaries backup`` cut in half (``truncated.backup``). Nothing here may
change that data, and no two cases write to the same place, so that a case let
through by mistake cannot decide another's outcome. ``says`` is a piece of the
one line the command must print.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tests.installed.shell import Result

__all__ = ["BAD", "BAD_ELSEWHERE", "BAD_REGISTER", "Bad", "assert_one_line_and_exit_2"]


@dataclass(frozen=True)
class Bad:
    id: str
    args: tuple[str, ...]
    says: str = ""
    stdin: str = ""
    env: dict[str, str] = field(default_factory=dict)


def assert_one_line_and_exit_2(case: Bad, result: Result) -> None:
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert "Traceback" not in result.stdout + result.stderr, result.describe()
    assert result.returncode == 2, result.describe()
    assert len(lines) == 1, result.describe()
    assert case.says in lines[0], result.describe()


def bad(
    id: str, *args: str, says: str = "", stdin: str = "", env: dict[str, str] | None = None
) -> Bad:
    return Bad(id, args, says, stdin, env or {})


P = ("--practice", "riverside")
NOSUCH = ("--practice", "nosuch")
NO_PRACTICE = "no practice called 'nosuch'"
SEVERAL = "several practices"
MISSING = "No such file or directory"
NOT_UTF8 = "not UTF-8"
DEEP = "nested too deeply"
NOT_TOML = "not valid TOML"
PORT = "is not a port number"
DETAILS = (
    "--practice-name", "Harbour Light", "--therapist-name", "Morgan Vale",
    "--phone", "020 7946 0555", "--email", "hello@harbour.example",
    "--website", "https://harbour.example",
)  # fmt: skip


def init(id: str, *args: str, says: str = "") -> Bad:
    """``init`` with every detail given, ARGS replacing some, writing to a file of its own."""
    details = dict(zip(DETAILS[::2], DETAILS[1::2], strict=True))
    details["--out"] = f"{id}.toml"
    extra = dict(zip(args[::2], args[1::2], strict=False))
    merged = [part for key, value in {**details, **extra}.items() for part in (key, value)]
    flags = tuple(arg for arg in args if arg == "--force")
    return bad(id, "init", *merged, *flags, says=says)


def policy_files(
    command: tuple[str, ...], prefix: str, *rest: str, only: tuple[str, ...] = ()
) -> list[Bad]:
    """COMMAND on each broken policy file (or ONLY those); the file is the argument before REST."""
    files = {
        "missing": ("in/nope.toml", MISSING),
        "directory": ("in/a-directory", "Is a directory"),
        "binary": ("in/binary.toml", NOT_UTF8),
        "latin1": ("in/latin1.toml", NOT_UTF8),
        "malformed": ("in/malformed.toml", NOT_TOML),
        "deep-arrays": ("in/deep-arrays.toml", DEEP),
        "deep-tables": ("in/deep-tables.toml", DEEP),
        "empty": ("in/empty.toml", "practice: missing"),
        "unknown-key": ("in/unknown-key.toml", "surprise: unknown key"),
        "wrong-type": ("in/wrong-type.toml", "practice.name: expected a string"),
    }
    return [
        bad(f"{prefix}-{name}", *command, path, *rest, says=says)
        for name, (path, says) in files.items()
        if not only or name in only
    ]


#: Everything `boundaries setup` needs, so that each case changes one thing.
SETUP = {
    "--practice-name": "Case practice", "--country": "GB", "--owner-username": "case-owner",
    "--owner-name": "Case Owner", "--owner-email": "owner@case.example",
    "--phone": "020 7946 0555", "--website": "https://case.example",
}  # fmt: skip


def setup(id: str, *args: str, says: str, stdin: str = "", drop: str = "") -> Bad:
    """``setup --no-input`` with every detail given, ARGS replacing some, DROP left out."""
    given = {**SETUP, "--practice-name": f"Case {id}", "--owner-username": f"owner-{id}"}
    given.pop(drop, None)
    extra = dict(zip(args[::2], args[1::2], strict=False))
    flags = tuple(arg for arg in args if arg == "--password-stdin")
    merged = [part for key, value in {**given, **extra}.items() if key not in flags
              for part in (key, value)]  # fmt: skip
    return bad(id, "setup", "--no-input", *merged, *flags, says=says, stdin=stdin)


def create(id: str, *args: str, says: str, stdin: str = "") -> Bad:
    """``practice create`` under a name of its own, should a case be let through by mistake."""
    return bad(id, "practice", "create", f"Case {id}", *args, says=says, stdin=stdin)


# fmt: off
BAD: tuple[Bad, ...] = (
    # -- anything: the command line, the settings, the data folder
    bad("unknown-command", "nosuch", says="No such command 'nosuch'"),
    bad("unknown-option", "--bogus", says="No such option"),
    bad("setting-debug", "policy", "check", "in/policy.toml", env={"DEBUG": "maybe"},
        says="DEBUG must be true or false"),
    bad("setting-backup-keep", "practice", "list", env={"BOUNDARIES_BACKUP_KEEP": "lots"},
        says="BOUNDARIES_BACKUP_KEEP"),
    bad("setting-production", "practice", "list", env={"BOUNDARIES_ENV": "production"},
        says="SECRET_KEY must be set"),
    bad("setting-secret-key-file", "practice", "list", env={"SECRET_KEY_FILE": "in/nope"},
        says=MISSING),
    bad("setting-data-dir-under-a-file", "practice", "list",
        env={"BOUNDARIES_DATA_DIR": "in/a-file/data"}, says="Not a directory"),
    bad("setting-database-url", "practice", "list", env={"DATABASE_URL": "nosuch://x"},
        says="DATABASE_URL"),
    # -- setup, route, alerts
    setup("setup-missing-name", says="--practice-name is needed", drop="--practice-name"),
    setup("setup-missing-phone", says="--phone is needed", drop="--phone"),
    setup("setup-unknown-country", "--country", "XX", says="no policy template"),
    setup("setup-bad-timezone", "--timezone", "Mars/Olympus", says="timezone must be"),
    setup("setup-taken-username", "--owner-username", "demo", says="is taken"),
    setup("setup-taken-slug", "--slug", "riverside", says="already exists"),
    setup("setup-bad-phone", "--phone", "not a phone", says="phone"),
    setup("setup-bad-website", "--website", "not a url", says="website"),
    setup("setup-policy-missing", "--policy", "in/nope.toml", says=MISSING),
    setup("setup-policy-malformed", "--policy", "in/malformed.toml", says=NOT_TOML),
    setup("setup-policy-placeholder", "--policy", "in/placeholder.toml",
          says="still a placeholder"),
    setup("setup-policy-other-country", "--policy", "in/policy-us.toml",
          says="the policy is for country US"),
    setup("setup-half-a-body", "--body-name", "A Board", says="licensing body needs"),
    setup("setup-bad-email-route", "--email-route", "nobody", says="not an email address"),
    setup("setup-taken-email-route", "--email-route", "inbox@riverside-therapy.example",
          says="belongs to another practice"),
    setup("setup-bad-sms-number", "--sms-number", "12", says="the SMS number"),
    setup("setup-bad-meta-id", "--meta-id", "my-page", says="Page or Instagram"),
    setup("setup-bad-alert-phone", "--alert-phone", "0", says="the alert phone"),
    setup("setup-bad-alert-email", "--alert-email", "nobody", says="not an email address"),
    setup("setup-short-password", "--password-stdin", stdin="short\n", says="password"),
    setup("setup-empty-password", "--password-stdin", stdin="", says="--password-stdin"),
    bad("setup-show-key-with-accounts", "setup", "--show-key", says="has accounts already"),
    bad("route-add-bad-kind", "route", "add", "fax", "+442079460100", *P, says="kind of address"),
    bad("route-add-bad-email", "route", "add", "email", "nobody", *P,
        says="not an email address"),
    bad("route-add-bad-domain", "route", "add", "email", "@nodot", *P, says="not a domain"),
    bad("route-add-bad-number", "route", "add", "sms", "12", *P, says="the SMS number"),
    bad("route-add-bad-meta-id", "route", "add", "meta_page", "abc", *P,
        says="Page or Instagram"),
    bad("route-add-taken", "route", "add", "email", "inbox@riverside-therapy.example",
        "--practice", "second", says="belongs to another practice"),
    bad("route-add-again", "route", "add", "email", "inbox@riverside-therapy.example", *P,
        says="already one of this practice's"),
    bad("route-add-several-practices", "route", "add", "email", "x@second.example",
        says=SEVERAL),
    bad("route-add-unknown-practice", "route", "add", "email", "x@second.example", *NOSUCH,
        says=NO_PRACTICE),
    bad("route-remove-not-ours", "route", "remove", "email", "nobody@second.example", *P,
        says="is not one of riverside's addresses"),
    bad("route-remove-bad-kind", "route", "remove", "pager", "1", *P, says="kind of address"),
    bad("route-list-several-practices", "route", "list", says=SEVERAL),
    bad("route-list-unknown-practice", "route", "list", *NOSUCH, says=NO_PRACTICE),
    bad("alerts-set-unknown", "alerts", "set", "nobody", "--phone", "", says="no therapist"),
    bad("alerts-set-nothing", "alerts", "set", "demo", says="say what to change"),
    bad("alerts-set-bad-time", "alerts", "set", "demo", "--digest-time", "teatime",
        says="--digest-time must be a time"),
    bad("alerts-set-bad-phone", "alerts", "set", "demo", "--phone", "0", says="alert phone"),
    bad("alerts-set-bad-email", "alerts", "set", "demo", "--email", "nobody",
        says="not an email address"),
    bad("alerts-test-unknown", "alerts", "test", "nobody", says="no therapist"),
    # -- init
    init("init-unknown-country", "--country", "XX", says="no template"),
    init("init-exists", "--out", "in/exists.toml", says="exists; pass --force"),
    init("init-missing-folder", "--out", "nowhere-init/policy.toml", says=MISSING),
    init("init-under-a-file", "--out", "in/a-file/policy.toml", says="Not a directory"),
    init("init-a-directory", "--out", "in/a-directory", "--force", says="Is a directory"),
    init("init-bad-phone", "--phone", "not a phone", says="phone"),
    init("init-bad-email", "--email", "nobody", says="email"),
    init("init-bad-website", "--website", "not a url", says="website"),
    init("init-bad-timezone", "--timezone", "Mars/Olympus",
         says="timezone"),
    init("init-empty-name", "--practice-name", "", says="name"),
    bad("init-option-without-value", "init", "--country", says="requires an argument"),
    # -- policy
    *policy_files(("policy", "check"), "check"),
    bad("check-no-file", "policy", "check", says="Missing argument"),
    *policy_files(("policy", "render"), "render", only=("missing", "binary", "deep-arrays",
                                                         "malformed")),
    bad("render-unknown-format", "policy", "render", "in/policy.toml", "--format", "pdf",
        says="--format must be html, markdown or text"),
    *policy_files(("policy", "publish"), "publish", "--summary", "x", *P,
                  only=("missing", "latin1", "deep-tables", "wrong-type", "empty")),
    bad("publish-placeholder", "policy", "publish", "in/placeholder.toml", "--summary", "x", *P,
        says="still a placeholder"),
    bad("publish-bad-date", "policy", "publish", "in/policy.toml", "--summary", "x",
        "--effective", "2026-13-01", *P, says="--effective must be a date"),
    bad("publish-words-for-date", "policy", "publish", "in/policy.toml", "--summary", "x",
        "--effective", "next week", *P, says="--effective must be a date"),
    bad("publish-unknown-practice", "policy", "publish", "in/policy.toml", "--summary", "x",
        *NOSUCH, says=NO_PRACTICE),
    bad("publish-several-practices", "policy", "publish", "in/policy.toml", "--summary", "x",
        says=SEVERAL),
    bad("publish-no-summary", "policy", "publish", "in/policy.toml", *P,
        says="Missing option '--summary'"),
    bad("publish-empty-summary", "policy", "publish", "in/policy.toml", "--summary", "", *P,
        says="summary"),
    bad("versions-unknown-practice", "policy", "versions", *NOSUCH, says=NO_PRACTICE),
    bad("versions-several-practices", "policy", "versions", says=SEVERAL),
    *policy_files(("policy", "diff", "in/policy.toml"), "diff-new",
                  only=("missing", "binary", "deep-arrays", "malformed")),
    bad("diff-missing-old", "policy", "diff", "in/nope.toml", "in/policy.toml", says=MISSING),
    bad("diff-no-such-version", "policy", "diff", "1", "99", *P, says="no policy version 99"),
    bad("diff-versions-several-practices", "policy", "diff", "1", "2", says=SEVERAL),
    bad("diff-versions-unknown-practice", "policy", "diff", "1", "2", *NOSUCH, says=NO_PRACTICE),
    bad("diff-one-argument", "policy", "diff", "in/policy.toml", says="Missing argument"),
    # -- practice
    create("create-not-a-country", "--country", "Britain", says="two-letter ISO code"),
    create("create-bad-slug", "--country", "GB", "--slug", "Bad Slug!", says="address name"),
    create("create-long-slug", "--country", "GB", "--slug", "a" * 61, says="address name"),
    create("create-slug-taken", "--country", "GB", "--slug", "riverside",
           says="already exists"),
    create("create-deleted-slug", "--country", "GB", "--slug", "deleted-7",
           says="kept for deleted practices"),
    create("create-bad-timezone", "--country", "GB", "--timezone", "Mars/Olympus",
           says="timezone must be an IANA name"),
    create("create-negative-clients", "--country", "GB", "--max-clients", "-1",
           says="must be 0 (no limit) or more"),
    create("create-bad-storage-unit", "--country", "GB", "--max-storage", "5XB",
           says="a size is a whole number"),
    create("create-negative-storage", "--country", "GB", "--max-storage", "-5",
           says="a size is a whole number"),
    create("create-negative-messages", "--country", "GB", "--max-messages-per-day", "-1",
           says="must be 0 (no limit) or more"),
    create("create-bad-domain", "--country", "GB", "--domain", "not a host",
           says="not a host"),
    create("create-domain-taken", "--country", "GB", "--domain", "second.example",
           says="second.example"),
    create("create-owner-email-alone", "--country", "GB", "--owner-email", "a@b.example",
           says="need --owner-username"),
    create("create-no-password-on-stdin", "--country", "GB", "--owner-username", "x",
           "--password-stdin", says="--password-stdin"),
    create("create-short-password", "--country", "GB", "--owner-username", "x",
           "--password-stdin", stdin="short\n", says="password"),
    bad("create-empty-name", "practice", "create", "", "--country", "GB",
        says="a practice needs a name"),
    create("create-no-country", says="Missing option '--country'"),
    create("create-clients-not-a-number", "--country", "GB", "--max-clients", "lots",
           says="Invalid value for '--max-clients'"),
    bad("list-extra-argument", "practice", "list", "extra", says="Got unexpected extra"),
    bad("quiet-hours-words", "practice", "quiet-hours", "riverside", "late at night",
        says="quiet hours look like 21:00-08:00"),
    bad("quiet-hours-one-time", "practice", "quiet-hours", "riverside", "21:00",
        says="quiet hours look like"),
    bad("quiet-hours-unknown-practice", "practice", "quiet-hours", "nosuch", "21:00-08:00",
        says=NO_PRACTICE),
    bad("quiet-hours-missing", "practice", "quiet-hours", "riverside",
        says="Missing argument"),
    bad("limits-unknown-practice", "practice", "limits", "nosuch", "--max-clients", "5",
        says=NO_PRACTICE),
    bad("limits-negative-clients", "practice", "limits", "riverside", "--max-clients", "-1",
        says="must be 0 (no limit) or more"),
    bad("limits-storage-words", "practice", "limits", "riverside", "--max-storage", "lots",
        says="a size is a whole number"),
    bad("limits-storage-unit", "practice", "limits", "riverside", "--max-storage", "5XB",
        says="a size is a whole number"),
    bad("limits-negative-messages", "practice", "limits", "riverside",
        "--max-messages-per-day", "-5", says="must be 0 (no limit) or more"),
    bad("limits-clients-not-a-number", "practice", "limits", "riverside", "--max-clients",
        "x", says="Invalid value for '--max-clients'"),
    bad("export-unknown-practice", "practice", "export", "nosuch", "out.zip", says=NO_PRACTICE),
    bad("export-exists", "practice", "export", "riverside", "in/exists.zip", says="exists"),
    bad("export-under-a-file", "practice", "export", "riverside", "in/a-file/out.zip",
        says="in/a-file"),
    bad("export-a-directory", "practice", "export", "riverside", "in/a-directory", "--force",
        says="Is a directory"),
    bad("export-into-proc", "practice", "export", "riverside", "/proc/boundaries.zip",
        says="/proc/"),
    bad("delete-unknown-practice", "practice", "delete", "nosuch", "--confirm", "nosuch",
        says=NO_PRACTICE),
    bad("delete-wrong-confirmation", "practice", "delete", "riverside", "--confirm", "second",
        says="confirm"),
    bad("delete-no-confirmation", "practice", "delete", "riverside",
        says="Missing option '--confirm'"),
    bad("delete-empty-confirmation", "practice", "delete", "riverside", "--confirm", "",
        says="confirm"),
    bad("domain-add-unknown-practice", "practice", "domain", "add", "nosuch", "x.example",
        says=NO_PRACTICE),
    bad("domain-add-not-a-host", "practice", "domain", "add", "riverside", "not a host",
        says="not a host"),
    bad("domain-add-empty", "practice", "domain", "add", "riverside", "",
        says="a domain is needed"),
    bad("domain-add-url", "practice", "domain", "add", "riverside", "https://x.example/",
        says="x.example"),
    bad("domain-add-taken", "practice", "domain", "add", "riverside", "second.example",
        says="second.example"),
    bad("domain-add-long-label", "practice", "domain", "add", "riverside",
        "a" * 64 + ".example", says="host"),
    bad("domain-remove-unknown-practice", "practice", "domain", "remove", "nosuch",
        "x.example", says=NO_PRACTICE),
    bad("domain-remove-not-there", "practice", "domain", "remove", "riverside",
        "second.example", says="second.example"),
    bad("domain-remove-empty", "practice", "domain", "remove", "riverside", "",
        says="a domain is needed"),
    # -- client
    bad("add-several-practices", "client", "add", "--first", "A", "--last", "B", says=SEVERAL),
    bad("add-unknown-practice", "client", "add", "--first", "A", "--last", "B", *NOSUCH,
        says=NO_PRACTICE),
    bad("add-handle-without-platform", "client", "add", "--first", "A", "--last", "B",
        "--handle", "niacole", *P, says="PLATFORM:HANDLE"),
    bad("add-handle-empty-platform", "client", "add", "--first", "A", "--last", "B",
        "--handle", ":niacole", *P, says="PLATFORM:HANDLE"),
    bad("add-handle-empty-handle", "client", "add", "--first", "A", "--last", "B",
        "--handle", "instagram:", *P, says="PLATFORM:HANDLE"),
    bad("add-unknown-status", "client", "add", "--first", "A", "--last", "B", "--status",
        "former", *P, says="status must be one of"),
    bad("add-bad-email", "client", "add", "--first", "A", "--last", "B", "--email", "nobody",
        *P, says="not an email address"),
    bad("add-bad-phone", "client", "add", "--first", "A", "--last", "B", "--phone", "abc",
        *P, says="not a phone number"),
    bad("add-not-a-country", "client", "add", "--first", "A", "--last", "B", "--country",
        "Britain", *P, says="Britain"),
    bad("add-empty-names", "client", "add", "--first", "", "--last", "", *P, says="name"),
    bad("add-no-first-name", "client", "add", "--last", "B", *P,
        says="Missing option '--first'"),
    bad("list-unknown-practice", "client", "list", *NOSUCH, says=NO_PRACTICE),
    bad("list-several-practices", "client", "list", says=SEVERAL),
    bad("list-unknown-status", "client", "list", "--status", "former", *P,
        says="--status must be one of"),
    bad("client-export-no-such-client", "client", "export", "999", "out.zip", *P,
        says="no client 999"),
    bad("client-export-client-0", "client", "export", "0", "out.zip", *P, says="no client 0"),
    bad("client-export-negative-id", "client", "export", *P, "--", "-1", "out.zip",
        says="no client -1"),
    bad("client-export-id-not-a-number", "client", "export", "abc", "out.zip", *P,
        says="Invalid value for 'client_id'"),
    bad("client-export-huge-id", "client", "export", "9" * 20, "out.zip", *P,
        says="no client"),
    bad("client-export-exists", "client", "export", "1", "in/exists.zip", *P, says="exists"),
    bad("client-export-missing-folder", "client", "export", "1", "nowhere-client/c.zip", *P,
        says=MISSING),
    bad("client-export-under-a-file", "client", "export", "1", "in/a-file/c.zip", *P,
        says="Not a directory"),
    bad("client-export-a-directory", "client", "export", "1", "in/a-directory", "--force", *P,
        says="Is a directory"),
    bad("client-export-unknown-practice", "client", "export", "1", "c.zip", *NOSUCH,
        says=NO_PRACTICE),
    bad("erase-confirmation-differs", "client", "erase", "1", "--reason", "x", "--confirm",
        "2", *P, says="--confirm must repeat"),
    bad("erase-no-such-client", "client", "erase", "999", "--reason", "x", "--confirm", "999",
        *P, says="no client 999"),
    bad("erase-no-reason", "client", "erase", "1", "--confirm", "1", *P,
        says="Missing option '--reason'"),
    bad("erase-empty-reason", "client", "erase", "1", "--reason", "", "--confirm", "1", *P,
        says="say why"),
    bad("erase-unknown-practice", "client", "erase", "1", "--reason", "x", "--confirm", "1",
        *NOSUCH, says=NO_PRACTICE),
    bad("erase-id-not-a-number", "client", "erase", "one", "--reason", "x", "--confirm", "1",
        *P, says="Invalid value for 'client_id'"),
    bad("erase-no-confirmation", "client", "erase", "1", "--reason", "x", *P,
        says="Missing option '--confirm'"),
    bad("import-missing", "client", "import", "in/nope.csv", *P, says=MISSING),
    bad("import-directory", "client", "import", "in/a-directory", *P, says="Is a directory"),
    bad("import-binary", "client", "import", "in/binary.csv", *P, says=NOT_UTF8),
    bad("import-latin1", "client", "import", "in/latin1.csv", *P, says=NOT_UTF8),
    bad("import-empty", "client", "import", "in/empty.csv", *P, says="no rows"),
    bad("import-header-only", "client", "import", "in/header-only.csv", *P, says="no rows"),
    bad("import-unclosed-quote", "client", "import", "in/unclosed-quote.csv", *P,
        says="unclosed-quote.csv"),
    bad("import-no-name-columns", "client", "import", "in/no-name-columns.csv", *P,
        says="missing column(s) first_name, last_name"),
    bad("import-unknown-practice", "client", "import", "in/clients.csv", *NOSUCH,
        says=NO_PRACTICE),
    bad("import-several-practices", "client", "import", "in/clients.csv", says=SEVERAL),
    bad("import-no-file", "client", "import", says="Missing argument"),
    # -- agreement
    bad("show-no-such-client", "agreement", "show", "999", *P, says="no client 999"),
    bad("show-id-not-a-number", "agreement", "show", "abc", *P,
        says="Invalid value for 'client_id'"),
    bad("show-huge-id", "agreement", "show", "9" * 20, *P, says="no client"),
    bad("show-unknown-practice", "agreement", "show", "1", *NOSUCH, says=NO_PRACTICE),
    bad("show-several-practices", "agreement", "show", "1", says=SEVERAL),
    bad("set-unknown-channel", "agreement", "set", "1", "--channels", "fax", *P,
        says="channels must be among"),
    bad("set-impossible-date", "agreement", "set", "1", "--channels", "email",
        "--agreed-on", "2026-02-30", *P, says="--agreed-on must be a date"),
    bad("set-words-for-date", "agreement", "set", "1", "--channels", "email",
        "--agreed-on", "yesterday", *P, says="--agreed-on must be a date"),
    bad("set-no-such-client", "agreement", "set", "999", "--channels", "email", *P,
        says="no client 999"),
    bad("set-unknown-practice", "agreement", "set", "1", "--channels", "email", *NOSUCH,
        says=NO_PRACTICE),
    bad("set-channels-missing", "agreement", "set", "1", *P,
        says="Missing option '--channels'"),
    bad("set-email-content-without-date", "agreement", "set", "1", "--channels", "email",
        "--session-content-by-email", *P, says="agreed"),
    bad("set-reminders-by-phone", "agreement", "set", "1", "--channels", "phone",
        "--reminders-by", "phone", *P, says="reminders go by sms, email, portal"),
    bad("set-reminders-on-unagreed-channel", "agreement", "set", "1", "--channels", "email",
        "--reminders-by", "sms", *P, says="need sms among the agreed channels"),
    bad("set-reminder-times-in-words", "agreement", "set", "1", "--channels", "sms",
        "--reminders-by", "sms", "--reminder-times", "soon", *P, says="--reminder-times"),
    bad("set-reminder-time-too-far", "agreement", "set", "1", "--channels", "sms",
        "--reminders-by", "sms", "--reminder-times", "30d", *P, says="between 15 minutes"),
    bad("set-reminder-detail-unknown", "agreement", "set", "1", "--channels", "sms",
        "--reminder-detail", "vague", *P, says="full, discreet or minimal"),
    bad("set-quiet-hours-backwards", "agreement", "set", "1", "--channels", "sms",
        "--reminders-by", "sms", "--quiet-hours", "late", *P, says="--quiet-hours"),
    # -- running the installation
    bad("manage-unknown-command", "manage", "nosuch", says="no management command 'nosuch'"),
    bad("migrate-extra-argument", "migrate", "now", says="Got unexpected extra argument"),
    bad("demo-port-too-high", "demo", "--port", "70000", says=PORT),
    bad("demo-port-0", "demo", "--port", "0", says=PORT),
    bad("demo-port-negative", "demo", "--port", "-1", says=PORT),
    bad("demo-smtp-port-too-high", "demo", "--smtp-port", "70000", says=PORT),
    bad("demo-port-not-a-number", "demo", "--port", "http", says="Invalid value for '--port'"),
    bad("serve-port-too-high", "serve", "--port", "70000", says=PORT),
    bad("serve-port-0", "serve", "--port", "0", says=PORT),
    bad("serve-port-negative", "serve", "--port", "-1", says=PORT),
    bad("serve-no-workers", "serve", "--workers", "0", says="number of processes"),
    bad("serve-negative-workers", "serve", "--workers", "-2", says="number of processes"),
    bad("serve-too-many-workers", "serve", "--workers", "100000", says="number of processes"),
    bad("serve-port-not-a-number", "serve", "--port", "x", says="Invalid value for '--port'"),
    bad("smtpd-port-too-high", "smtpd", "--port", "70000", says=PORT),
    bad("smtpd-port-0", "smtpd", "--port", "0", says=PORT),
    bad("smtpd-port-negative", "smtpd", "--port", "-25", says=PORT),
    bad("smtpd-port-not-a-number", "smtpd", "--port", "smtp", says="Invalid value for '--port'"),
    bad("worker-negative-interval", "worker", "--interval", "-1", says="seconds"),
    bad("worker-zero-interval", "worker", "--interval", "0", says="seconds"),
    bad("worker-nan-interval", "worker", "--interval", "nan", says="seconds"),
    bad("worker-infinite-interval", "worker", "--interval", "inf", says="seconds"),
    bad("worker-huge-interval", "worker", "--interval", "1e300", says="seconds"),
    bad("worker-interval-words", "worker", "--interval", "soon",
        says="Invalid value for '--interval'"),
    bad("scheduler-negative-interval", "scheduler", "--interval", "-30", says="seconds"),
    bad("scheduler-zero-interval", "scheduler", "--interval", "0", says="seconds"),
    bad("scheduler-nan-interval", "scheduler", "--interval", "nan", says="seconds"),
    bad("scheduler-infinite-interval", "scheduler", "--interval", "inf", "--once",
        says="seconds"),
    bad("scheduler-interval-words", "scheduler", "--interval", "hourly",
        says="Invalid value for '--interval'"),
    bad("vault-generate-key-extra", "vault", "generate-key", "now",
        says="Got unexpected extra argument"),
    bad("rotate-bad-master-key", "vault", "rotate-key", env={"BOUNDARIES_MASTER_KEY": "short"},
        says="BOUNDARIES_MASTER_KEY"),
    bad("rotate-missing-key-file", "vault", "rotate-key",
        env={"BOUNDARIES_MASTER_KEY_FILE": "in/nope.key"}, says="nope.key"),
    bad("rotate-bad-old-keys", "vault", "rotate-key",
        env={"BOUNDARIES_MASTER_KEYS_OLD": "not-a-key"}, says="BOUNDARIES_MASTER_KEYS_OLD"),
    # -- calendar and mail
    bad("calendar-missing", "calendar", "import", "in/nope.ics", *P, says=MISSING),
    bad("calendar-directory", "calendar", "import", "in/a-directory", *P,
        says="Is a directory"),
    bad("calendar-binary", "calendar", "import", "in/binary.ics", *P,
        says="not an iCalendar file"),
    bad("calendar-empty", "calendar", "import", "in/empty.ics", *P,
        says="not an iCalendar file"),
    bad("calendar-not-a-calendar", "calendar", "import", "in/not-calendar.ics", *P,
        says="not an iCalendar file"),
    bad("calendar-naive-time", "calendar", "import", "in/naive-time.ics", *P,
        says="needs a date-time with a timezone"),
    bad("calendar-unknown-practice", "calendar", "import", "in/appointments.ics", *NOSUCH,
        says=NO_PRACTICE),
    bad("calendar-several-practices", "calendar", "import", "in/appointments.ics",
        says=SEVERAL),
    bad("imap-add-no-password", "imap", "add", "--host", "h", "--username", "u", *P,
        says="password on standard input"),
    bad("imap-add-port-too-high", "imap", "add", "--host", "h", "--username", "u", "--port",
        "70000", *P, stdin="pw\n", says=PORT),
    bad("imap-add-port-0", "imap", "add", "--host", "h", "--username", "u", "--port", "0", *P,
        stdin="pw\n", says=PORT),
    bad("imap-add-port-negative", "imap", "add", "--host", "h", "--username", "u", "--port",
        "-993", *P, stdin="pw\n", says=PORT),
    bad("imap-add-no-host", "imap", "add", "--username", "u", *P, stdin="pw\n",
        says="Missing option '--host'"),
    bad("imap-add-unknown-practice", "imap", "add", "--host", "h", "--username", "u",
        *NOSUCH, stdin="pw\n", says=NO_PRACTICE),
    bad("imap-add-several-practices", "imap", "add", "--host", "h", "--username", "u",
        stdin="pw\n", says=SEVERAL),
    bad("imap-poll-zero-interval", "imap", "poll", "--interval", "0", says="seconds"),
    bad("imap-poll-negative-interval", "imap", "poll", "--interval", "-60", says="seconds"),
    bad("imap-poll-huge-interval", "imap", "poll", "--interval", "1000000000000",
        says="seconds"),
    bad("imap-poll-interval-words", "imap", "poll", "--interval", "often",
        says="Invalid value for '--interval'"),
    # -- triage and guard
    bad("triage-unknown-channel", "triage", "--channel", "fax", "hi",
        says="Invalid value for '--channel'"),
    bad("triage-unknown-sender", "triage", "--sender", "alien", "hi",
        says="Invalid value for '--sender'"),
    bad("triage-unknown-format", "triage", "--format", "xml", "hi", says="--format"),
    bad("triage-unknown-agreed-channel", "triage", "--agreed", "fax", "hi", says="fax"),
    bad("triage-bad-json-lines", "triage", stdin='{"text": "hi"}\nnot json\n',
        says="1 line(s) could not be read"),
    *[bad(f"triage-policy-{case.id.removeprefix('x-')}", "triage", "--policy", case.args[0],
          "hi", says=case.says)
      for case in policy_files((), "x", only=("missing", "binary", "deep-tables", "malformed"))],
    bad("guard-no-draft", "guard", "check", "--channel", "sms", "--to", "public",
        says="give the draft as a FILE"),
    bad("guard-draft-missing", "guard", "check", "--channel", "sms", "--to", "public",
        "in/nope.txt", says=MISSING),
    bad("guard-draft-binary", "guard", "check", "--channel", "sms", "--to", "public",
        "in/binary.txt", says=NOT_UTF8),
    bad("guard-draft-directory", "guard", "check", "--channel", "sms", "--to", "public",
        "in/a-directory", says="Is a directory"),
    bad("guard-unknown-channel", "guard", "check", "--channel", "fax", "--to", "public",
        "in/draft.txt", says="--channel must be one of"),
    bad("guard-unknown-recipient", "guard", "check", "--channel", "sms", "--to", "alien",
        "in/draft.txt", says="--to must be one of"),
    bad("guard-no-recipient", "guard", "check", "--channel", "sms", "in/draft.txt",
        says="--channel and --to are required"),
    bad("guard-unknown-format", "guard", "check", "--channel", "sms", "--to", "public",
        "--format", "xml", "in/draft.txt", says="--format"),
    bad("guard-unknown-agreed-channel", "guard", "check", "--channel", "sms", "--to",
        "present_client", "--agreed", "fax", "in/draft.txt", says="--agreed takes"),
    bad("guard-unknown-country", "guard", "check", "--channel", "sms", "--to", "public",
        "--country", "ZZ", "in/draft.txt", says="no crisis resources"),
    bad("guard-attachment-missing", "guard", "check", "--channel", "email", "--to", "public",
        "--attach", "in/nope.png", "in/draft.txt", says="nope.png"),
    bad("guard-attachment-directory", "guard", "check", "--channel", "email", "--to", "public",
        "--attach", "in/a-directory", "in/draft.txt", says="a-directory"),
    *[bad(f"guard-policy-{case.id.removeprefix('x-')}", "guard", "check", "--channel", "sms",
          "--to", "public", "--policy", case.args[0], "in/draft.txt", says=case.says)
      for case in policy_files((), "x", only=("missing", "latin1", "deep-arrays", "unknown-key"))],
    # -- audit
    bad("verify-key-missing", "audit", "verify", "--public-key", "in/nope.pem",
        says="nope.pem"),
    bad("verify-key-not-a-key", "audit", "verify", "--public-key", "in/not-a-key.pem",
        says="not an Ed25519 public key"),
    bad("verify-key-binary", "audit", "verify", "--public-key", "in/binary.pem",
        says="not an Ed25519 public key"),
    bad("audit-export-backwards", "audit", "export", "a.json", "--from", "10", "--to", "5",
        says="10"),
    bad("audit-export-beyond-the-log", "audit", "export", "a.json", "--to", "99999",
        says="99999"),
    bad("audit-export-from-0", "audit", "export", "a.json", "--from", "0", "--to", "5",
        says="0"),
    bad("audit-export-missing-folder", "audit", "export", "nowhere-audit/a.json", "--to", "5",
        says=MISSING),
    bad("audit-export-under-a-file", "audit", "export", "in/a-file/a.json", "--to", "5",
        says="Not a directory"),
    bad("audit-export-a-directory", "audit", "export", "in/a-directory", "--to", "5",
        says="Is a directory"),
    bad("audit-export-key-missing", "audit", "export", "a.json", "--public-key",
        "in/nope.pem", says="nope.pem"),
    bad("check-export-missing", "audit", "check-export", "in/nope.json", says=MISSING),
    bad("check-export-directory", "audit", "check-export", "in/a-directory",
        says="Is a directory"),
    bad("check-export-binary", "audit", "check-export", "in/binary.json", says="not a JSON"),
    bad("check-export-empty", "audit", "check-export", "in/empty.toml", says="not a JSON"),
    bad("check-export-not-json", "audit", "check-export", "in/not-json.json",
        says="not a JSON"),
    bad("check-export-a-list", "audit", "check-export", "in/list.json",
        says="not an audit export"),
    bad("check-export-a-string", "audit", "check-export", "in/a-string.json",
        says="not an audit export"),
    bad("check-export-key-not-a-key", "audit", "check-export", "audit.json",
        "--public-key", "in/not-a-key.pem", says="not an Ed25519 public key"),
    bad("public-key-file-missing", "audit", "public-key",
        env={"BOUNDARIES_AUDIT_SIGNING_KEY_FILE": "in/nope.key"}, says="nope.key"),
    bad("public-key-file-not-a-key", "audit", "public-key",
        env={"BOUNDARIES_AUDIT_SIGNING_KEY_FILE": "in/exists.key"}, says="exists.key"),
    bad("checkpoint-key-file-missing", "audit", "checkpoint",
        env={"BOUNDARIES_AUDIT_SIGNING_KEY_FILE": "in/nope.key"}, says="nope.key"),
    bad("checkpoint-key-file-not-a-key", "audit", "checkpoint",
        env={"BOUNDARIES_AUDIT_SIGNING_KEY_FILE": "in/exists.key"}, says="exists.key"),
    bad("generate-key-exists", "audit", "generate-key", "in/exists.key",
        says="never overwritten"),
    bad("generate-key-under-a-file", "audit", "generate-key", "in/a-file/k.key",
        says="in/a-file: not a folder"),
    bad("generate-key-a-directory", "audit", "generate-key", "in/a-directory",
        says="a-directory"),
    # -- backups and platform audits
    bad("backup-into-a-file", "backup", "--output", "in/a-file", says="Invalid value"),
    bad("backup-under-a-file", "backup", "--output", "in/a-file/backups",
        says="in/a-file"),
    bad("backup-bad-master-key", "backup", env={"BOUNDARIES_MASTER_KEY": "short"},
        says="BOUNDARIES_MASTER_KEY"),
    bad("restore-missing", "restore", "in/nope.backup", "--yes", says="nope.backup"),
    bad("restore-directory", "restore", "in/a-directory", "--yes", says="a-directory"),
    bad("restore-empty", "restore", "in/empty.backup", "--yes", says="refusing to restore"),
    bad("restore-text", "restore", "in/not-a-backup.backup", "--yes",
        says="refusing to restore"),
    bad("restore-binary", "restore", "in/binary.backup", "--yes", says="refusing to restore"),
    bad("restore-truncated", "restore", "truncated.backup", "--yes",
        says="refusing to restore"),
    bad("restore-no-file", "restore", says="Missing argument"),
    bad("platform-audit-missing", "platform-audit", "import", "in/nope.zip", *P,
        "--therapist", "demo", says=MISSING),
    bad("platform-audit-directory", "platform-audit", "import", "in/a-directory", *P,
        "--therapist", "demo", says="Is a directory"),
    bad("platform-audit-not-a-zip", "platform-audit", "import", "in/not-a-zip.zip", *P,
        "--therapist", "demo", says="zip"),
    bad("platform-audit-empty", "platform-audit", "import", "in/empty.zip", *P,
        "--therapist", "demo", says="zip"),
    bad("platform-audit-binary", "platform-audit", "import", "in/binary.zip", *P,
        "--therapist", "demo", says="zip"),
    bad("platform-audit-unknown-practice", "platform-audit", "import", "in/linkedin.zip",
        *NOSUCH, "--therapist", "demo", says="no therapist 'demo' in a practice 'nosuch'"),
    bad("platform-audit-unknown-therapist", "platform-audit", "import", "in/linkedin.zip", *P,
        "--therapist", "nobody", says="no therapist 'nobody'"),
    bad("platform-audit-no-therapist", "platform-audit", "import", "in/linkedin.zip", *P,
        says="Missing option '--therapist'"),
    # The group's first name, still accepted.
    bad("exports-missing", "exports", "import", "in/nope.zip", *P, "--therapist", "demo",
        says=MISSING),
    bad("exports-no-therapist", "exports", "import", "in/linkedin.zip", *P,
        says="Missing option '--therapist'"),
)
# fmt: on

#: The practices and their clients, agreements, appointments, mailboxes and platform audits:
#: run as their own test module so that pytest-xdist can run it beside the others.
REGISTER = {"practice", "client", "agreement", "calendar", "imap", "platform-audit", "exports"}
BAD_REGISTER = tuple(case for case in BAD if case.args[0] in REGISTER)
BAD_ELSEWHERE = tuple(case for case in BAD if case.args[0] not in REGISTER)
