"""Moving an MMS's pictures from Twilio into the client's vault (see ``media``)."""

from __future__ import annotations

import urllib.parse

from django.conf import settings
from django_tasks import task

from boundaries.channels import vault_moves
from boundaries.channels.sms.media import MediaError, delete_media, fetch_media, media_refs
from boundaries.channels.sms.outbound import twilio_config
from boundaries.vault.models import VaultObject
from boundaries.vault.sanitize import UploadRejectedError


@task()
def move_media_to_vault(message_id: int, attempt: int = 1) -> None:
    """Fetch each picture into the client's vault, then delete it at Twilio.

    Safe to run again: a picture already in the vault is not fetched twice, and a
    deletion Twilio already did counts as done. What Twilio is slow to give or
    delete is tried again later; what cannot be stored (a refused type, over the
    size or storage limit) stays at Twilio and is named in the audit entry.
    """
    found = vault_moves.client_message(message_id)
    if found is None:
        return
    message, content = found
    params = urllib.parse.parse_qs(content.raw.decode("utf-8", "replace"), keep_blank_values=True)
    config = twilio_config((params.get("To") or [""])[0])
    refs, foreign = media_refs(params, config)
    stored: list[int] = []
    kept: dict[str, str] = {}  # string keys: audit details are canonical JSON
    later = False
    for ref in refs:
        source = f"twilio:{ref.sid}"
        try:
            if not VaultObject.objects.filter(source=source).exists():
                data = fetch_media(ref, config, max_bytes=settings.VAULT_MAX_UPLOAD_BYTES)
                name = f"text message {message.pk}, picture {ref.number}"
                vault_moves.store_sent(message, data, filename=name, source=source, channel="sms")
                stored.append(ref.number)
            delete_media(ref, config)
        except UploadRejectedError as error:
            kept[str(ref.number)] = f"not stored, left at Twilio: {error}"
        except MediaError as error:
            if error.permanent or attempt >= vault_moves.MAX_ATTEMPTS:
                kept[str(ref.number)] = f"{error}; left at Twilio"
            else:
                later = True
    vault_moves.finish_move(
        move_media_to_vault,
        message,
        action="sms.media_moved",
        attempt=attempt,
        later=later,
        details={
            "stored": stored,
            "kept_at_twilio": kept,
            "ignored_foreign_links": foreign,
        },
    )
