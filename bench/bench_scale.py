"""Scale-out: a host's database, triage throughput with competing workers, dashboard latency.

    .venv/bin/python bench/bench_scale.py [--database bench_scale] [--messages 10000000]
        [--triage 1500] [--workers 1,2,4] [--users 20] [--seconds 30] [--repeat 25]
        [--skip-triage] [--skip-dashboard] [--reuse] [--keep]

1. Loads a synthetic host into its own PostgreSQL database (``--database`` on
   127.0.0.1:5432, migrated from scratch): 1,000 practices (an owner and a
   therapist each, a published policy), 50,000 clients with an email contact
   and an agreement, and ``--messages`` stored messages with their action runs,
   alerts, reviews and agenda items, written in bulk with ``INSERT ... SELECT
   generate_series`` (the message table's secondary indexes are dropped for the
   load and rebuilt after it). Historic rows carry small dummy bytes instead of
   sealed content: the dashboard's lists never open it. ``--reuse`` skips the
   load when the database already holds the requested number of messages.
2. Every dashboard page in ``PAGES`` (a table of URL names: add new pages
   there), for an owner and for a therapist who sees only their own clients,
   signed in through the real views: EXPLAIN ANALYZE of every query the page
   runs (a sequential scan on a large table is flagged) and the request's
   median CPU time in this process.
3. Triage through the real path: producer processes call ``do_ingest`` (store,
   seal, triage, queue — one transaction) while 1, 2 and 4 ``boundaries worker``
   processes compete for the queue and run ``carry_out``. Reported: messages
   triaged and carried out per second, and that every task ran exactly once, by
   exactly one worker, with at most one reply per message and one per reply slot.
4. Dashboard latency: gunicorn (``boundaries serve``) on loopback. One user:
   each page in turn, ``--repeat`` requests one at a time, the median (and
   ``/healthz`` as the floor the machine's load sets). Then ``--users``
   therapists of different practices signed in through the real password and
   TOTP views, each going through every page from its own thread.

The load average is printed with every figure: on a shared machine it says how
much else was running.
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.machine import command, describe  # noqa: E402

DB_NAME = "bench_scale"
PG = ["-h", "127.0.0.1", "-U", "postgres"]
DATABASE_URL = f"postgres://postgres@127.0.0.1:5432/{DB_NAME}"
PASSWORD = "scale-bench-passphrase"  # noqa: S105 - synthetic users on a throwaway database
CLIENTS_PER_PRACTICE_DEFAULT = 50
CHUNK = 250_000  # rows per INSERT ... SELECT (one progress step)

TEXTS = [
    "Hi, can we move Thursday to 4pm? Thanks",
    "Running ten minutes late, sorry!",
    "I wanted to tell you how the week went. Work was hard and I argued with my sister again.",
    "Is it ok if I leave you a review online?",
    "Great offer on office supplies this week only",
    "Could you send me the invoice for last month please?",
    "I don't want to be here anymore. I've been thinking about ending it.",
    "I have pills saved up and I am going to take them all tonight. Goodbye.",
]
CONCERN_TEXT = len(TEXTS) - 2  # one message in CONCERN_EVERY is a concern (review today)
CONCERN_EVERY = 100
CRISIS_TEXT = len(TEXTS) - 1  # one message in CRISIS_EVERY is a crisis
CRISIS_EVERY = 200

#: Every dashboard page the bench times, by URL name, and which of the signed-in
#: therapist's own records its URL needs (a key of PAGE_ARGUMENTS, or "" for none).
#: A new page is one line here.
PAGES: list[tuple[str, str]] = [
    ("dashboard:home", ""),
    ("dashboard:message", "message"),
    ("dashboard:clients", ""),
    ("dashboard:client", "client"),
    ("dashboard:agenda", ""),
    ("dashboard:policy", ""),
    ("dashboard:calendar", ""),
    ("dashboard:insights", ""),
    ("dashboard:compose", ""),
    ("dashboard:client_agreement", "client"),
    ("dashboard:client_next_session", "client"),
    ("dashboard:client_edit", "client"),
    ("dashboard:settings", ""),
]


def load_average() -> str:
    one, five, _ = os.getloadavg()
    return f"load {one:.2f}/{five:.2f} (1/5 min, {os.cpu_count()} cores)"


def base_env(data_dir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "boundaries.settings",
        "BOUNDARIES_DATA_DIR": str(data_dir),
        "DATABASE_URL": DATABASE_URL,
        "LOG_LEVEL": "WARNING",
        # Replies and alerts are built and handed to Django's mail API; no relay is measured.
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }


def setup_django(data_dir: Path) -> None:
    os.environ.update(base_env(data_dir))
    import django

    django.setup()


# --------------------------------------------------------------------------- load


def database_exists() -> bool:
    out = subprocess.run(
        ["psql", *PG, "-Atc", f"SELECT 1 FROM pg_database WHERE datname = '{DB_NAME}'"],  # noqa: S608
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.strip() == "1"


def recreate_database() -> None:
    subprocess.run(["dropdb", *PG, "--if-exists", "--force", DB_NAME], check=True)
    subprocess.run(["createdb", *PG, DB_NAME], check=True)


def template_decisions() -> list[dict[str, Any]]:
    """Real decisions for each template text, from a known client and from a stranger."""
    from django.utils import timezone

    from boundaries.core.decision_json import decision_to_dict
    from boundaries.core.policy.templates import demo_policy
    from boundaries.core.triage import decide
    from boundaries.core.types import (
        AgreedChannel,
        AgreementTerms,
        Channel,
        InboundMessage,
        SenderContext,
        SenderStatus,
    )

    policy = demo_policy("GB")
    known = SenderContext(
        status=SenderStatus.PRESENT_CLIENT,
        country="GB",
        agreement=AgreementTerms(channels=frozenset({AgreedChannel.EMAIL, AgreedChannel.PHONE})),
    )
    stranger = SenderContext(status=SenderStatus.UNKNOWN, country="GB")
    templates = []
    for index, text in enumerate(TEXTS):
        for context in (known, stranger):
            message = InboundMessage(
                channel=Channel.EMAIL, sender="x@example.org", text=text, received_at=timezone.now()
            )
            decision = decide(message, policy, context)
            summary = decision_to_dict(decision)
            templates.append(
                {
                    "k": len(templates),
                    "text": index,
                    "known": context is known,
                    "sender_status": context.status.value,
                    "crisis": decision.crisis,
                    "risk": decision.risk.value,
                    "labels": sorted(label.value for label in decision.labels),
                    "scores": summary["scores"],
                    "actions": [action.value for action in decision.actions],
                    "clauses": [clause.value for clause in decision.clauses],
                    "reasons": list(decision.reasons),
                }
            )
    return templates


def create_host(practices: int, clients_per_practice: int, progress: Any) -> dict[str, int]:
    """Practices, users, therapists, clients, contacts, agreements and policies (ORM bulk)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from boundaries.demo import demo_policy_source
    from boundaries.inbox.models import InboundRoute
    from boundaries.portal.actions import do_publish_policy
    from boundaries.practices import actions
    from boundaries.practices.models import (
        Client,
        ClientContact,
        CommunicationAgreement,
        PolicyVersion,
        Practice,
        Therapist,
    )

    user_model = get_user_model()
    task = progress.add_task("practices, therapists, clients", total=7)
    with transaction.atomic():
        first = actions.do_create_practice(
            name="Scale Practice 1", slug="scale-1", country="GB", actor_label="bench"
        )
        policy = do_publish_policy(
            first, source=demo_policy_source(), summary="First version.", actor_label="bench"
        )
        rest = Practice.objects.bulk_create(
            [
                Practice(name=f"Scale Practice {n}", slug=f"scale-{n}", country="GB")
                for n in range(2, practices + 1)
            ],
            batch_size=5000,
        )
    practice_list = [first, *rest]
    progress.advance(task)
    PolicyVersion.objects.bulk_create(
        [
            PolicyVersion(
                practice=p,
                number=1,
                source=policy.source,
                data=policy.data,
                content_hash=policy.content_hash,
                effective_date=policy.effective_date,
                summary=policy.summary,
                published_by_label="bench",
            )
            for p in rest
        ],
        batch_size=5000,
    )
    InboundRoute.objects.bulk_create(
        [
            InboundRoute(practice=p, kind="email", address=f"inbox@scale-{i + 1}.example")
            for i, p in enumerate(practice_list)
        ],
        batch_size=5000,
    )
    progress.advance(task)
    hashed = make_password(PASSWORD)
    users = user_model.objects.bulk_create(
        [
            user_model(username=f"{role}{i + 1}", password=hashed, email=f"{role}{i + 1}@bench")
            for i in range(practices)
            for role in ("owner", "member")
        ],
        batch_size=5000,
    )
    progress.advance(task)
    therapists = Therapist.objects.bulk_create(
        [
            Therapist(
                user=users[2 * i + r],
                practice=p,
                role=Therapist.Role.OWNER if r == 0 else Therapist.Role.THERAPIST,
                display_name=f"{'Owner' if r == 0 else 'Member'} {i + 1}",
                alert_email=f"alerts{i + 1}@bench.example",
            )
            for i, p in enumerate(practice_list)
            for r in (0, 1)
        ],
        batch_size=5000,
    )
    progress.advance(task)
    clients = Client.objects.bulk_create(
        [
            Client(
                practice=p,
                therapist=therapists[2 * i + (k % 2)],
                first_name=f"First{k}",
                last_name=f"Last{i + 1}",
                status="present" if k % 10 else "past",
                country="GB",
            )
            for i, p in enumerate(practice_list)
            for k in range(clients_per_practice)
        ],
        batch_size=5000,
    )
    progress.advance(task)
    ClientContact.objects.bulk_create(
        [
            ClientContact(
                practice_id=c.practice_id,
                client=c,
                kind="email",
                value=f"client{c.pk}@clients.example",
            )
            for c in clients
        ],
        batch_size=5000,
    )
    progress.advance(task)
    CommunicationAgreement.objects.bulk_create(
        [
            CommunicationAgreement(
                practice_id=c.practice_id,
                client=c,
                version=1,
                channels=["email", "phone"],
                recorded_by_label="bench",
            )
            for c in clients
        ],
        batch_size=5000,
    )
    progress.advance(task)
    ids = [p.pk for p in practice_list]
    client_ids = [c.pk for c in clients]
    # The SQL load below computes ids arithmetically: they must be contiguous.
    assert ids == list(range(ids[0], ids[0] + len(ids))), "practice ids are not contiguous"
    assert client_ids == list(range(client_ids[0], client_ids[0] + len(client_ids)))
    return {"practice_min": ids[0], "client_min": client_ids[0]}


def _secondary_schema(cursor: Any, table: str) -> tuple[list[str], list[str]]:
    """(drop statements, create statements) for a table's non-primary indexes and constraints."""
    cursor.execute(
        """
        SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint
        WHERE conrelid = %s::regclass AND contype IN ('u', 'f')
        """,
        [table],
    )
    constraints = cursor.fetchall()
    cursor.execute(
        """
        SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x
        JOIN pg_class i ON i.oid = x.indexrelid
        WHERE x.indrelid = %s::regclass AND NOT x.indisprimary
          AND NOT EXISTS (
              SELECT 1 FROM pg_constraint c WHERE c.conindid = i.oid AND c.contype = 'u'
          )
        """,
        [table],
    )
    indexes = cursor.fetchall()
    drops = [f'ALTER TABLE {table} DROP CONSTRAINT "{name}"' for name, _ in constraints]
    drops += [f'DROP INDEX "{name}"' for name, _ in indexes]
    creates = [definition for _, definition in indexes]
    creates += [f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {d}' for name, d in constraints]
    return drops, creates


BULK_COLUMNS = {
    "id",
    "practice_id",
    "channel",
    "platform",
    "client_id",
    "sender_status",
    "external_id",
    "content_hash",
    "received_at",
    "size",
    "sealed",
    "crisis",
    "risk",
    "labels",
    "scores",
    "actions",
    "clauses",
    "reasons",
    "status",
}


def _other_columns() -> tuple[str, str, list[Any]]:
    """Columns of Message the load does not set itself (added later): their model defaults."""
    from django.db import connection

    from boundaries.inbox.models import Message

    names, params = [], []
    for field in Message._meta.concrete_fields:
        if field.column in BULK_COLUMNS:
            continue
        if field.has_default():
            value = field.get_db_prep_save(field.get_default(), connection)
        elif field.null:
            value = None
        else:
            raise SystemExit(f"inbox_message.{field.column} needs a value the bench does not know")
        names.append(field.column)
        params.append(value)
    columns = "".join(f", {connection.ops.quote_name(name)}" for name in names)
    return columns, ", %s" * len(names), params


def bulk_messages(total: int, ids: dict[str, int], practices: int, per: int, progress: Any) -> None:
    """Historic messages, action runs and alerts, written by the database itself."""
    from django.db import connection, transaction

    templates = template_decisions()
    # Routine messages use the texts triaged as not urgent; the crisis share is fixed
    # (one in CRISIS_EVERY) and uses the crisis text, whatever the classifier makes of the rest.
    special = (CONCERN_TEXT, CRISIS_TEXT)
    known = [t for t in templates if t["known"] and t["text"] not in special]
    strangers = [t for t in templates if not t["known"] and t["text"] not in special]
    crisis = [t for t in templates if t["known"] and t["text"] == CRISIS_TEXT]
    concern = [t for t in templates if t["known"] and t["text"] == CONCERN_TEXT]
    assert crisis[0]["crisis"], "the crisis text is not triaged as a crisis"
    assert concern[0]["risk"] == "concern", "the concern text is not triaged as a concern"
    values = ", ".join(
        "(%s, %s, %s, %s, %s::jsonb, %s::jsonb, %s::jsonb, %s::jsonb, %s::jsonb)" for _ in templates
    )
    params: list[Any] = []
    for t in templates:
        params += [
            t["k"],
            t["sender_status"],
            t["crisis"],
            t["risk"],
            json.dumps(t["labels"]),
            json.dumps(t["scores"]),
            json.dumps(t["actions"]),
            json.dumps(t["clauses"]),
            json.dumps(t["reasons"]),
        ]
    # Which template each row uses: 1 in CRISIS_EVERY a crisis from a client, 1 in
    # CONCERN_EVERY a concern, 1 in 5 a stranger, the rest routine messages from the
    # practice's clients.
    # q is the row's number within its practice (g runs over practices round-robin), so
    # every practice gets the same mix: no practice is all crises or all strangers.
    q = f"(g / {practices})"
    pick = (
        f"CASE WHEN mod({q}, {CRISIS_EVERY}) = 0 THEN {crisis[0]['k']} "
        f"WHEN mod({q}, {CONCERN_EVERY}) = {CONCERN_EVERY // 2} THEN {concern[0]['k']} "
        f"WHEN mod({q}, 5) = 1 THEN "
        f"(ARRAY{[t['k'] for t in strangers]})[1 + mod({q} / 5, {len(strangers)})] "
        f"ELSE (ARRAY{[t['k'] for t in known]})[1 + mod({q} / 7, {len(known)})] END"
    )
    extra_columns, extra_values, extra_params = _other_columns()
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit = off")
        cursor.execute("SET maintenance_work_mem = '1GB'")
        cursor.execute("SET max_parallel_maintenance_workers = 2")
        cursor.execute(
            "CREATE TEMP TABLE tpl (k int PRIMARY KEY, sender_status text, crisis bool,"
            " risk text, labels jsonb, scores jsonb, actions jsonb, clauses jsonb, reasons jsonb)"
        )
        cursor.execute(f"INSERT INTO tpl VALUES {values}", params)  # noqa: S608
        drops = {}
        creates = {}
        for table in ("inbox_message", "inbox_actionrun", "inbox_alert"):
            drops[table], creates[table] = _secondary_schema(cursor, table)
            for statement in drops[table]:
                cursor.execute(statement)
        task = progress.add_task("messages + action runs (INSERT ... SELECT)", total=total)
        span_seconds = 365 * 24 * 3600  # a year of history, newest last
        for start in range(1, total + 1, CHUNK):
            end = min(total, start + CHUNK - 1)
            cursor.execute("SELECT coalesce(max(id), 0) FROM inbox_message")
            before = cursor.fetchone()[0]
            with transaction.atomic():
                cursor.execute(
                    f"""
                    INSERT INTO inbox_message (practice_id, channel, platform, client_id,
                        sender_status, external_id, content_hash, received_at, size, sealed,
                        crisis, risk, labels, scores, actions, clauses, reasons,
                        status{extra_columns})
                    SELECT {ids["practice_min"]} + mod(g, {practices}),
                        'email', '',
                        CASE WHEN tpl.sender_status = 'unknown' THEN NULL
                             ELSE {ids["client_min"]} + mod(g, {practices}) * {per} + mod({q} / 5, {per}) END,
                        tpl.sender_status,
                        '<h' || g || '@mail.example>',
                        md5(g::text) || md5('s' || g::text),
                        now() - make_interval(secs => ({total} - g)::float8 * {span_seconds} / {total}),
                        600 + mod(g, 2400),
                        '\\x00000000000000000000000000000000'::bytea,
                        tpl.crisis, tpl.risk, tpl.labels, tpl.scores, tpl.actions, tpl.clauses, tpl.reasons,
                        CASE WHEN mod({q}, 2000) = 3 THEN 'failed' ELSE 'done' END{extra_values}
                    FROM generate_series(%s, %s) AS g JOIN tpl ON tpl.k = ({pick})
                    ORDER BY g
                    """,  # noqa: E501, S608 - numbers and column names only
                    [*extra_params, start, end],
                )
                cursor.execute(
                    """
                    INSERT INTO inbox_actionrun (message_id, action, status, detail, attempts, updated_at)
                    SELECT m.id, a.action, 'done', '', 1, m.received_at
                    FROM inbox_message m, jsonb_array_elements_text(m.actions) AS a(action)
                    WHERE m.id > %s
                    """,  # noqa: E501
                    [before],
                )
            progress.update(task, completed=end)
        cursor.execute(
            """
            INSERT INTO inbox_alert (practice_id, message_id, created_at, sent_at,
                acknowledged_at, judgement)
            SELECT practice_id, id, received_at, received_at,
                   CASE WHEN received_at < now() - interval '2 days'
                        THEN received_at + interval '4 minutes' END,
                   CASE WHEN received_at < now() - interval '2 days' AND mod(id, 2) = 0
                        THEN 'urgent' ELSE '' END
            FROM inbox_message WHERE crisis
            """
        )
        # Concerns on the review list: read within the hour, except the last two days'.
        cursor.execute(
            """
            INSERT INTO inbox_review (practice_id, message_id, created_at, reviewed_at)
            SELECT practice_id, id, received_at,
                   CASE WHEN received_at < now() - interval '2 days'
                        THEN received_at + interval '1 hour' END
            FROM inbox_message WHERE actions ? 'review_today'
            """
        )
        # Agenda items of the last 90 days' messages (older ones would all be discussed):
        # discussed a week later, except the last fortnight's, which wait for a session.
        cursor.execute(
            """
            INSERT INTO practices_agendaitem (practice_id, client_id, kind, source, note,
                created_at, discussed_at, discussed_note)
            SELECT practice_id, client_id, 'other', 'triage', '', received_at,
                   CASE WHEN received_at < now() - interval '14 days'
                        THEN received_at + interval '7 days' END, ''
            FROM inbox_message
            WHERE actions ? 'agenda_item' AND client_id IS NOT NULL
              AND received_at > now() - interval '90 days'
            """
        )
        steps = sum(len(v) for v in creates.values())
        task = progress.add_task("rebuild indexes and constraints", total=steps + 1)
        for table in ("inbox_message", "inbox_actionrun", "inbox_alert"):
            for statement in creates[table]:
                progress.update(task, description=f"rebuild: {statement[:60]}…")
                cursor.execute(statement)
                progress.advance(task)
        progress.update(task, description="VACUUM ANALYZE")
        for table in (
            "inbox_message",
            "inbox_actionrun",
            "inbox_alert",
            "inbox_review",
            "practices_agendaitem",
        ):
            cursor.execute(f"VACUUM ANALYZE {table}")
        # The rest (clients, agreements…) as autovacuum would have by the time anyone looks.
        cursor.execute("ANALYZE")
        progress.advance(task)


def table_sizes() -> list[tuple[str, int, int, int]]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.relname, c.reltuples::bigint, pg_table_size(c.oid), pg_indexes_size(c.oid)
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'public' AND c.relkind = 'r'
            ORDER BY pg_total_relation_size(c.oid) DESC LIMIT 8
            """
        )
        return cursor.fetchall()


def message_count() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM inbox_message")
        return int(cursor.fetchone()[0])


# --------------------------------------------------------------------------- sign-in


def confirmed_device(user: Any) -> Any:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(
            user=user, name="authenticator", confirmed=True, key=secrets.token_hex(20)
        )
    device.last_t = -1  # the bench may sign the same persona in again within one time step
    device.save(update_fields=["last_t"])
    return device


def current_code(device: Any) -> str:
    from django_otp.oath import totp

    return f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}"


# --------------------------------------------------------------------------- pages


def _newest_message(user: Any) -> dict[str, int]:
    from boundaries.inbox.access import messages_for

    message = messages_for(user).filter(client__isnull=False).order_by("-received_at").first()
    assert message is not None, f"{user} sees no message"
    return {"message_id": message.pk}


def _a_client(user: Any) -> dict[str, int]:
    from boundaries.practices.access import clients_for

    client = clients_for(user).filter(status="present").order_by("pk").first()
    assert client is not None, f"{user} sees no client"
    return {"client_id": client.pk}


#: Requests a page in-process, for its median CPU time.
IN_PROCESS_REPEAT = 10

#: How to fill a page's URL from the signed-in therapist's own records.
PAGE_ARGUMENTS: dict[str, Any] = {"message": _newest_message, "client": _a_client}


def page_paths(user: Any) -> list[tuple[str, str]]:
    """(URL name, path) of every page in PAGES, for this user."""
    from django.urls import reverse

    paths = []
    for name, needs in PAGES:
        kwargs = PAGE_ARGUMENTS[needs](user) if needs else {}
        paths.append((name, reverse(name, kwargs=kwargs)))
    return paths


# --------------------------------------------------------------------------- explain


def explain_pages(out_path: Path) -> list[dict[str, Any]]:
    """EXPLAIN ANALYZE each query of every page in PAGES, for an owner and a member."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client as HttpClient
    from django.test.utils import CaptureQueriesContext

    findings = []
    lines = []
    user_model = get_user_model()
    for username in ("owner1", "member1"):
        user = user_model.objects.get(username=username)
        device = confirmed_device(user)
        http = HttpClient()
        assert (
            http.post("/account/login/", {"username": username, "password": PASSWORD}).status_code
            == 302
        )
        response = http.post("/account/login/code/", {"code": current_code(device)})
        assert response.status_code == 302, response.content[:300]
        for name, path in page_paths(user):
            http.get(path)  # warm the cache once, as a signed-in user would
            with CaptureQueriesContext(connection) as captured:
                response = http.get(path)
            assert response.status_code == 200, (name, response.status_code)
            queries = list(captured.captured_queries)  # before more requests move the log
            # The page's cost to the machine, which a busy machine does not inflate as it
            # does wall time: this process's CPU (Django, templates, the driver) per request.
            cpu = []
            for _ in range(IN_PROCESS_REPEAT):
                started = time.thread_time()
                http.get(path)
                cpu.append(time.thread_time() - started)
            page = {
                "user": username,
                "page": name,
                "queries": len(queries),
                "cpu_ms": statistics.median(cpu) * 1000,
                "plans": [],
            }
            for query in queries:
                sql = query["sql"]
                if not sql.lstrip().upper().startswith("SELECT"):
                    continue
                with connection.cursor() as cursor:
                    cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                    plan = "\n".join(row[0] for row in cursor.fetchall())
                seq = re.findall(r"Seq Scan on (\w+)", plan)
                total = re.search(r"Execution Time: ([\d.]+) ms", plan)
                page["plans"].append(
                    {
                        "sql": sql,
                        "ms": float(total.group(1)) if total else 0.0,
                        "seq_scans": seq,
                    }
                )
                lines += [f"-- {username} {name}", sql, plan, ""]
            findings.append(page)
    out_path.write_text("\n".join(lines), encoding="utf-8")
    return findings


# --------------------------------------------------------------------------- triage


def produce(args: argparse.Namespace) -> int:
    """Child mode: ingest messages through do_ingest from a start time on."""
    setup_django(Path(args.data_dir))
    from django.db import close_old_connections
    from django.utils import timezone

    from boundaries.core.types import Channel, InboundMessage
    from boundaries.inbox.actions import Arrival, do_ingest
    from boundaries.practices.models import Client, Practice

    practices = list(Practice.objects.order_by("pk")[: args.practices_used])
    clients = {
        p.pk: list(Client.objects.filter(practice=p).order_by("pk").values_list("pk", flat=True))
        for p in practices
    }
    while time.time() < args.start_at:
        time.sleep(0.01)
    for n in range(args.first, args.first + args.count):
        practice = practices[n % len(practices)]
        ids = clients[practice.pk]
        text_index = CRISIS_TEXT if n % 25 == 0 else n % (len(TEXTS) - 1)
        if n % 5 == 1:
            # New strangers each run: a sender answered in the last 24 hours gets no reply.
            sender = f"stranger{args.run_id}-{n % 997}@elsewhere.example"
        else:
            sender = f"client{ids[(n // len(practices)) % len(ids)]}@clients.example"
        text = f"{TEXTS[text_index]} ({args.run_id}/{args.round}/{n})"
        raw = f"From: {sender}\r\nSubject: round {args.round}\r\n\r\n{text}"
        arrival = Arrival(
            message=InboundMessage(
                channel=Channel.EMAIL,
                sender=sender,
                text=text,
                subject=f"round {args.round}",
                received_at=timezone.now(),
            ),
            raw=raw.encode(),
            external_id=f"<{args.run_id}-r{args.round}-{n}@producer.example>",
            reply_address=sender,
        )
        result = do_ingest(practice, arrival)
        assert result.created
    close_old_connections()
    return 0


def start_workers(count: int, env: dict[str, str]) -> list[subprocess.Popen[bytes]]:
    return [
        subprocess.Popen(
            [sys.executable, "-m", "boundaries", "worker", "--interval", "0.05"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(count)
    ]


def stop(processes: list[subprocess.Popen[bytes]]) -> None:
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def triage_round(
    round_no: int, workers: int, args: argparse.Namespace, env: dict[str, str]
) -> dict[str, Any]:
    from django.db import connection
    from django.db.models import Count
    from django.utils import timezone

    from boundaries.inbox.models import ActionRun, Message, ReplyLedger

    begun = timezone.now()
    first_id = Message.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    worker_processes = start_workers(workers, env)
    time.sleep(3)  # imports done, polling an empty queue
    start_at = time.time() + 4
    per = args.triage // args.producers
    producers = [
        subprocess.Popen(
            [
                sys.executable,
                __file__,
                "--_produce",
                "--data-dir",
                args.data_dir,
                "--round",
                str(round_no),
                "--first",
                str(i * per),
                "--count",
                str(per),
                "--start-at",
                str(start_at),
                "--practices-used",
                str(args.practices_used),
                "--run-id",
                str(args.run_id),
                "--database",
                DB_NAME,
            ],
            env=env,
        )
        for i in range(args.producers)
    ]
    total = per * args.producers
    try:
        for producer in producers:
            if producer.wait() != 0:
                raise SystemExit("a producer failed")
        ingested_at = time.time()
        ingest_load = load_average()
        new = Message.objects.filter(pk__gt=first_id)
        while True:
            remaining = new.filter(status=Message.Status.TRIAGED).count()
            if remaining == 0:
                break
            if time.time() - start_at > 1800:
                raise SystemExit(f"{remaining} messages still not carried out after 30 minutes")
            time.sleep(0.05)
        done_at = time.time()
        done_load = load_average()
    finally:
        stop(worker_processes)
    # Exactly once: one carry_out task per message, run once, by one worker.
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT count(*), count(DISTINCT (args_kwargs->'args'->>0)),
                   count(*) FILTER (WHERE status = 'SUCCESSFUL'),
                   count(*) FILTER (WHERE jsonb_array_length(worker_ids) = 1),
                   count(DISTINCT worker_ids->>0)
            FROM django_tasks_database_dbtaskresult
            WHERE task_path LIKE '%%carry_out' AND (args_kwargs->'args'->>0)::bigint > %s
            """,
            [first_id],
        )
        tasks, distinct_messages, successful, one_worker, worker_ids = cursor.fetchone()
    runs = ActionRun.objects.filter(message_id__gt=first_id)
    reply_actions = ["crisis_resources_reply", "redirect_reply", "secure_channel_reply"]
    sent = runs.filter(action__in=reply_actions, status="done", detail__startswith="sent")
    replies_per_message = sent.values("message_id").order_by().annotate(n=Count("id"))
    double_replies = sum(1 for row in replies_per_message if row["n"] > 1)
    ledger = ReplyLedger.objects.filter(last_replied_at__gte=begun).count()
    checks = {
        "messages": new.count(),
        "tasks": tasks,
        "tasks_per_message_ok": tasks == distinct_messages == total,
        "successful": successful,
        "one_worker_each": one_worker,
        "workers_seen": worker_ids,
        "pending_runs": runs.filter(status="pending").count(),
        "runs_repeated": runs.filter(attempts__gt=1).count(),
        "failed_runs": runs.filter(status="failed").count(),
        "replies_sent": sent.count(),
        "double_replies": double_replies,
        "ledger_slots": ledger,
    }
    ok = (
        checks["messages"] == total
        and checks["tasks_per_message_ok"]
        and successful == total
        and one_worker == total
        and checks["pending_runs"] == 0
        and checks["runs_repeated"] == 0
        and double_replies == 0
        and ledger == checks["replies_sent"]
    )
    return {
        "workers": workers,
        "messages": total,
        "ingest_s": ingested_at - start_at,
        "total_s": done_at - start_at,
        "ingest_load": ingest_load,
        "done_load": done_load,
        "checks": checks,
        "ok": ok,
    }


def growth(first_id: int) -> dict[str, float]:
    """What each message ingested through the real path added, on average."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT count(*), avg(octet_length(sealed)), avg(size),
                   (SELECT count(*) FROM inbox_actionrun WHERE message_id > %s),
                   (SELECT count(*) FROM inbox_alert WHERE message_id > %s),
                   (SELECT count(*) FROM audit_auditentry
                     WHERE object_type = 'inbox.message'
                       AND CASE WHEN object_id ~ '^[0-9]+$' THEN object_id::bigint END > %s),
                   (SELECT count(*) FROM django_tasks_database_dbtaskresult
                     WHERE task_path LIKE '%%carry_out'
                       AND (args_kwargs->'args'->>0)::bigint > %s),
                   (SELECT count(*) FROM practices_agendaitem WHERE source = 'triage')
            FROM inbox_message WHERE id > %s
            """,
            [first_id] * 5,
        )
        messages, sealed, size, runs, alerts, audit, tasks, agenda = cursor.fetchone()
    n = max(1, messages)
    return {
        "messages": messages,
        "sealed_bytes": float(sealed or 0),
        "raw_bytes": float(size or 0),
        "action_runs": runs / n,
        "alerts": alerts / n,
        "audit_entries": audit / n,
        "task_rows": tasks / n,
        "agenda_items": agenda / n,
    }


# --------------------------------------------------------------------------- dashboard


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Browser:
    """A minimal cookie-keeping HTTP client over one keep-alive connection."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def request(
        self, method: str, path: str, form: dict[str, str] | None = None
    ) -> tuple[int, str]:
        from urllib.parse import urlencode

        headers = {"Host": "127.0.0.1"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in range(2):
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                if attempt:
                    raise
        text = response.read().decode("utf-8", "replace")
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        return response.status, text

    def csrf(self, html: str) -> str:
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        assert found, "no CSRF token on the page"
        return found.group(1)

    def sign_in(self, username: str, code: str) -> None:
        _, page = self.request("GET", "/account/login/")
        form = {"csrfmiddlewaretoken": self.csrf(page), "username": username}
        status, _ = self.request("POST", "/account/login/", {**form, "password": PASSWORD})
        assert status == 302, f"password step for {username}: {status}"
        _, page = self.request("GET", "/account/login/code/")
        status, _ = self.request(
            "POST", "/account/login/code/", {"csrfmiddlewaretoken": self.csrf(page), "code": code}
        )
        assert status == 302, f"code step for {username}: {status}"
        status, _ = self.request("GET", "/dashboard/")
        assert status == 200, f"dashboard for {username}: {status}"


def _quantiles(values: list[float]) -> dict[str, float]:
    """Median, and p95/p99 by nearest rank (never above the largest value), in ms."""
    ordered = sorted(values)

    def rank(fraction: float) -> float:
        return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)] * 1000

    return {
        "n": len(values),
        "p50": statistics.median(ordered) * 1000,
        "p95": rank(0.95),
        "p99": rank(0.99),
        "max": ordered[-1] * 1000,
    }


def start_server(args: argparse.Namespace, env: dict[str, str]) -> tuple[Any, int]:
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "boundaries",
            "serve",
            "--port",
            str(port),
            "--workers",
            str(args.web_workers),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.time() + 60
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
        except OSError:
            if time.time() > deadline:
                server.terminate()
                raise
            time.sleep(0.2)
        else:
            return server, port


def signed_in(port: int, username: str) -> tuple[Browser, list[tuple[str, str]]]:
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username=username)
    device = confirmed_device(user)
    browser = Browser(port)
    browser.sign_in(username, current_code(device))
    return browser, page_paths(user)


def one_user(args: argparse.Namespace, port: int) -> list[dict[str, Any]]:
    """Each page in turn, one request at a time, for an owner and for a therapist."""
    rows = []
    for username in ("owner1", "member1"):
        browser, paths = signed_in(port, username)
        if username == "owner1":
            # The floor: a view with no database query and no template, on the same server.
            paths = [("healthz (floor)", "/healthz"), *paths]
        for name, path in paths:
            for _ in range(3):  # warm: the worker's imports, templates and connection
                browser.request("GET", path)
            times = []
            for _ in range(args.repeat):
                started = time.perf_counter()
                status, _ = browser.request("GET", path)
                times.append(time.perf_counter() - started)
                assert status == 200, f"{name} for {username}: {status}"
            rows.append({"user": username, "page": name, **_quantiles(times)})
    return rows


def many_users(args: argparse.Namespace, port: int) -> dict[str, Any]:
    """``--users`` therapists of different practices, each going through every page."""
    browsers = []
    # Practices 2.. (practice 1 was used for EXPLAIN): owners and members alternately.
    for n in range(args.users):
        username = f"{'owner' if n % 2 == 0 else 'member'}{n + 2}"
        browsers.append(signed_in(port, username))
    latencies: list[list[tuple[str, float]]] = [[] for _ in browsers]
    errors = [0] * len(browsers)
    stop_at = time.time() + args.seconds

    def hammer(index: int) -> None:
        browser, paths = browsers[index]
        turn = index  # users start on different pages
        while time.time() < stop_at:
            name, path = paths[turn % len(paths)]
            turn += 1
            started = time.perf_counter()
            status, _ = browser.request("GET", path)
            latencies[index].append((name, time.perf_counter() - started))
            if status != 200:
                errors[index] += 1

    threads = [threading.Thread(target=hammer, args=(i,)) for i in range(len(browsers))]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    every = [x for per in latencies for x in per]
    pages = {name: _quantiles([t for n, t in every if n == name]) for name, _ in PAGES}
    return {
        **_quantiles([t for _, t in every]),
        "requests": len(every),
        "errors": sum(errors),
        "rps": len(every) / elapsed,
        "pages": pages,
        "load": load_average(),
    }


def dashboard_latency(args: argparse.Namespace, env: dict[str, str]) -> dict[str, Any]:
    server, port = start_server(args, env)
    try:
        single = one_user(args, port)
        single_load = load_average()
        many = many_users(args, port) if args.users else None
    finally:
        server.terminate()
        server.wait(timeout=30)
    return {"one_user": single, "one_user_load": single_load, "many": many}


# --------------------------------------------------------------------------- main


def main() -> int:  # noqa: PLR0915 - one script, read top to bottom
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=10_000_000)
    parser.add_argument("--practices", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=50_000)
    parser.add_argument("--triage", type=int, default=1500, help="messages ingested per round")
    parser.add_argument("--producers", type=int, default=2, help="processes calling do_ingest")
    parser.add_argument("--practices-used", type=int, default=200, help="practices receiving")
    parser.add_argument("--workers", default="1,2,4", help="worker counts, one round each")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30.0, help="dashboard hammering time")
    parser.add_argument("--web-workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--repeat", type=int, default=25, help="one-user requests per page")
    parser.add_argument("--reuse", action="store_true", help="keep a loaded bench_scale database")
    parser.add_argument("--keep", action="store_true", help="do not drop the database at the end")
    parser.add_argument("--skip-triage", action="store_true")
    parser.add_argument("--skip-dashboard", action="store_true")
    parser.add_argument("--data-dir", default="")
    parser.add_argument(
        "--database", default="bench_scale", help="database to (re)create on 127.0.0.1:5432"
    )
    # Child mode (a producer process).
    parser.add_argument("--_produce", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--round", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--first", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--count", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--start-at", type=float, default=0.0, help=argparse.SUPPRESS)
    # Distinguishes this run's messages from those of earlier runs on a kept database.
    parser.add_argument("--run-id", type=int, default=int(time.time()), help=argparse.SUPPRESS)
    args = parser.parse_args()
    global DB_NAME, DATABASE_URL  # noqa: PLW0603 - one database per run, chosen here
    DB_NAME = args.database
    DATABASE_URL = f"postgres://postgres@127.0.0.1:5432/{DB_NAME}"
    if args._produce:
        return produce(args)

    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    console = Console()
    state_dir = Path(tempfile.gettempdir()) / DB_NAME.replace("_", "-")
    args.data_dir = args.data_dir or str(state_dir)
    data_dir = Path(args.data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    env = base_env(data_dir)
    per = args.clients // args.practices
    console.print(f"machine:  {describe()}")
    console.print(f"command:  {command()}")
    console.print(f"database: PostgreSQL 127.0.0.1:5432/{DB_NAME}; data dir {data_dir}")

    reuse = args.reuse and database_exists()
    if not reuse:
        recreate_database()
    setup_django(data_dir)
    from django.core.management import call_command

    if reuse and message_count() < args.messages:
        console.print("[yellow]the kept database holds another size; loading afresh[/]")
        from django.db import connection

        connection.close()
        recreate_database()
        reuse = False
    load_seconds = None
    if reuse:
        # New migrations (an index, say) are applied to the loaded rows and timed.
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        console.print(
            f"migrate on the kept database: {time.perf_counter() - started:.1f} s; {load_average()}"
        )
    else:
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        migrated = time.perf_counter() - started
        columns = (
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
        )
        with Progress(*columns, console=console) as progress:
            ids = create_host(args.practices, per, progress)
            host_done = time.perf_counter()
            bulk_messages(args.messages, ids, args.practices, per, progress)
        load_seconds = time.perf_counter() - started
        console.print(
            f"load: {args.practices:,} practices, {args.practices * per:,} clients, "
            f"{args.messages:,} messages in {load_seconds:,.0f} s (migrate {migrated:.0f} s, "
            f"host {host_done - started - migrated:.0f} s, messages and indexes "
            f"{time.perf_counter() - host_done:,.0f} s); {load_average()}"
        )
    for name, rows, table, indexes in table_sizes():
        console.print(
            f"  {name:<36} {rows:>12,} rows  table {table / 2**20:>9,.0f} MiB  "
            f"indexes {indexes / 2**20:>8,.0f} MiB"
        )

    plans = data_dir / "explain-pages.txt"
    findings = explain_pages(plans)
    console.print(f"dashboard pages' queries (EXPLAIN ANALYZE; full plans in {plans}):")
    for page in findings:
        slowest = max(page["plans"], key=lambda p: p["ms"], default=None)
        big = sorted({t for p in page["plans"] for t in p["seq_scans"] if t.startswith("inbox_")})
        flag = f"[red]SEQ SCAN {', '.join(big)}[/]" if big else "index"
        total = sum(p["ms"] for p in page["plans"])
        worst = " ".join(slowest["sql"].split())[:70] if slowest else ""
        console.print(
            f"  {page['user']:<8} {page['page']:<20} {page['queries']:>3} queries "
            f"{total:>8.2f} ms in all, slowest {slowest['ms'] if slowest else 0:>7.2f} ms; "
            f"Django CPU {page['cpu_ms']:>6.1f} ms; {flag}  {worst}…"
        )
    results = []
    from boundaries.inbox.models import Message

    before_triage = Message.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    from django_tasks_db.models import DBTaskResult

    # Tasks left queued by an interrupted earlier run would be extra work for the rounds.
    stale, _ = DBTaskResult.objects.filter(status="READY").delete()
    if stale:
        console.print(f"removed {stale} tasks left queued by an earlier, interrupted run")
    if not args.skip_triage:
        for round_no, workers in enumerate(int(w) for w in args.workers.split(",")):
            result = triage_round(round_no + 1, workers, args, env)
            results.append(result)
            rate = result["messages"] / result["total_s"]
            console.print(
                f"triage, {workers} worker(s): {result['messages']} messages ingested by "
                f"{args.producers} producers in {result['ingest_s']:.1f} s "
                f"({result['messages'] / result['ingest_s']:.0f}/s), all carried out after "
                f"{result['total_s']:.1f} s = [bold]{rate:.0f} messages/s[/] end to end; "
                f"exactly once: {'yes' if result['ok'] else '[red]NO[/]'}; {result['done_load']}"
            )
            console.print(f"  checks: {result['checks']}")
        grew = growth(before_triage)
        console.print(
            f"per message ingested and carried out ({grew['messages']} messages): "
            f"{grew['action_runs']:.2f} action runs, {grew['alerts']:.3f} alerts, "
            f"{grew['audit_entries']:.2f} audit entries, {grew['task_rows']:.2f} task rows, "
            f"{grew['agenda_items']:.3f} agenda items; sealed content {grew['sealed_bytes']:.0f} "
            f"bytes for {grew['raw_bytes']:.0f} raw bytes"
        )
    dash = None
    if not args.skip_dashboard:
        dash = dashboard_latency(args, env)
        console.print(
            f"one user, {args.repeat} requests a page after 3 to warm, "
            f"{args.web_workers} gunicorn workers (ms; {dash['one_user_load']}):"
        )
        console.print(f"  {'page':<20} {'user':<8} {'median':>7} {'p95':>7} {'max':>7}")
        for row in dash["one_user"]:
            console.print(
                f"  {row['page']:<20} {row['user']:<8} {row['p50']:>7.1f} {row['p95']:>7.1f} "
                f"{row['max']:>7.1f}"
            )
        many = dash["many"]
        if many:
            console.print(
                f"{args.users} users at once, each going through the {len(PAGES)} pages, "
                f"{args.web_workers} gunicorn workers, {args.seconds:.0f} s: "
                f"{many['requests']} requests, {many['errors']} errors, p50 {many['p50']:.0f} ms, "
                f"[bold]p95 {many['p95']:.0f} ms[/], p99 {many['p99']:.0f} ms, "
                f"max {many['max']:.0f} ms, {many['rps']:.1f} requests/s; {many['load']}"
            )
            for name, q in many["pages"].items():
                console.print(
                    f"  {name:<20} {q['n']:>5} requests  p50 {q['p50']:>6.0f}  "
                    f"p95 {q['p95']:>6.0f}  max {q['max']:>6.0f} ms"
                )
    summary = {
        "machine": describe(),
        "command": command(),
        "messages": args.messages,
        "load_seconds": load_seconds,
        "triage": results,
        "growth": growth(before_triage) if results else None,
        "dashboard": dash,
        "explain": [
            {**page, "plans": [{k: v for k, v in p.items() if k != "sql"} for p in page["plans"]]}
            for page in findings
        ],
    }
    (data_dir / "summary.json").write_text(json.dumps(summary, indent=2), encoding="utf-8")
    from django.db import connection

    connection.close()
    if not args.keep:
        subprocess.run(["dropdb", *PG, "--if-exists", "--force", DB_NAME], check=True)
    failed = any(not r["ok"] for r in results) or bool(
        dash is not None and dash["many"] and dash["many"]["errors"]
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
