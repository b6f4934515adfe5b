"""Moving a client's Messenger and Instagram attachments into their vault (see ``media``)."""

from __future__ import annotations

from django.conf import settings
from django_tasks import task

from boundaries.channels import vault_moves
from boundaries.channels.meta.media import MediaError, fetch_media, media_refs, stored_event
from boundaries.vault.models import VaultObject
from boundaries.vault.sanitize import UploadRejectedError


@task()
def move_media_to_vault(message_id: int, attempt: int = 1) -> None:
    """Fetch each attachment of a client's direct message into the client's vault.

    Safe to run again: a file already in the vault is not fetched twice. What
    Meta is slow to give is tried again later (its links stay valid for a
    while, not for ever); what cannot be stored (a refused type, over the size
    or storage limit, an expired link) is named in the audit entry, and the
    message itself still says the client sent an attachment.
    """
    found = vault_moves.client_message(message_id)
    if found is None:
        return
    message, content = found
    event = stored_event(content.raw)
    where = {"hosts": settings.META_MEDIA_HOSTS, "schemes": settings.META_MEDIA_SCHEMES}
    refs, foreign = media_refs(event, **where)
    stored: list[int] = []
    not_stored: dict[str, str] = {}  # string keys: audit details are canonical JSON
    later = False
    for ref in refs:
        source = f"meta:{message.external_id}:{ref.number}"
        if VaultObject.objects.filter(source=source).exists():
            continue
        try:
            data = fetch_media(ref, max_bytes=settings.VAULT_MAX_UPLOAD_BYTES, **where)
            name = f"social message {message.pk}, {ref.kind} {ref.number}"
            vault_moves.store_sent(message, data, filename=name, source=source, channel="meta")
            stored.append(ref.number)
        except UploadRejectedError as error:
            not_stored[str(ref.number)] = f"not stored: {error}"
        except MediaError as error:
            if error.permanent or attempt >= vault_moves.MAX_ATTEMPTS:
                not_stored[str(ref.number)] = str(error)
            else:
                later = True
    vault_moves.finish_move(
        move_media_to_vault,
        message,
        action="meta.media_moved",
        attempt=attempt,
        later=later,
        details={
            "stored": stored,
            "not_stored": not_stored,
            "ignored_foreign_links": foreign,
        },
    )
