"""The first-run setup's own changes: the first account, the progress, the draft, the publish.

The other steps call the owning apps' actions (``practices.actions``,
``inbox.routes``, ``accounts.devices``, ``channels.alert_check``); what is
kept here is the setup's own state, each change with its audit entry.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from boundaries import clock
from boundaries.audit.log import record
from boundaries.core.policy.errors import PolicyError
from boundaries.core.policy.loader import load_policy
from boundaries.core.policy.model import EthicsBody
from boundaries.core.policy.placeholders import require_no_placeholders
from boundaries.core.policy.templates import render_template
from boundaries.errors import ActionError
from boundaries.portal.actions import do_publish_policy
from boundaries.practices.actions.common import record_action
from boundaries.practices.models import PolicyVersion, Practice
from boundaries.setup.models import STEPS, SetupProgress

__all__ = [
    "checked_policy",
    "do_advance",
    "do_create_first_account",
    "do_finish_setup",
    "do_save_policy_draft",
    "do_start_setup",
    "first_run_key",
    "installation_is_empty",
    "template_draft",
]

logger = logging.getLogger(__name__)


def installation_is_empty() -> bool:
    """No account exists yet: the first one is made with the first-run key."""
    return not get_user_model()._default_manager.exists()


def first_run_key() -> str:
    """The key that lets the first visitor of an empty installation create its first account.

    Derived from the installation's secret key, so only someone who can read the
    server's log or run ``boundaries setup --show-key`` knows it; it opens nothing
    once any account exists.
    """
    digest = hmac.new(
        str(settings.SECRET_KEY).encode(), b"boundaries first-run setup", hashlib.sha256
    ).digest()
    text = base64.b32encode(digest[:10]).decode().lower()
    return "-".join(text[i : i + 4] for i in range(0, 16, 4))


def do_create_first_account(*, key: str, username: str, email: str, password: str) -> Any:
    """The installation's first account, for whoever holds the first-run key."""
    given = key.strip().lower().replace(" ", "")
    if not hmac.compare_digest(given, first_run_key()):
        raise ActionError("that is not this installation's setup key (see the server's log)")
    if not username.strip():
        raise ActionError("choose a username")
    try:
        validate_password(password)
    except ValidationError as error:
        raise ActionError("the password: " + " ".join(error.messages)) from None
    user_model = get_user_model()
    with transaction.atomic():
        if user_model._default_manager.select_for_update().exists():
            raise ActionError("this installation has an account already: sign in instead")
        user = user_model.objects.create_user(
            username=username.strip(), email=email.strip(), password=password
        )
        record(
            action="setup.first_account",
            obj=user,
            practice=None,
            actor=user,
            details={},
        )
    return user


def do_start_setup(
    practice: Practice, *, actor: Any = None, actor_label: str = ""
) -> SetupProgress:
    with transaction.atomic():
        progress, created = SetupProgress.objects.get_or_create(practice=practice)
        if created:
            record_action("setup.start", progress, actor, actor_label, practice=practice)
    return progress


def do_advance(
    progress: SetupProgress, step: str, *, actor: Any = None, actor_label: str = ""
) -> SetupProgress:
    """Record that the setup has reached STEP (never goes back)."""
    if step not in STEPS:
        raise ActionError(f"no setup step {step!r}")
    if progress.has_reached(step):
        return progress
    with transaction.atomic():
        progress.reached = step
        progress.save(update_fields=["reached"])
        record_action("setup.step", progress, actor, actor_label, {"reached": step})
    return progress


def template_draft(
    practice: Practice,
    *,
    therapist_name: str,
    phone: str,
    email: str,
    website: str,
    body: EthicsBody | None = None,
) -> str:
    """The country template filled with the practice's details (``PolicyError`` if unusable)."""
    try:
        return render_template(
            practice.country,
            practice_name=practice.name,
            therapist_name=therapist_name,
            phone=phone,
            email=email,
            website=website,
            timezone=practice.timezone,
            professional_body=body,
        )
    except ValueError as error:  # PolicyError is a ValueError too
        raise ActionError(str(error)) from None


def checked_policy(source: str, practice: Practice) -> None:
    """What ``boundaries policy check`` says, plus the practice's country: ``PolicyError``
    or ``ActionError`` with one line naming the key."""
    policy = load_policy(source, filename="policy.toml")
    require_no_placeholders(source, filename="policy.toml")
    if policy.practice.country != practice.country:
        raise ActionError(
            f"the policy is for country {policy.practice.country} "
            f"but the practice is in {practice.country}"
        )


def do_save_policy_draft(
    progress: SetupProgress, source: str, *, actor: Any = None, actor_label: str = ""
) -> SetupProgress:
    """Keep the draft once it passes the check (placeholders replaced)."""
    try:
        checked_policy(source, progress.practice)
    except PolicyError as error:
        raise ActionError(str(error)) from None
    with transaction.atomic():
        progress.policy_draft = source
        progress.save(update_fields=["policy_draft"])
        details = {"sha256": hashlib.sha256(source.encode()).hexdigest()}
        record_action("setup.policy_draft", progress, actor, actor_label, details)
        do_advance(progress, "addresses", actor=actor, actor_label=actor_label)
    return progress


def do_finish_setup(
    progress: SetupProgress, *, summary: str, actor: Any = None, actor_label: str = ""
) -> PolicyVersion:
    """Publish the drafted policy as version 1 and mark the setup finished."""
    if progress.is_finished:
        raise ActionError("this practice's setup is finished already")
    if not progress.policy_draft:
        raise ActionError("write the policy first (the policy step)")
    try:
        checked_policy(progress.policy_draft, progress.practice)
    except PolicyError as error:
        raise ActionError(str(error)) from None
    with transaction.atomic():
        version = do_publish_policy(
            progress.practice,
            source=progress.policy_draft,
            summary=summary,
            actor=actor,
            actor_label=actor_label,
        )
        progress.reached = "publish"
        progress.finished_at = clock.now()
        progress.save(update_fields=["reached", "finished_at"])
        record_action(
            "setup.finish", progress, actor, actor_label, {"policy_version": version.number}
        )
    return version
