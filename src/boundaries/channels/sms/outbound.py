"""Sending a text message through Twilio's REST API (Messages resource, 2010-04-01).

``POST {TWILIO_API_BASE}/2010-04-01/Accounts/{AccountSid}/Messages.json`` with
HTTP basic auth (Account SID, auth token) and the form fields ``To``, ``From``
and ``Body``. The base URL is a setting so tests point it at a fake Twilio on
loopback. Errors carry Twilio's numeric error code and the HTTP status, never
the number or the text (Twilio's own error messages can repeat the number).
"""

from __future__ import annotations

import base64
import json
import logging
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

__all__ = ["SmsSendError", "TwilioConfig", "send_sms", "twilio_config"]

logger = logging.getLogger(__name__)

MAX_BODY_CHARS = 1600  # Twilio refuses longer bodies (error 21617)
TIMEOUT_SECONDS = 15


class SmsSendError(Exception):
    """Twilio did not accept the message. ``permanent`` when retrying cannot help."""

    def __init__(self, reason: str, *, permanent: bool, status: int = 0, code: int = 0) -> None:
        super().__init__(reason)
        self.permanent = permanent
        self.status = status
        self.code = code


@dataclass(frozen=True, slots=True)
class TwilioConfig:
    """The Twilio account a number belongs to, and where its REST API is."""

    account_sid: str
    auth_token: str
    api_base: str
    from_number: str  # the system-wide number alerts to therapists are sent from


def _number_accounts() -> dict[str, tuple[str, str]]:
    """``TWILIO_NUMBER_ACCOUNTS``: ``+E164=ACsid:token`` items, for numbers in other accounts."""
    raw = getattr(settings, "TWILIO_NUMBER_ACCOUNTS", None) or []
    items = raw.items() if isinstance(raw, Mapping) else (str(i).partition("=")[::2] for i in raw)
    accounts: dict[str, tuple[str, str]] = {}
    for number, account in items:
        sid, _, token = str(account).partition(":")
        if not (str(number).startswith("+") and sid.startswith("AC") and token):
            raise ImproperlyConfigured(
                "TWILIO_NUMBER_ACCOUNTS items must look like +442079460100=ACsid:authtoken"
            )
        accounts[str(number).strip()] = (sid.strip(), token.strip())
    return accounts


def twilio_config(number: str = "") -> TwilioConfig:
    """The account for ``number`` (a practice's own Twilio number), else the default account."""
    sid = str(getattr(settings, "TWILIO_ACCOUNT_SID", "") or "")
    token = str(getattr(settings, "TWILIO_AUTH_TOKEN", "") or "")
    if number:
        sid, token = _number_accounts().get(number.strip(), (sid, token))
    return TwilioConfig(
        account_sid=sid,
        auth_token=token,
        api_base=str(getattr(settings, "TWILIO_API_BASE", "") or "https://api.twilio.com"),
        from_number=str(getattr(settings, "TWILIO_FROM_NUMBER", "") or ""),
    )


def _error_code(body: bytes) -> int:
    try:
        data = json.loads(body)
    except ValueError:
        return 0
    code = data.get("code") if isinstance(data, dict) else None
    return code if isinstance(code, int) else 0


def send_sms(to: str, body: str, *, from_number: str = "") -> str:
    """Send one text; returns Twilio's message SID. Raises ``SmsSendError``.

    It goes through the account that owns the From number (``TWILIO_NUMBER_ACCOUNTS``),
    else the default account.
    """
    sender = from_number or twilio_config().from_number
    config = twilio_config(sender)
    if not (config.account_sid and config.auth_token and sender):
        raise SmsSendError(
            "Twilio is not configured (TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, a From number)",
            permanent=False,
        )
    url = (
        f"{config.api_base.rstrip('/')}/2010-04-01/Accounts/"
        f"{urllib.parse.quote(config.account_sid, safe='')}/Messages.json"
    )
    form = urllib.parse.urlencode({"To": to, "From": sender, "Body": body[:MAX_BODY_CHARS]})
    credentials = base64.b64encode(f"{config.account_sid}:{config.auth_token}".encode()).decode()
    request = urllib.request.Request(  # noqa: S310 - the URL is our own setting, https by default
        url,
        data=form.encode(),
        method="POST",
        headers={
            "Authorization": f"Basic {credentials}",
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "application/json",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310 - the URL comes from our settings, not from input
            data = json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        code = _error_code(error.read())
        status = error.code
        logger.warning("twilio refused a message status=%s code=%s", status, code)
        # 429 and 5xx are Twilio being busy; any other 4xx will fail the same way again.
        permanent = 400 <= status < 500 and status != 429
        raise SmsSendError(
            f"Twilio refused the message (HTTP {status}, error {code})",
            permanent=permanent,
            status=status,
            code=code,
        ) from None
    except (urllib.error.URLError, TimeoutError, ValueError) as error:
        logger.warning("twilio unreachable: %s", type(error).__name__)
        raise SmsSendError("Twilio could not be reached", permanent=False) from None
    sid = data.get("sid") if isinstance(data, dict) else None
    return str(sid or "")
