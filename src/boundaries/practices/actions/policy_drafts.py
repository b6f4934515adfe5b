"""The owner's unpublished edit of the policy: saved, and discarded.

Publishing (``portal.actions.do_publish_policy``) removes the draft in its own
transaction. The audit entries say that a draft changed and how long it is,
never what it says.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from boundaries import clock
from boundaries.practices.actions.common import record_action, who_acted
from boundaries.practices.models import PolicyDraft, Practice

__all__ = ["do_discard_policy_draft", "do_save_policy_draft"]


def do_save_policy_draft(
    practice: Practice, *, source: str, summary: str = "", actor: Any = None, actor_label: str = ""
) -> PolicyDraft:
    """Keep ``source`` as the practice's draft (replacing the one before)."""
    with transaction.atomic():
        draft, _ = PolicyDraft.objects.update_or_create(
            practice=practice,
            defaults={
                "source": source,
                "summary": summary.strip()[:500],
                "saved_at": clock.now(),
                "saved_by_label": who_acted(actor, actor_label),
            },
        )
        record_action("policy.draft_saved", draft, actor, actor_label, {"characters": len(source)})
    return draft


def do_discard_policy_draft(
    practice: Practice, *, actor: Any = None, actor_label: str = ""
) -> bool:
    """Throw the draft away; False when there was none."""
    with transaction.atomic():
        draft = PolicyDraft.objects.select_for_update().filter(practice=practice).first()
        if draft is None:
            return False
        record_action("policy.draft_discarded", draft, actor, actor_label)
        draft.delete()
    return True
