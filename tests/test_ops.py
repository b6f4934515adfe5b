"""Health endpoints and JSON logs."""

from __future__ import annotations

import json
import logging
import sys
from typing import Any

import pytest
from django.test import Client as HttpClient

from boundaries.ops.logs import JsonFormatter


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
