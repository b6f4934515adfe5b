"""Log lines: one JSON object per line, and never a secret that travels in a URL.

Our own log calls carry ids and decisions, never client content. But Django
and gunicorn log the paths of requests they refuse or serve, and some paths
are bearer secrets: a client's sign-in link, a password-reset link, a calendar
feed's address, Meta's verify token in a query string. ``RedactTokens`` sits on
every handler (settings.LOGGING, and gunicorn's own through
``boundaries.ops.gunicorn_logs``) and rewrites such a path or value to
``[redacted]`` before anything is written.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re

__all__ = ["REDACTED", "TOKEN_PATHS", "JsonFormatter", "RedactTokens", "redact"]

REDACTED = "[redacted]"

#: Paths whose next segment is a secret, one per URL pattern with a token in it
#: (tests/test_ops.py checks every such pattern of boundaries.urls is here).
TOKEN_PATHS: tuple[str, ...] = (
    "/portal/signin/",  # a client's single-use sign-in link
    "/account/password/new/",  # /<uidb64>/<token>/: a password-reset link
    "/calendar/",  # /<token>.ics: a therapist's calendar feed
    "/r/",  # /<token>/: a reminder's confirm-or-cancel link (reminders.urls)
)

_SEGMENT = r"[^/\s?#&\"'<>]+"
_TOKEN_PATH = re.compile(
    r"(?P<path>"
    + "|".join(re.escape(p) for p in TOKEN_PATHS)
    + r")(?P<secret>"
    + _SEGMENT
    + r"(?:/"
    + _SEGMENT
    + r")?)"
)
# Query values whose name says they are secret (hub.verify_token, access_token, code...).
_SECRET_QUERY = re.compile(
    r"(?P<name>[?&;][^=&\s#\"']*?(?:token|secret|password|signature|sig|key|code|challenge))="
    r"(?P<value>[^&\s#\"']*)",
    re.IGNORECASE,
)
# Formats a traceback for the text formatter; the JSON one logs the exception's type only.
_TRACEBACKS = logging.Formatter()


def redact(text: str) -> str:
    """``text`` with every token-bearing path segment and secret query value replaced."""
    text = _TOKEN_PATH.sub(lambda m: m["path"] + REDACTED, text)
    return _SECRET_QUERY.sub(lambda m: f"{m['name']}={REDACTED}", text)


class RedactTokens(logging.Filter):
    """Rewrite a record's message (and traceback) so no token in a URL reaches a log."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError, KeyError):
            return True  # a malformed call: the formatter reports it as logging always has
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and record.exc_text is None:
            record.exc_text = redact(_TRACEBACKS.formatException(record.exc_info))
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            "process": record.process,
        }
        if record.exc_info:
            entry["exception"] = record.exc_info[0].__name__ if record.exc_info[0] else "unknown"
        return json.dumps(entry, ensure_ascii=False)
