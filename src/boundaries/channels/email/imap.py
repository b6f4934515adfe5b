"""Polling a practice's mailbox over IMAP, idempotently.

Each new message (UID above the last one seen, within the same UIDVALIDITY)
is ingested; ``last_uid`` advances only after the message is committed. Mail
that the decision quarantines (session content without an agreement) is
removed from the provider's mailbox only after it is safely stored,
encrypted, on our side. If UIDVALIDITY changes, the mailbox is read again
from the start and de-duplication by Message-ID and fingerprint
(``inbox.identity``) keeps every message single.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from imapclient import IMAPClient

from boundaries import clock
from boundaries.channels.email.ingest import ingest_raw_email
from boundaries.core.types import Action
from boundaries.vault.crypto import decrypt_bytes, encrypt_bytes
from boundaries.vault.keys import keyring_from_settings

logger = logging.getLogger(__name__)

BATCH = 50


@dataclass(frozen=True, slots=True)
class PollResult:
    fetched: int
    stored: int
    removed: int
    skipped_too_large: int


def _password(account: Any) -> str:
    return decrypt_bytes(
        bytes(account.sealed_password),
        keyring=keyring_from_settings(),
        object_id=f"imap-password:{account.practice_id}:{account.username}",
    ).decode()


def seal_password(practice_id: int, username: str, password: str) -> bytes:
    return encrypt_bytes(
        password.encode(),
        keyring=keyring_from_settings(),
        object_id=f"imap-password:{practice_id}:{username}",
    )


def poll_account(account: Any) -> PollResult:
    """Fetch and ingest what is new in one mailbox."""
    fetched = stored = removed = too_large = 0
    with IMAPClient(account.host, port=account.port, ssl=account.use_ssl, timeout=60) as client:
        client.login(account.username, _password(account))
        info = client.select_folder(account.folder)
        uidvalidity = int(info[b"UIDVALIDITY"])
        if uidvalidity != account.uidvalidity:
            logger.info("imap account=%s uidvalidity changed; rereading", account.pk)
            account.uidvalidity = uidvalidity
            account.last_uid = 0
            account.save(update_fields=["uidvalidity", "last_uid"])
        # "N:*" always matches the highest UID, even when it is below N: filter again.
        uids = sorted(
            uid
            for uid in client.search(["UID", f"{account.last_uid + 1}:*"])
            if uid > account.last_uid
        )
        for start in range(0, len(uids), BATCH):
            chunk = uids[start : start + BATCH]
            sizes = client.fetch(chunk, ["RFC822.SIZE"])
            wanted = [
                uid
                for uid in chunk
                if int(sizes.get(uid, {}).get(b"RFC822.SIZE", 0))
                <= settings.SMTPD_MAX_MESSAGE_BYTES
            ]
            too_large += len(chunk) - len(wanted)
            bodies = client.fetch(wanted, ["BODY.PEEK[]"]) if wanted else {}
            to_remove: list[int] = []
            for uid in chunk:
                if uid in bodies:
                    fetched += 1
                    result = ingest_raw_email(account.practice, bytes(bodies[uid][b"BODY[]"]))
                    stored += int(result.created)
                    if Action.QUARANTINE_TO_VAULT.value in result.message.actions:
                        to_remove.append(uid)
                # Advance only after the message is committed (or deliberately left there).
                account.last_uid = uid
                account.save(update_fields=["last_uid"])
            if to_remove:
                client.delete_messages(to_remove)
                client.uid_expunge(to_remove) if client.has_capability(
                    "UIDPLUS"
                ) else client.expunge()
                removed += len(to_remove)
    account.last_polled_at = clock.now()
    account.save(update_fields=["last_polled_at"])
    logger.info(
        "imap account=%s fetched=%s stored=%s removed=%s too_large=%s",
        account.pk, fetched, stored, removed, too_large,
    )  # fmt: skip
    return PollResult(fetched, stored, removed, too_large)
