"""Health endpoints and JSON logs."""

from __future__ import annotations

import json
import logging
import re
import sys
from typing import Any

import pytest
from django.test import Client as HttpClient

from boundaries.ops.logs import JsonFormatter, RedactTokens, redact


@pytest.mark.django_db
def test_it_reports_live_and_ready_with_the_database_and_queue(db: Any) -> None:
    assert HttpClient().get("/healthz").json() == {"status": "ok"}
    ready = HttpClient().get("/readyz")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ok", "database": "ok", "queue": "ok"}


def fail() -> None:
    raise ValueError("secret client words")


def test_it_logs_one_json_object_per_line_with_exceptions_by_type_only() -> None:
    try:
        fail()
    except ValueError:
        info = sys.exc_info()
    record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed id=%s", (7,), info)
    line = JsonFormatter().format(record)
    entry = json.loads(line)
    assert entry["message"] == "failed id=7"
    assert entry["exception"] == "ValueError"
    assert "secret client words" not in line


def configured_handlers() -> list[logging.Handler]:
    """Every handler on the loggers our code, Django and our settings write to.

    pytest's own capture is left out, and so are handlers a library adds to its own
    logger when imported (tatsu, which the test-only ``ics`` brings, adds one to "tatsu").
    """
    from django.conf import settings

    names = {*settings.LOGGING["loggers"], "django.request", "django.security.csrf"}
    named = [n for n in logging.Logger.manager.loggerDict if n.split(".")[0] == "boundaries"]
    loggers = [logging.getLogger(), *(logging.getLogger(n) for n in sorted(names | set(named)))]
    return [
        handler
        for logger in loggers
        for handler in logger.handlers
        if not type(handler).__module__.startswith("_pytest")
    ]


def test_every_log_handler_redacts_tokens() -> None:
    handlers = configured_handlers()
    assert handlers
    for handler in handlers:
        assert any(isinstance(f, RedactTokens) for f in handler.filters), handler


@pytest.fixture
def written(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What the configured handlers write, as they would write it (after their filters)."""
    lines: list[str] = []
    for handler in configured_handlers():
        formatter = handler.formatter or logging.Formatter()
        monkeypatch.setattr(
            handler, "emit", lambda record, f=formatter: lines.append(f.format(record))
        )
    return lines


@pytest.mark.django_db
def test_a_portal_sign_in_refused_by_the_csrf_check_logs_no_token(
    demo_practice: Any, written: list[str]
) -> None:
    from boundaries.portal.actions import do_issue_magic_link

    client = demo_practice.clients.get(first_name="Amara")
    token = do_issue_magic_link(client)
    response = HttpClient(enforce_csrf_checks=True).post(f"/portal/signin/{token}/")
    assert response.status_code == 403
    logged = "\n".join(written)
    assert "/portal/signin/[redacted]" in logged  # the refusal is logged...
    assert token not in logged  # ...without the link that still works
    assert HttpClient().post(f"/portal/signin/{token}/").status_code == 302


@pytest.mark.django_db
def test_a_missing_page_under_a_token_path_logs_no_token(written: list[str]) -> None:
    assert HttpClient().get("/calendar/a1b2c3d4e5f6.ics").status_code == 404
    assert "a1b2c3d4e5f6" not in "\n".join(written)


def test_every_url_with_a_token_in_it_is_redacted() -> None:
    from tests.web.test_authorization_matrix import all_patterns

    with_tokens = [p for p in all_patterns() if "token>" in p]
    assert len(with_tokens) >= 3
    for pattern in with_tokens:
        path = "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: f"S3cr3t-{m[1]}", pattern)
        line = f'127.0.0.1 "GET {path}?x=1 HTTP/1.1" 404 "https://therapy.example.org{path}"'
        assert "S3cr3t-token" not in redact(line), pattern


@pytest.mark.parametrize(
    ("line", "secret"),
    [
        ("GET /hooks/meta?hub.mode=subscribe&hub.verify_token=0p3n-5esame&hub.challenge=1", "0p3n"),
        ("GET /x/?access_token=EAABsecret HTTP/1.1", "EAABsecret"),
        ("Not Found: /account/password/new/MQ/c4x2-9f8e7d6c5b4a/", "c4x2-9f8e7d6c5b4a"),
        ("Forbidden (CSRF token missing.): /portal/signin/AbC_123-xyz/", "AbC_123-xyz"),
    ],
)
def test_it_redacts_secrets_in_paths_and_query_strings(line: str, secret: str) -> None:
    assert secret not in redact(line)
    assert "[redacted]" in redact(line)


def fail_on_a_path() -> None:
    raise ValueError("no route for /portal/signin/tok3n-in-trace/")


def test_it_redacts_a_token_given_as_an_argument_and_in_a_traceback() -> None:
    try:
        fail_on_a_path()
    except ValueError:
        info = sys.exc_info()
    record = logging.LogRecord(
        "x", logging.ERROR, __file__, 1, "refused %s", ("/calendar/tok3n-arg.ics",), info
    )
    text = logging.Formatter()
    assert RedactTokens().filter(record)
    out = text.format(record)
    assert "tok3n" not in out
    assert "refused /calendar/[redacted]" in out
    assert "ValueError" in out
