"""A therapist's second factor: the authenticator (TOTP) and the one-use recovery codes.

The sign-in pages, the first-run setup and the settings page all enrol, confirm
and replace devices through these functions, each with its audit entry in the
same transaction.
"""

from __future__ import annotations

import base64
import secrets
from typing import Any

import segno
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from boundaries.audit.log import record

__all__ = [
    "RECOVERY_CODES",
    "confirmed_totp",
    "do_confirm_totp",
    "do_issue_recovery_codes",
    "do_replace_totp",
    "pending_totp",
    "qr_data_uri",
    "recovery_codes_left",
    "totp_secret",
]

RECOVERY_CODES = 10


def confirmed_totp(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_totp(user: Any) -> TOTPDevice:
    """The authenticator being set up (unconfirmed), created on first use."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    return device


def qr_data_uri(device: TOTPDevice) -> str:
    """The device's otpauth URL as an SVG QR code in a data URI.

    The SVG carries its ``xmlns``: an SVG shown through ``<img>`` is parsed as an
    XML document, and without the namespace the browser draws nothing.
    """
    svg = segno.make(device.config_url, error="m").svg_inline(scale=5, dark="#1b1f24")
    if "xmlns=" not in svg:
        svg = svg.replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def totp_secret(device: TOTPDevice) -> str:
    """The key to type by hand when the code cannot be scanned (base32, as apps expect)."""
    return base64.b32encode(device.bin_key).decode()


def do_issue_recovery_codes(user: Any, *, actor: Any = None) -> list[str]:
    """Replace the user's recovery codes with ten new ones; the old ones stop working.

    Returned once to be shown once: only django-otp's static device keeps them.
    """
    codes = [secrets.token_hex(5) for _ in range(RECOVERY_CODES)]
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        static = StaticDevice.objects.create(user=user, name="recovery codes")
        StaticToken.objects.bulk_create(StaticToken(device=static, token=c) for c in codes)
        record(
            action="signin.recovery_codes_issued",
            practice=getattr(getattr(user, "therapist", None), "practice", None),
            actor=actor if actor is not None else user,
            details={"count": len(codes)},
        )
    return codes


def do_confirm_totp(user: Any, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm the authenticator with a code it shows; then issue recovery codes.

    None when the code is wrong (nothing changes).
    """
    if device.confirmed or device.user_id != user.pk:
        return None
    if not device.verify_token(code.replace(" ", "")):
        return None
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        record(action="signin.enrolled_totp", practice=None, actor=user)
        return do_issue_recovery_codes(user)


def do_replace_totp(user: Any, device: TOTPDevice, code: str) -> bool:
    """Move the second factor to a new phone: once the new authenticator shows a right
    code, it replaces the old one (which stops working). False when the code is wrong."""
    if device.confirmed or device.user_id != user.pk:
        return False
    if not device.verify_token(code.replace(" ", "")):
        return False
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        record(
            action="signin.replaced_totp",
            practice=getattr(getattr(user, "therapist", None), "practice", None),
            actor=user,
        )
    return True


def recovery_codes_left(user: Any) -> int:
    left: int = StaticToken.objects.filter(device__user=user).count()
    return left
