"""gunicorn's own log handlers, with the same redaction as Django's (``ops.logs``).

gunicorn writes its access log (``--access-logfile``) and error log through
handlers it sets up itself, outside ``settings.LOGGING``; an access line names
the request's path and its ``Referer``, either of which can hold a client's
sign-in token. Start gunicorn with
``--logger-class boundaries.ops.gunicorn_logs.RedactingLogger`` (the systemd
unit, the compose file and ``boundaries serve`` do).
"""

from __future__ import annotations

from typing import Any

from gunicorn.glogging import Logger

from boundaries.ops.logs import RedactTokens

__all__ = ["RedactingLogger"]


class RedactingLogger(Logger):  # type: ignore[misc]  # gunicorn ships no types
    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            for handler in log.handlers:
                if not any(isinstance(f, RedactTokens) for f in handler.filters):
                    handler.addFilter(RedactTokens())
