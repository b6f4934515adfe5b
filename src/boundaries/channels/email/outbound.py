"""Replies by email over SMTP (Django's email backend), threaded and marked automatic.

Every automated reply carries ``Auto-Submitted: auto-replied`` (RFC 3834) so
well-behaved responders do not answer it, and ``In-Reply-To``/``References``
so it threads under the client's message.
"""

from __future__ import annotations

from collections.abc import Sequence
from email.utils import make_msgid, parseaddr

from django.core.mail import EmailMessage, get_connection
from django.core.mail.utils import DNS_NAME

__all__ = ["send_email"]


def send_email(
    *,
    sender: str,
    to: str,
    subject: str,
    body: str,
    in_reply_to: str = "",
    references: Sequence[str] = (),
    auto_submitted: str = "auto-replied",
) -> str:
    """Send one message; returns its Message-ID. Raises OSError/SMTPException on failure."""
    message_id = make_msgid(domain=parseaddr(sender)[1].rpartition("@")[2] or str(DNS_NAME))
    headers: dict[str, str] = {"Message-ID": message_id}
    if auto_submitted:
        headers["Auto-Submitted"] = auto_submitted
        headers["X-Auto-Response-Suppress"] = "All"
        headers["Precedence"] = "auto_reply"
    if in_reply_to:
        headers["In-Reply-To"] = in_reply_to
        headers["References"] = " ".join([*references, in_reply_to][-20:])
    message = EmailMessage(
        subject=subject,
        body=body,
        from_email=sender,
        to=[to],
        headers=headers,
        connection=get_connection(fail_silently=False),
    )
    message.send(fail_silently=False)
    return message_id
