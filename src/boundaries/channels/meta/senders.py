"""Private replies on Facebook and Instagram, listed in ``channels.registry``.

``social_dm``: an answer in the same private conversation. ``social_comment``:
a *private* reply to the person who commented (the inbox task asks for one
only for a crisis; nothing else is said in answer to a public comment). There
is no sender for reviews, and none of these ever writes in public.
"""

from __future__ import annotations

from typing import Any

from boundaries.channels.meta.outbound import MetaSendError, send_private_message
from boundaries.inbox.delivery import RetryLaterError, Skip
from boundaries.inbox.models import Message
from boundaries.inbox.sealing import Content

__all__ = ["reply_in_private", "reply_to_public_post_in_private"]


def _recipient(content: Content, allowed: frozenset[str]) -> dict[str, str]:
    stored: Any = content.extra.get("meta_recipient")
    if not isinstance(stored, dict) or len(stored) != 1:
        raise Skip("there is no private conversation to answer in")
    ((key, value),) = stored.items()
    if key not in allowed or not isinstance(value, str) or not value:
        raise Skip("there is no private conversation to answer in")
    return {key: value}


def _send(content: Content, recipient: dict[str, str], text: str) -> str:
    account_id = str(content.extra.get("meta_account") or "")
    try:
        return send_private_message(recipient, text, account_id=account_id)
    except MetaSendError as error:
        raise RetryLaterError(str(error)) from None


def reply_in_private(message: Message, content: Content, text: str) -> str:
    return _send(content, _recipient(content, frozenset({"id"})), text)


def reply_to_public_post_in_private(message: Message, content: Content, text: str) -> str:
    return _send(content, _recipient(content, frozenset({"comment_id", "post_id"})), text)
